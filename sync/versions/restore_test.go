package versions

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"filesync/sync/fleet"
	"filesync/sync/transfer"
)

func TestRestore_PutsTheCopyBackAndKeepsWhatItReplaces(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		".filesync/versions/20261201-000000-run1/data/p/a b.txt": "old",
		"data/p/a b.txt": "new",
	}
	for p, content := range files {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := fleet.Computer{Name: "here", Local: true, Root: root}
	k := Kept{Run: "20261201-000000-run1", Path: "data/p/a b.txt"}
	if _, out, err := Restore(context.Background(), c, k, "20261202-000000-run2", transfer.Env{}, listingTimeout); err != nil {
		t.Fatalf("%v\n%v", err, out)
	}
	for p, want := range map[string]string{
		"data/p/a b.txt": "old",
		".filesync/versions/20261202-000000-run2/data/p/a b.txt": "new",
		".filesync/versions/20261201-000000-run1/data/p/a b.txt": "old",
	} {
		got, err := os.ReadFile(filepath.Join(root, p))
		if err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", p, got, err, want)
		}
	}
}
