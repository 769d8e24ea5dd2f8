package versions

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/transfer"
)

const listingTimeout = 10 * time.Second

func TestDoomed_RemovesTheOutermostFolderLeftEmpty(t *testing.T) {
	const r1, r2, r3 = "20261101-000000-run1", "20261102-000000-run2", "20261103-000000-run3"
	v := ".filesync/versions/"
	f := Folders{
		Runs: []string{r1, r2, r3, "20261104-000000-run4"},
		Kept: []Kept{
			{Run: r1, Path: "data/p/a"}, {Run: r1, Path: "data/p/b"},
			{Run: r2, Path: "data/p/a"}, {Run: r2, Path: "data/p/sub/c"}, {Run: r2, Path: "data/p/sub/d"},
			{Run: r3, Path: "data/q/x"},
		},
	}
	expired := []Kept{{Run: r1, Path: "data/p/a"}, {Run: r1, Path: "data/p/b"}, {Run: r2, Path: "data/p/sub/c"}, {Run: r2, Path: "data/p/sub/d"}}
	got := Doomed(f, expired, func(run string) bool { return run == "20261104-000000-run4" })
	want := []string{v + r1, v + r2 + "/data/p/sub"}
	if !slices.Equal(got, want) {
		t.Fatalf("doomed %v, want %v", got, want)
	}
	got = Doomed(f, nil, nil)
	if want := []string{v + "20261104-000000-run4"}; !slices.Equal(got, want) {
		t.Fatalf("with nothing expired, doomed %v, want the empty run folder %v", got, want)
	}
}

func TestRemove_DeletesOnlyTheNamedPaths(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{".filesync/versions/r1/data/p/a", ".filesync/versions/r2/data/p/b", ".filesync/versions/r2/data/p/c", "data/p/a"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := fleet.Computer{Name: "here", Local: true, Root: root}
	removed, err := Remove(context.Background(), c, []string{".filesync/versions/r1", ".filesync/versions/r2/data/p/b"}, transfer.Env{}, listingTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(removed, ".filesync/versions/r1") || !slices.Contains(removed, ".filesync/versions/r2/data/p/b") {
		t.Errorf("reported removed %v", removed)
	}
	for p, want := range map[string]bool{".filesync/versions/r1": false, ".filesync/versions/r2/data/p/b": false,
		".filesync/versions/r2/data/p/c": true, "data/p/a": true} {
		if _, err := os.Stat(filepath.Join(root, p)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", p, err == nil, want)
		}
	}
}

func TestRemove_RefusesPathsOutsideTheVersionsFolder(t *testing.T) {
	c := fleet.Computer{Name: "here", Local: true, Root: t.TempDir()}
	for _, p := range []string{"data/p/a", ".filesync/versions/../../data", ".filesync/versions"} {
		if _, err := Remove(context.Background(), c, []string{p}, transfer.Env{}, listingTimeout); err == nil {
			t.Errorf("Remove(%q) succeeded", p)
		}
	}
}
