package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestMerge_ConflictingEditsNewestWinsAndNothingIsLost: one file edited differently on
// three computers between syncs (different mtimes), twice. After each Sync all every
// computer holds the newest version, every older one is kept under a versions folder, and
// no file anywhere was deleted — every root, FileSync's own folders included, is listed
// before and after.
func TestMerge_ConflictingEditsNewestWinsAndNothingIsLost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	const rel = "data/proj/results/table.csv"
	write(t, h.root("here"), rel, "oldest, edited here", t0.Add(-3*time.Hour))
	write(t, h.root("c1"), rel, "middle, edited on c1", t0.Add(-2*time.Hour))
	write(t, h.root("c2"), rel, "newest, edited on c2", t0.Add(-1*time.Hour))
	for i, n := range h.names() {
		write(t, h.root(n), "models/proj/only-on-"+n, n, t0.Add(time.Duration(i)*time.Minute))
	}
	syncAndCheck(t, h, rel, "newest, edited on c2", "oldest, edited here", "middle, edited on c1")

	// A second conflict, on top of the first round's versions.
	write(t, h.root("c1"), rel, "second round, c1 newest", t0.Add(time.Hour))
	write(t, h.root("here"), rel, "second round, here older", t0.Add(30*time.Minute))
	syncAndCheck(t, h, rel, "second round, c1 newest", "second round, here older", "newest, edited on c2")
	for _, n := range h.names() {
		for _, m := range h.names() {
			assertHas(t, n, tree(t, h.root(n)), "models/proj/only-on-"+m, m)
		}
	}
}

// syncAndCheck runs Sync all and wants newest at rel everywhere, each of older in some
// versions folder, and every file that existed before still there.
func syncAndCheck(t *testing.T, h *harness, rel, newest string, older ...string) {
	t.Helper()
	before := snapshot(t, h)
	res, r := h.runJSON("sync")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("sync: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	after := snapshot(t, h)
	kept := map[string]bool{}
	for _, n := range h.names() {
		assertHas(t, n, after[n], rel, newest)
		for p := range before[n] {
			if _, ok := after[n][p]; !ok {
				t.Errorf("%s lost %s in a merge: nothing may ever be deleted", n, p)
			}
		}
		for p, content := range after[n] {
			if strings.HasPrefix(p, ".filesync/versions/") && strings.HasSuffix(p, "/"+rel) {
				kept[content] = true
			}
		}
	}
	for _, old := range older {
		if !kept[old] {
			t.Errorf("the overwritten version %q of %s is not kept in any versions folder", old, rel)
		}
	}
}
