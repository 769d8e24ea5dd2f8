package e2e

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

type statusCount struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

type statusDoc struct {
	InSync    bool `json:"in_sync"`
	Computers []struct {
		Name, Status, Reason string
	} `json:"computers"`
	Cells []struct {
		Computer  string      `json:"computer"`
		Project   string      `json:"project"`
		State     string      `json:"state"`
		Reason    string      `json:"reason"`
		Receive   statusCount `json:"receive"`
		NewerHere statusCount `json:"newer_here"`
		Synced    bool        `json:"synced"`
		FileCount int         `json:"file_count"`
		Files     []struct {
			Path      string `json:"path"`
			Direction string `json:"direction"`
			NewestOn  string `json:"newest_on"`
			Size      int64  `json:"size"`
		} `json:"files"`
	} `json:"cells"`
}

// states is each computer's cell state (the tests have one project).
func (d statusDoc) states() map[string]string {
	out := map[string]string{}
	for _, c := range d.Cells {
		out[c.Computer] = c.State
	}
	return out
}

// reason is why the computer's cell could not be listed.
func (d statusDoc) reason(computer string) string {
	for _, c := range d.Cells {
		if c.Computer == computer {
			return c.Reason
		}
	}
	return ""
}

// status runs filesync status --json with args and decodes it.
func (h *harness) status(args ...string) (statusDoc, result) {
	h.t.Helper()
	r := h.cli(append([]string{"status", "--json"}, args...)...)
	var doc statusDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		h.t.Fatalf("status --json %q: exit %d, stdout is not JSON (%v):\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return doc, r
}

type previewDoc struct {
	Files        int   `json:"files"`
	Bytes        int64 `json:"bytes"`
	Deletes      int   `json:"deletes"`
	Destinations []struct {
		Computer string `json:"computer"`
		Files    int    `json:"files"`
		Bytes    int64  `json:"bytes"`
		Deletes  int    `json:"deletes"`
		Changes  []struct {
			Path   string `json:"path"`
			From   string `json:"from"`
			Delete bool   `json:"delete"`
		} `json:"changes"`
	} `json:"destinations"`
}

func (h *harness) preview(args ...string) (previewDoc, result) {
	h.t.Helper()
	r := h.cli(append(args, "--dry-run", "--json")...)
	var doc previewDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		h.t.Fatalf("%q --dry-run --json: exit %d, stdout is not JSON (%v):\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return doc, r
}

// fleetState is every file's size and mtime on every computer, and what this computer's
// cache folder holds but for the log: what "changes nothing" is checked against.
func (h *harness) fleetState(t *testing.T) map[string]map[string]fileInfo {
	t.Helper()
	s := map[string]map[string]fileInfo{}
	for _, n := range h.names() {
		s[n] = listing(t, h.root(n))
	}
	s["cache"] = listing(t, h.cacheDir())
	for p := range s["cache"] {
		if strings.HasPrefix(p, "filesync/filesync.log") {
			delete(s["cache"], p)
		}
	}
	return s
}

func (h *harness) cacheDir() string {
	for _, kv := range h.env {
		if dir, ok := strings.CutPrefix(kv, "XDG_CACHE_HOME="); ok {
			return dir
		}
	}
	h.t.Fatal("the harness sets no XDG_CACHE_HOME")
	return ""
}

// received is, per computer, what a run changed in its project folders: files added or
// changed (with their new sizes) and files gone.
type received struct {
	files   int
	bytes   int64
	deletes int
}

func receivedBetween(before, after map[string]map[string]fileInfo) map[string]received {
	out := map[string]received{}
	for n, files := range after {
		if n == "cache" {
			continue
		}
		var r received
		for p, f := range files {
			if strings.HasPrefix(p, ".filesync/") {
				continue
			}
			if old, ok := before[n][p]; !ok || old != f {
				r.files++
				r.bytes += f.size
			}
		}
		for p := range before[n] {
			if _, ok := files[p]; !ok && !strings.HasPrefix(p, ".filesync/") {
				r.deletes++
			}
		}
		out[n] = r
	}
	return out
}

func assertPreviewWasTrue(t *testing.T, what string, p previewDoc, got map[string]received) {
	t.Helper()
	planned := map[string]received{}
	for _, d := range p.Destinations {
		planned[d.Computer] = received{d.Files, d.Bytes, d.Deletes}
	}
	for n, r := range got {
		if planned[n] != r {
			t.Errorf("%s: the dry run planned %+v for %s, the real run changed %+v", what, planned[n], n, r)
		}
	}
}

// TestStatus_ShowsWhatEachComputerLacksChangesNothingAndDryRunsTellTheTruth: four
// computers (c1, c2, c3, here in the fleet's order), each lacking other files, the oldest
// copy of conf.txt on the first computer and the newest on the last remote one, which
// alone holds a model.
func TestStatus_ShowsWhatEachComputerLacksChangesNothingAndDryRunsTellTheTruth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/conf.txt", "v1", t0)
	write(t, h.root("c2"), "data/proj/conf.txt", "v2 longer", t0.Add(time.Hour))
	write(t, h.root("c3"), "data/proj/conf.txt", "v3 longest", t0.Add(2*time.Hour))
	write(t, h.root("c3"), "models/proj/only-last.bin", strings.Repeat("m", 1000), t0)
	write(t, h.root("here"), "data/proj/only-here.txt", "here!", t0)
	before := h.fleetState(t)
	runsBefore := len(h.history())

	doc, r := h.status()
	if r.code != 1 || doc.InSync {
		t.Fatalf("status of a fleet out of sync: exit %d, in_sync %v; want 1, false\nstderr:\n%s", r.code, doc.InSync, r.stderr)
	}
	want := map[string][2]statusCount{ // receive, newer here
		"c1":   {{3, 10 + 5 + 1000}, {0, 0}},
		"c2":   {{3, 10 + 5 + 1000}, {0, 0}},
		"c3":   {{1, 5}, {2, 10 + 1000}},
		"here": {{2, 10 + 1000}, {1, 5}},
	}
	for _, c := range doc.Cells {
		w := want[c.Computer]
		if c.Receive != w[0] || c.NewerHere != w[1] || c.State != "out of sync" || c.Synced {
			t.Errorf("%s: %s, receive %+v, newer here %+v, synced %v; want out of sync, %+v, %+v, never synced",
				c.Computer, c.State, c.Receive, c.NewerHere, c.Synced, w[0], w[1])
		}
	}
	table := h.cli("status")
	for _, text := range []string{"2 files, 1.0 kB to receive; 1 newer here", "3 files, 1.0 kB to receive", "1 file, 5 B to receive; 2 newer here", "never synced"} {
		if !strings.Contains(table.stdout, text) {
			t.Errorf("the status table lacks %q:\n%s", text, table.stdout)
		}
	}
	files, _ := h.status("--files", "--computer", "c1")
	if len(files.Cells) != 1 || files.Cells[0].FileCount != 3 {
		t.Fatalf("status --files --computer c1: %+v, want c1's cell with its 3 files", files.Cells)
	}
	newest := map[string]string{}
	for _, f := range files.Cells[0].Files {
		newest[f.Path] = f.NewestOn
	}
	if want := map[string]string{"data/proj/conf.txt": "c3", "data/proj/only-here.txt": "here", "models/proj/only-last.bin": "c3"}; !maps.Equal(newest, want) {
		t.Errorf("c1's files and where their newest copy is: %v, want %v", newest, want)
	}
	if after := h.fleetState(t); !maps.EqualFunc(after, before, maps.Equal) {
		t.Errorf("status changed files or caches:\nbefore %v\nafter  %v", before, after)
	}
	if n := len(h.history()); n != runsBefore {
		t.Errorf("status recorded %d runs", n-runsBefore)
	}

	plan, r := h.preview("sync")
	if r.code != 0 || plan.Files != 9 {
		t.Fatalf("sync --dry-run: exit %d, %d files; want 0, 9\nstdout:\n%s\nstderr:\n%s", r.code, plan.Files, r.stdout, r.stderr)
	}
	if after := h.fleetState(t); !maps.EqualFunc(after, before, maps.Equal) {
		t.Errorf("sync --dry-run changed files or caches")
	}
	h.ok("sync")
	assertPreviewWasTrue(t, "Sync all", plan, receivedBetween(before, h.fleetState(t)))

	doc, r = h.status()
	if r.code != 0 || !doc.InSync {
		t.Errorf("status after Sync all: exit %d, in sync %v; want 0, true\n%s", r.code, doc.InSync, r.stdout)
	}
	for _, c := range doc.Cells {
		if !c.Synced {
			t.Errorf("%s: no agreed state after a complete Sync all", c.Computer)
		}
	}
	if text := h.cli("status").stdout; !strings.Contains(text, "everything is in sync") {
		t.Errorf("the status table after Sync all:\n%s", text)
	}
}

// TestPushDryRun_CountsTheMirrorsDeletions: a mirror push's dry run names the files the
// real push then deletes, per destination.
func TestPushDryRun_CountsTheMirrorsDeletions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--mode", "mirror")
	for _, n := range h.names() {
		for _, f := range []string{"a", "b", "c"} {
			write(t, h.root(n), "data/proj/"+f, "same", t0)
		}
	}
	write(t, h.root("c2"), "data/proj/extra-on-c2", "to be deleted", t0)
	write(t, h.root("c1"), "data/proj/new-on-c1", "sent", t0)
	before := h.fleetState(t)

	plan, r := h.preview("push", "--project", "proj", "--from", "c1")
	if r.code != 0 || plan.Deletes != 1 || plan.Files != 2 {
		t.Fatalf("push --dry-run: exit %d, %d files, %d deletes; want 0, 2 (new-on-c1 to here and c2), 1\n%s\n%s", r.code, plan.Files, plan.Deletes, r.stdout, r.stderr)
	}
	h.ok("push", "--project", "proj", "--from", "c1")
	got := receivedBetween(before, h.fleetState(t))
	delete(got, "c1")
	assertPreviewWasTrue(t, "mirror push", plan, got)
	if _, err := os.Stat(filepath.Join(h.root("c2"), "data/proj/extra-on-c2")); !os.IsNotExist(err) {
		t.Errorf("the push did not delete extra-on-c2 (%v): the test proves nothing", err)
	}
}

// TestStatus_AStoppedComputerIsUnreachableAndTheOthersAreListed.
func TestStatus_AStoppedComputerIsUnreachableAndTheOthersAreListed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/x", "x", t0)
	h.computer("c2").Stop(t)

	doc, r := h.status()
	if r.code != 1 {
		t.Fatalf("status with c2 stopped: exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	states := doc.states()
	if want := map[string]string{"here": "out of sync", "c1": "out of sync", "c2": "unreachable"}; !maps.Equal(states, want) {
		t.Errorf("cells %v, want %v", states, want)
	}
	if reason := doc.reason("c2"); !strings.Contains(reason, "unreachable") {
		t.Errorf("c2's reason %q does not say it is unreachable", reason)
	}
	var hinted []string
	for _, c := range doc.Computers {
		if c.Status != "ok" {
			hinted = append(hinted, c.Name+":"+c.Status)
		}
	}
	if !slices.Equal(hinted, []string{"c2:unreachable"}) {
		t.Errorf("computers not ok: %v, want c2 unreachable", hinted)
	}
}

// TestStatus_OneSessionPerComputerWithASlowShellAndNoAgent: every ssh session starts the
// user's shell (half a second here, as a conda init in ~/.bashrc takes), so a status is
// one listing per computer and nothing else, with or without an ssh agent.
func TestStatus_OneSessionPerComputerWithASlowShellAndNoAgent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("c2"), "data/proj/x", "x", t0)
	for _, c := range h.fleet.Computers {
		c.SetShellStart(t, 500*time.Millisecond)
	}
	withAgent := h.env
	for _, env := range [][]string{withAgent, withoutAgent(withAgent)} {
		h.env = env
		before := map[string]int{}
		for _, c := range h.fleet.Computers {
			before[c.Name] = c.SessionsStarted()
		}
		doc, r := h.status()
		if r.code != 1 || len(doc.Cells) != 3 {
			t.Fatalf("status: exit %d, %d cells; want 1 (c2 holds a file the others lack), 3\n%s", r.code, len(doc.Cells), r.stderr)
		}
		for _, c := range h.fleet.Computers {
			if n := c.SessionsStarted() - before[c.Name]; n != 1 {
				t.Errorf("agent %v: status started %d ssh sessions on %s, want 1 (its listing)", slices.Equal(env, withAgent), n, c.Name)
			}
		}
	}
}

// TestStatus_AComputerFrozenWithItsConnectionOpenIsUnreachable: a computer that stops
// answering on the connection a status left open (its sshd sessions frozen, as when it
// loses power behind a switch: no reset) is unreachable after the connect timeout, and
// the others' cells arrive all the same.
func TestStatus_AComputerFrozenWithItsConnectionOpenIsUnreachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/x", "x", t0)
	if _, r := h.status(); r.code != 1 {
		t.Fatalf("first status: exit %d\n%s", r.code, r.stderr)
	}
	sessions := h.computer("c2").Sessions()
	if len(sessions) == 0 {
		t.Fatal("c2 has no open connection to freeze: the test proves nothing")
	}
	for _, pid := range sessions {
		if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGCONT) })
	}
	start := time.Now()
	doc, r := h.status()
	took := time.Since(start)
	states := doc.states()
	if r.code != 1 || states["c2"] != "unreachable" || !strings.Contains(doc.reason("c2"), "no answer") ||
		states["c1"] != "out of sync" || states["here"] != "out of sync" {
		t.Errorf("status with c2 frozen (%s): exit %d, cells %v; want c2 unreachable (no answer), c1 and here listed", took, r.code, states)
	}
	t.Logf("status with a frozen computer took %s", took)
}
