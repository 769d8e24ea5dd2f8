package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestComputerCheck_ReportsAMissingRootAndCreatesNothing: a mistyped root folder, local or
// remote, is reported missing (the first sync creates it) and passes, since the folder
// that would hold it is writable; the check creates nothing.
func TestComputerCheck_ReportsAMissingRootAndCreatesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	missing := map[string]string{
		"here": filepath.Join(h.here, "typo", "root"),
		"c1":   filepath.Join(h.root("c1"), "typo", "root"),
	}
	for name, root := range missing {
		h.ok("computer", "edit", name, "--root", root)
	}
	reports, r := h.check()
	if r.code != 0 {
		t.Fatalf("computer check --json: exit %d, want 0 (a missing root under a writable folder passes)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for name := range missing {
		if rep := reports[name]; rep.Status != "ok" || rep.RootExists || !rep.Writable {
			t.Errorf("%s: status %q (%s), root_exists %v, writable %v; want ok, missing, writable", name, rep.Status, rep.Error, rep.RootExists, rep.Writable)
		}
	}
	text := h.ok("computer", "check").stdout
	if n := strings.Count(text, "missing: the first sync creates it"); n != 2 {
		t.Errorf("computer check says %d times that a root is missing, want 2:\n%s", n, text)
	}
	for name, root := range missing {
		if _, err := os.Stat(filepath.Dir(root)); !os.IsNotExist(err) {
			t.Errorf("%s: check created %s (stat: %v)", name, filepath.Dir(root), err)
		}
	}
}

// TestComputerCheck_AsksANewConnection: after a computer's sshd stopped listening, the
// connection a sync left open still answers; check must report what a new connection
// meets: unreachable.
func TestComputerCheck_AsksANewConnection(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("sync")
	if open := h.computer("c2").StopListening(t); open == 0 {
		t.Fatal("setup: the sync left no connection open to c2")
	}
	reports, r := h.check()
	if r.code != 1 {
		t.Fatalf("computer check --json: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if c2 := reports["c2"]; c2.Status != "unreachable" {
		t.Errorf("c2 stopped listening: status %q (%s), want unreachable", c2.Status, c2.Error)
	}
	if c1 := reports["c1"]; c1.Status != "ok" {
		t.Errorf("c1: status %q (%s), want ok", c1.Status, c1.Error)
	}
}

// TestComputerCheck_TimesTheStartOfACommand: check times a command over an open connection
// and explains a slow one; a computer whose shell starts at once gets no advice, and a
// local computer starts no shell.
func TestComputerCheck_TimesTheStartOfACommand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	const slow = 500 * time.Millisecond
	h.computer("c1").SetShellStart(t, slow)
	reports, r := h.check()
	if r.code != 0 {
		t.Fatalf("computer check --json: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if ms := reports["c1"].SessionStartMS; ms < 400 {
		t.Errorf("c1 (shell start %s): session_start_ms %d, want at least 400", slow, ms)
	}
	if ms := reports["c2"].SessionStartMS; ms <= 0 {
		t.Errorf("c2: session_start_ms %d, want it timed", ms)
	}
	if ms := reports["here"].SessionStartMS; ms != 0 {
		t.Errorf("here (local): session_start_ms %d, want none", ms)
	}
	text := h.ok("computer", "check").stdout
	t.Logf("computer check:\n%s", text)
	for _, want := range []string{"starting a command on c1 takes 0.", "~/.bashrc", "case $- in *i*) ;; *) return;; esac"} {
		if !strings.Contains(text, want) {
			t.Errorf("computer check does not say %q:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{"on c2 takes", "on here takes"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("computer check advises about a computer that starts commands at once (%q):\n%s", unwanted, text)
		}
	}
}
