package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPush_CarriesTheSendersDeletionsIntoTheOthersVersions: after a Sync all has stored
// the fleet's agreed state, a file and a folder of 100 files deleted on the sender are
// moved into every other computer's versions by a push, in one transfer per computer;
// the next push has nothing to delete; a project that keeps deleted files deletes nothing.
func TestPush_CarriesTheSendersDeletionsIntoTheOthersVersions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("project", "add", "kept", "--deletes", "keep")
	write(t, h.root("here"), "data/proj/gone.txt", "deleted on here", t0)
	write(t, h.root("here"), "data/proj/stays.txt", "stays", t0)
	write(t, h.root("here"), "data/kept/gone.txt", "deleted, but the project keeps it", t0)
	for i := range 100 {
		write(t, h.root("here"), fmt.Sprintf("data/proj/shards/%03d", i), fmt.Sprintf("shard %d", i), t0)
		write(t, h.root("here"), fmt.Sprintf("models/proj/other-%03d", i), "not deleted", t0)
		write(t, h.root("here"), fmt.Sprintf("models/proj/more-%03d", i), "not deleted", t0)
	}
	h.ok("sync")
	for _, p := range []string{"data/proj/gone.txt", "data/proj/shards", "data/kept/gone.txt"} {
		if err := os.RemoveAll(filepath.Join(h.root("here"), p)); err != nil {
			t.Fatal(err)
		}
	}

	res, r := h.syncJSON("push", "--project", "proj", "--project", "kept", "--from", "here")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("push: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	for _, c := range []string{"c1", "c2"} {
		files := tree(t, h.root(c))
		assertLacks(t, c, files, "data/proj/gone.txt")
		assertHas(t, c, files, "data/proj/stays.txt", "stays")
		assertHas(t, c, files, "data/kept/gone.txt", "deleted, but the project keeps it")
		kept := 0
		for path, content := range files {
			if strings.HasPrefix(path, ".filesync/versions/") && (strings.Contains(path, "/data/proj/shards/") || content == "deleted on here") {
				kept++
			}
			if strings.HasPrefix(path, "data/proj/shards/") {
				t.Errorf("%s still holds %s", c, path)
			}
		}
		if kept != 101 {
			t.Errorf("%s's versions hold %d of the 101 deleted files", c, kept)
		}
	}
	deleting := 0
	for _, tr := range res.Transfers {
		for _, ch := range tr.Changes {
			if ch.Code == "*deleting" {
				deleting++
			}
		}
	}
	if deleting != 4 {
		t.Errorf("%d deletions itemized, want 4 (the file and the folder, on each of 2 computers)", deleting)
	}

	again, r := h.syncJSON("push", "--project", "proj", "--project", "kept", "--from", "here")
	if r.code != 0 || len(again.Transfers) != len(res.Transfers)-2 {
		t.Errorf("second push: exit %d, %d transfers, want %d (no deletions left to send)", r.code, len(again.Transfers), len(res.Transfers)-2)
	}
}
