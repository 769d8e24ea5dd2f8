package e2e

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The safety tests: a sync never reads a missing or emptied project folder as "deleted
// everything", never deletes more than half of a destination's files unasked, and never
// deletes in a first sync.

// TestSyncAll_HaltsAComputerWhoseProjectFolderIsGoneOrEmpty: c1's data/p removed, or
// every file of its project folders deleted with the folders kept. Sync all deletes
// nothing anywhere, sends nothing to c1, names c1 and how to resume, and fails; the
// others still sync. --force then fills c1 from the others.
func TestSyncAll_HaltsAComputerWhoseProjectFolderIsGoneOrEmpty(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		remove []string // what is removed from c1's root
	}{
		{"folder removed", []string{"data/p"}},
		{"folders emptied", []string{"data/p/a.txt", "data/p/sub", "models/p/m.bin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 2)
			h.ok("project", "add", "p")
			for _, rel := range []string{"data/p/a.txt", "data/p/sub/b.txt", "models/p/m.bin"} {
				write(t, h.root("here"), rel, rel, t0)
			}
			h.syncOK()
			c1 := h.root("c1")
			for _, rel := range tc.remove {
				if err := os.RemoveAll(filepath.Join(c1, rel)); err != nil {
					t.Fatal(err)
				}
			}
			write(t, h.root("c2"), "data/p/new-on-c2.txt", "new on c2", t0.Add(time.Hour))
			broken := projectFiles(t, c1)
			all := map[string]string{"data/p/a.txt": "data/p/a.txt", "data/p/sub/b.txt": "data/p/sub/b.txt",
				"models/p/m.bin": "models/p/m.bin", "data/p/new-on-c2.txt": "new on c2"}

			res, r := h.twoWay("sync")
			if r.code == 0 || res.Status != "failed" {
				t.Errorf("sync with c1's project folder %s: exit %d, status %s; want non-zero, failed", tc.name, r.code, res.Status)
			}
			if !strings.Contains(res.Summary, "c1") {
				t.Errorf("the summary does not name c1: %q", res.Summary)
			}
			if len(res.Halts) != 1 || res.Halts[0].Computer != "c1" || res.Halts[0].Project != "p" || !strings.Contains(res.Halts[0].Reason, "--force") {
				t.Errorf("halts %+v, want c1's project p, saying how to resume (--force)", res.Halts)
			}
			for _, c := range res.Computers {
				if c.Name == "c1" && (c.Status != "failed" || !strings.Contains(c.Reason, "c1") || !strings.Contains(c.Reason, "--force")) {
					t.Errorf("c1: status %q, reason %q; want failed, naming c1 and --force", c.Status, c.Reason)
				}
			}
			for _, n := range []string{"here", "c2"} {
				if got := projectFiles(t, h.root(n)); !maps.Equal(got, all) {
					t.Errorf("%s holds %v, want %v: nothing deleted, c2's new file received", n, got, all)
				}
			}
			if got := projectFiles(t, c1); !maps.Equal(got, broken) {
				t.Errorf("c1 was changed while halted: %v, was %v", got, broken)
			}

			h.syncOK("--force")
			for _, n := range h.names() {
				if got := projectFiles(t, h.root(n)); !maps.Equal(got, all) {
					t.Errorf("after sync --force %s holds %v, want %v", n, got, all)
				}
			}
		})
	}
}

// TestSyncAll_DeletingMoreThanHalfStopsUnlessForced: c1 deletes some of the project's
// files. Up to half go; more stop on each destination, deleting nothing there and
// failing the run, until sync --force.
func TestSyncAll_DeletingMoreThanHalfStopsUnlessForced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		files, deleted int
		halted         bool
	}{
		{4, 2, false},
		{4, 3, true},
		{100, 75, true},
	} {
		t.Run(fmt.Sprintf("%d of %d", tc.deleted, tc.files), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 2)
			h.ok("project", "add", "p")
			for i := range tc.files {
				write(t, h.root("here"), fmt.Sprintf("data/p/f%03d", i), fmt.Sprint("file ", i), t0)
			}
			h.syncOK()
			for i := range tc.deleted {
				if err := os.Remove(filepath.Join(h.root("c1"), fmt.Sprintf("data/p/f%03d", i))); err != nil {
					t.Fatal(err)
				}
			}
			left := tc.files - tc.deleted

			res, r := h.twoWay("sync")
			want := map[string]int{"here": left, "c1": left, "c2": left}
			if tc.halted {
				want["here"], want["c2"] = tc.files, tc.files
				if r.code == 0 || res.Status != "failed" || len(res.Halts) != 2 {
					t.Errorf("sync deleting %d of %d: exit %d, status %s, halts %+v; want non-zero, failed, here and c2 halted",
						tc.deleted, tc.files, r.code, res.Status, res.Halts)
				}
				for _, halt := range res.Halts {
					if text := fmt.Sprintf("%d of its %d files", tc.deleted, tc.files); !strings.Contains(halt.Reason, text) || !strings.Contains(halt.Reason, "--force") {
						t.Errorf("halt %+v does not say %q and how to go on (--force)", halt, text)
					}
				}
			} else if r.code != 0 || len(res.Halts) != 0 {
				t.Errorf("sync deleting %d of %d: exit %d, halts %+v; want 0, none", tc.deleted, tc.files, r.code, res.Halts)
			}
			for n, w := range want {
				if got := len(projectFiles(t, h.root(n))); got != w {
					t.Errorf("%s holds %d files after sync, want %d", n, got, w)
				}
			}
			if !tc.halted {
				return
			}
			res, _ = h.syncOK("--force")
			for _, n := range h.names() {
				if got := len(projectFiles(t, h.root(n))); got != left {
					t.Errorf("%s holds %d files after sync --force, want %d", n, got, left)
				}
			}
			for _, n := range []string{"here", "c2"} {
				if got := len(runVersions(t, h.root(n), res.RunID)); got != tc.deleted {
					t.Errorf("sync --force kept %d deleted files in %s's versions, want %d", got, n, tc.deleted)
				}
			}
		})
	}
}

// TestSyncAll_FirstSyncNeverDeletes: with no agreed state, a file only on some computers
// is new there, not deleted elsewhere: every computer ends with the union.
func TestSyncAll_FirstSyncNeverDeletes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "p")
	holders := map[string][]string{
		"data/p/on-two.txt":      {"c1", "c2"},
		"data/p/on-three.txt":    {"here", "c1", "c3"},
		"models/p/only-c3.bin":   {"c3"},
		"data/p/deep/only-c1.md": {"c1"},
	}
	for i := range 10 { // so that no deletion would be more than half
		rel := fmt.Sprintf("data/p/common/%d", i)
		holders[rel] = h.names()
	}
	for rel, on := range holders {
		for _, n := range on {
			write(t, h.root(n), rel, rel, t0)
		}
	}
	res, _ := h.syncOK()
	for _, n := range h.names() {
		files := projectFiles(t, h.root(n))
		for rel := range holders {
			assertHas(t, n, files, rel, rel)
		}
		if kept := runVersions(t, h.root(n), res.RunID); len(kept) != 0 {
			t.Errorf("a first sync moved files into %s's versions: %v", n, kept)
		}
	}
}
