package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The two-way tests: Sync all decides each file once against every computer's last
// agreed state — conflicts, deletions, and the halts that keep a missing disk from
// reading as "deleted everything".

// twoWayResult is the --json result of a sync with what the two-way tests look at.
type twoWayResult struct {
	RunID     uint `json:"run_id"`
	Status    string
	Summary   string
	Computers []struct{ Name, Status, Reason string }
	Transfers []struct {
		To      string
		Changes []struct{ Code, Path string }
	} `json:"transfers"`
	Conflicts []struct {
		Project, Path string
		Winner        versionDoc
		Losers        []versionDoc
	} `json:"conflicts"`
	Halts []struct{ Computer, Project, Reason string } `json:"halts"`
}

type versionDoc struct {
	Computer string
	Size     int64
	MTime    int64
	Kept     string
}

// twoWay runs a sync-like command with --json and decodes its result.
func (h *harness) twoWay(args ...string) (twoWayResult, result) {
	h.t.Helper()
	r := h.cli(append(args, "--json")...)
	var res twoWayResult
	if err := jsonUnmarshal(r.stdout, &res); err != nil {
		h.t.Fatalf("filesync %q: exit %d, stdout is not JSON (%v):\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return res, r
}

// syncOK runs Sync all (with args) and fails the test unless it ended ok.
func (h *harness) syncOK(args ...string) (twoWayResult, result) {
	h.t.Helper()
	res, r := h.twoWay(append([]string{"sync"}, args...)...)
	if r.code != 0 || res.Status != "ok" {
		h.t.Fatalf("sync %v: exit %d, %s: %s\nstderr:\n%s", args, r.code, res.Status, res.Summary, r.stderr)
	}
	return res, r
}

// runVersions is what run keeps in root's versions folder, by path.
func runVersions(t *testing.T, root string, run uint) map[string]string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(root, ".filesync", "versions", fmt.Sprintf("*-run%d", run)))
	if len(dirs) > 1 {
		t.Fatalf("run %d has %d versions folders under %s: %v", run, len(dirs), root, dirs)
	}
	if len(dirs) == 0 {
		return map[string]string{}
	}
	return tree(t, dirs[0])
}

// projectFiles is what root holds of the project folders data/p and models/p.
func projectFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, folder := range []string{"data/p", "models/p"} {
		for rel, content := range tree(t, filepath.Join(root, folder)) {
			files[folder+"/"+rel] = content
		}
	}
	return files
}

// TestSyncAll_ThreeWayConflictNewestWinsLosersKept: conf.txt differs on c1 (oldest), c2
// and c3 (newest), never synced or each changed since an agreed state. Every computer
// ends with c3's copy, c1's and c2's are in their own versions folders of the run, and the
// result reports the conflict with where each losing copy was kept.
func TestSyncAll_ThreeWayConflictNewestWinsLosersKept(t *testing.T) {
	t.Parallel()
	for _, agreed := range []bool{false, true} {
		t.Run(fmt.Sprintf("agreed=%v", agreed), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 3)
			h.ok("project", "add", "p")
			const rel = "data/p/conf.txt"
			edited := t0
			if agreed {
				write(t, h.root("c1"), rel, "v0 agreed by all", t0)
				h.syncOK()
				edited = t0.Add(time.Hour)
			}
			// One write a second, oldest on the first computer.
			want := map[string]string{"c1": "v1 oldest, on c1", "c2": "v2 middle, on c2", "c3": "v3 newest, on c3"}
			for i, c := range []string{"c1", "c2", "c3"} {
				write(t, h.root(c), rel, want[c], edited.Add(time.Duration(i+1)*time.Second))
			}

			before := map[string]string{}
			for _, n := range h.names() {
				before[n] = tree(t, h.root(n))[rel]
			}
			res, _ := h.syncOK()
			for _, n := range h.names() {
				assertHas(t, n, tree(t, h.root(n)), rel, want["c3"])
			}
			for _, c := range []string{"c1", "c2"} {
				assertHas(t, c+"'s versions of the run", runVersions(t, h.root(c), res.RunID), rel, want[c])
			}
			if len(res.Conflicts) != 1 {
				t.Fatalf("conflicts %+v, want one, of %s", res.Conflicts, rel)
			}
			c := res.Conflicts[0]
			if c.Project != "p" || c.Path != rel || c.Winner.Computer != "c3" ||
				c.Winner.MTime != edited.Add(3*time.Second).Unix() || c.Winner.Size != int64(len(want["c3"])) {
				t.Errorf("conflict %+v, want project p, path %s, won by c3's copy", c, rel)
			}
			// Every loser's copy is kept where the result says. The losers are c1 and c2: a
			// computer whose copy was the agreed one changed nothing and lost nothing.
			var losers []string
			for _, l := range c.Losers {
				losers = append(losers, l.Computer)
				path, ok := strings.CutPrefix(l.Kept, l.Computer+":")
				if b, err := os.ReadFile(path); !ok || err != nil || string(b) != before[l.Computer] {
					t.Errorf("%s's losing copy is said to be kept in %q, which holds %q (%v), want %q", l.Computer, l.Kept, b, err, before[l.Computer])
				}
			}
			if slices.Sort(losers); !slices.Equal(losers, []string{"c1", "c2"}) {
				t.Errorf("the conflict's losers are %v, want c1 and c2", losers)
			}
		})
	}
}

// TestSyncAll_DeletionsPropagateIntoVersions: with --deletes propagate (a new project's
// default), a file and a folder of 1,000 shards deleted on c1 disappear from every
// computer into its versions folder, the folder as one change and one "*deleting" line
// per destination; a file deleted on c1 but modified on c2 comes back modified. With
// --deletes keep a deleted file comes back.
func TestSyncAll_DeletionsPropagateIntoVersions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "p")
	const shards, weights = 1000, 1100 // the weights keep the deletion under half the files
	here := h.root("here")
	for _, rel := range []string{"data/p/gone.txt", "data/p/edited.txt", "data/p/kept.txt"} {
		write(t, here, rel, rel+" as first synced", t0)
	}
	for i := range shards {
		write(t, here, fmt.Sprintf("data/p/shards/%04d", i), fmt.Sprintf("shard %d", i), t0)
	}
	for i := range weights {
		write(t, here, fmt.Sprintf("models/p/weights/%04d", i), fmt.Sprintf("weight %d", i), t0)
	}
	h.syncOK()

	c1 := h.root("c1")
	for _, rel := range []string{"data/p/gone.txt", "data/p/edited.txt", "data/p/shards"} {
		if err := os.RemoveAll(filepath.Join(c1, rel)); err != nil {
			t.Fatal(err)
		}
	}
	const modified = "edited.txt modified on c2 while c1 deleted it"
	write(t, h.root("c2"), "data/p/edited.txt", modified, t0.Add(time.Hour))
	res, r := h.syncOK("-v")

	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertLacks(t, n, files, "data/p/gone.txt")
		assertLacks(t, n, files, "data/p/shards/0000")
		assertHas(t, n, files, "data/p/edited.txt", modified)
		assertHas(t, n, files, "data/p/kept.txt", "data/p/kept.txt as first synced")
		if got := len(withoutVersions(files)); got != 2+weights {
			t.Errorf("%s holds %d files, want %d", n, got, 2+weights)
		}
	}
	for _, n := range []string{"here", "c2"} {
		kept := runVersions(t, h.root(n), res.RunID)
		assertHas(t, n+"'s versions of the run", kept, "data/p/gone.txt", "data/p/gone.txt as first synced")
		for i := range shards {
			assertHas(t, n+"'s versions of the run", kept, fmt.Sprintf("data/p/shards/%04d", i), fmt.Sprintf("shard %d", i))
		}
		assertDeletingLines(t, res, n, []string{"data/p/gone.txt", "data/p/shards/"})
	}
	if lines := linesWith(r.stderr, "*deleting", "shards"); len(lines) != 2 {
		t.Errorf("the log of sync -v has %d \"*deleting\" lines for the shards, want one per destination (2):\n%s",
			len(lines), strings.Join(lines[:min(len(lines), 10)], "\n"))
	}

	h.ok("project", "edit", "p", "--deletes", "keep")
	if err := os.Remove(filepath.Join(c1, "data/p/kept.txt")); err != nil {
		t.Fatal(err)
	}
	res, _ = h.syncOK()
	for _, n := range h.names() {
		assertHas(t, n, tree(t, h.root(n)), "data/p/kept.txt", "data/p/kept.txt as first synced")
		if kept := runVersions(t, h.root(n), res.RunID); len(kept) != 0 {
			t.Errorf("with --deletes keep, the run kept versions on %s: %v", n, kept)
		}
	}
}

// assertDeletingLines wants the transfers to computer to delete exactly paths.
func assertDeletingLines(t *testing.T, res twoWayResult, computer string, paths []string) {
	t.Helper()
	var got []string
	for _, tr := range res.Transfers {
		for _, c := range tr.Changes {
			if tr.To == computer && c.Code == "*deleting" {
				got = append(got, c.Path)
			}
		}
	}
	if slices.Sort(got); !slices.Equal(got, paths) {
		t.Errorf("the transfers to %s deleted %d paths %v, want %v", computer, len(got), got[:min(len(got), 10)], paths)
	}
}

// linesWith is every line of text that holds each of words.
func linesWith(text string, words ...string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(line, w) }) {
			out = append(out, strings.TrimSuffix(line, "\n"))
		}
	}
	return out
}
