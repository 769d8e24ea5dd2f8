package e2e

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Now().Add(-24 * time.Hour).Truncate(time.Second)

// TestSyncAll_EveryComputerEndsWithTheUnion: four computers (this one and three over ssh,
// so local, remote-to-local and remote-to-remote transfers all happen).
func TestSyncAll_EveryComputerEndsWithTheUnion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj", "--ignore", "[ data/cache, *.tmp, __pycache__ ]")
	write(t, h.root("here"), "data/proj/a.txt", "from here", t0)
	write(t, h.root("c1"), "models/proj/m1.bin", "model 1", t0)
	write(t, h.root("c1"), "data/proj/shared.txt", "old on c1", t0.Add(-2*time.Hour))
	write(t, h.root("c1"), "other/outside.txt", "not a project folder", t0)
	write(t, h.root("c2"), "data/proj/sub/b.txt", "from c2", t0)
	write(t, h.root("c3"), "data/proj/shared.txt", "new on c3", t0.Add(-time.Hour))
	write(t, h.root("c3"), "data/proj/cache/big", "ignored folder", t0)
	write(t, h.root("c3"), "data/proj/sub/x.tmp", "ignored glob", t0)
	write(t, h.root("c3"), "data/proj/deep/er/__pycache__/m.pyc", "ignored at depth", t0)
	before := map[string]map[string]string{}
	for _, n := range h.names() {
		before[n] = tree(t, h.root(n))
	}

	res, r := h.syncJSON("sync")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("sync: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/a.txt", "from here")
		assertHas(t, n, files, "models/proj/m1.bin", "model 1")
		assertHas(t, n, files, "data/proj/sub/b.txt", "from c2")
		assertHas(t, n, files, "data/proj/shared.txt", "new on c3")
		for rel := range before[n] {
			if _, ok := files[rel]; !ok {
				t.Errorf("%s lost %s: merge must never delete", n, rel)
			}
		}
		if n == "c3" {
			continue
		}
		for _, rel := range []string{"data/proj/cache/big", "data/proj/sub/x.tmp", "data/proj/deep/er/__pycache__/m.pyc"} {
			assertLacks(t, n, files, rel)
		}
		if n != "c1" {
			assertLacks(t, n, files, "other/outside.txt")
		}
	}
	assertVersionKept(t, h.root("c1"), "data/proj/shared.txt", "old on c1")
}

// assertVersionKept finds the overwritten file under <root>/.filesync/versions/<run>/.
func assertVersionKept(t *testing.T, root, rel, want string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(root, ".filesync", "versions", "*", filepath.FromSlash(rel)))
	for _, m := range matches {
		if b, _ := os.ReadFile(m); string(b) == want {
			return
		}
	}
	t.Errorf("the overwritten %q of %s is not kept under %s/.filesync/versions (found %v)", want, rel, root, matches)
}

func TestSyncAll_SecondRunTransfersNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/a", "a", t0)
	write(t, h.root("c2"), "models/proj/b", "b", t0)
	h.ok("sync")
	res, r := h.syncJSON("sync")
	if r.code != 0 || res.Files != 0 {
		t.Fatalf("second sync: exit %d, %d files transferred, want 0 (%s)", r.code, res.Files, res.Summary)
	}
}

func TestSyncComputer_OnlyThatComputerReceives(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	for i, n := range h.names() {
		write(t, h.root(n), "data/proj/"+n+".txt", n, t0.Add(time.Duration(i)*time.Minute))
	}
	before := map[string]map[string]string{}
	for _, n := range h.names() {
		before[n] = tree(t, h.root(n))
	}
	h.ok("sync", "--computer", "c2")
	for _, n := range h.names() {
		files := withoutVersions(tree(t, h.root(n)))
		if n != "c2" {
			if !maps.Equal(files, before[n]) {
				t.Errorf("%s changed: %v, was %v", n, files, before[n])
			}
			continue
		}
		for _, m := range h.names() {
			assertHas(t, n, files, "data/proj/"+m+".txt", m)
		}
	}
}

func TestRun_PushesOnlyAfterTheTaskSucceeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	out := filepath.Join(h.root("here"), "models", "proj", "out.txt")
	h.ok("run", "--project", "proj", "--computer", "here", "--", "sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && echo trained > \"$1\"", "task", out)
	for _, n := range h.names() {
		assertHas(t, n, tree(t, h.root(n)), "models/proj/out.txt", "trained\n")
	}

	failed := filepath.Join(h.root("here"), "models", "proj", "failed.txt")
	r := h.cli("run", "--project", "proj", "--computer", "here", "--", "sh", "-c", "echo half > \"$1\"; exit 3", "task", failed)
	if r.code != 3 {
		t.Fatalf("a task exiting 3 made filesync exit %d, want 3\n%s", r.code, r.stderr)
	}
	for _, n := range h.names()[1:] {
		assertLacks(t, n, tree(t, h.root(n)), "models/proj/failed.txt")
	}
}

func TestRun_OnARemoteComputerPushesFromThere(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	out := filepath.Join(h.root("c1"), "models", "proj", "remote.txt")
	h.ok("run", "--project", "proj", "--computer", "c1", "--", "sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && echo 'from c1; $(not run)' > \"$1\"", "task", out)
	for _, n := range h.names() {
		assertHas(t, n, tree(t, h.root(n)), "models/proj/remote.txt", "from c1; $(not run)\n")
	}
}

func TestSync_StoppedComputerFailsAndTheOthersStillSync(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/one", "1", t0)
	write(t, h.root("c2"), "data/proj/two", "2", t0)
	h.computer("c3").Stop(t)
	res, r := h.syncJSON("sync")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("sync with c3 down: exit %d status %s, want 1 and failed", r.code, res.Status)
	}
	if !strings.Contains(res.Summary, "c3") || !strings.Contains(r.stderr, "c3") {
		t.Errorf("the failure does not name c3: summary %q, stderr:\n%s", res.Summary, r.stderr)
	}
	for _, c := range res.Computers {
		want := "ok"
		if c.Name == "c3" {
			want = "unreachable"
		}
		if c.Status != want {
			t.Errorf("%s: status %q (%s), want %q", c.Name, c.Status, c.Reason, want)
		}
	}
	for _, n := range []string{"here", "c1", "c2"} {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/one", "1")
		assertHas(t, n, files, "data/proj/two", "2")
	}
}

func TestSync_ChangedHostKeyIsRefusedWithBothFingerprints(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/secret", "for trusted computers only", t0)
	c2 := h.computer("c2")
	pinned := c2.Fingerprint(t)
	c2.ChangeHostKey(t)
	offered := c2.Fingerprint(t)
	res, r := h.syncJSON("sync")
	if r.code != 1 {
		t.Fatalf("sync: exit %d, want 1", r.code)
	}
	var reason string
	for _, c := range res.Computers {
		if c.Name == "c2" {
			if c.Status != "host key changed" {
				t.Errorf("c2 status %q, want host key changed", c.Status)
			}
			reason = c.Reason
		}
	}
	if !strings.Contains(reason, pinned) || !strings.Contains(reason, offered) {
		t.Errorf("reason %q lacks the pinned %s or the offered %s", reason, pinned, offered)
	}
	if files := tree(t, c2.Root); len(files) != 0 {
		t.Errorf("files were written to the computer with the changed key: %v", files)
	}
	assertHas(t, "c1", tree(t, h.root("c1")), "data/proj/secret", "for trusted computers only")

	h.ok("computer", "trust", "c2")
	h.ok("sync")
	assertHas(t, "c2", tree(t, c2.Root), "data/proj/secret", "for trusted computers only")
}

// TestSync_HostileNamesAreCopiedAndNeverExecuted: names full of shell syntax must reach
// every computer as plain names, and nothing in them may run.
func TestSync_HostileNamesAreCopiedAndNeverExecuted(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	marker := "pwned-" + filepath.Base(t.TempDir())
	project := "it's `touch " + marker + "` $(touch " + marker + "); x & y ü"
	folder := "notes \"q\" 'q' $(touch " + marker + ") ; é"
	h.ok("project", "add", project, "--sync", "[ data, "+folder+" ]")
	write(t, h.root("here"), "data/"+project+"/new line? no: tab\tand spaces.txt", "data file", t0)
	write(t, h.root("c1"), folder+"/模型 $(touch "+marker+").bin", "weights", t0)
	h.ok("sync")
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/"+project+"/new line? no: tab\tand spaces.txt", "data file")
		assertHas(t, n, files, folder+"/模型 $(touch "+marker+").bin", "weights")
	}
	home, _ := os.UserHomeDir()
	wd, _ := os.Getwd()
	for _, dir := range append([]string{home, wd, h.fleet.Dir}, rootsOf(h)...) {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			t.Fatalf("a name was executed: %s exists in %s", marker, dir)
		}
	}
}

func rootsOf(h *harness) []string {
	var roots []string
	for _, n := range h.names() {
		roots = append(roots, h.root(n))
	}
	return roots
}
