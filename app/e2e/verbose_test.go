package e2e

import (
	"strings"
	"testing"
)

// TestSync_CommandLinesAndStatisticsOnlyWithVerbose: without -v the terminal shows what
// changed and how the run ended, not every rsync command line (about a kilobyte each)
// nor rsync's statistics blocks; -v shows both.
func TestSync_CommandLinesAndStatisticsOnlyWithVerbose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/a.txt", "a", t0)
	r := h.ok("sync")
	if strings.Contains(r.stderr, "$ rsync") || strings.Contains(r.stderr, "Number of files:") {
		t.Errorf("sync without -v printed command lines or statistics:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "data/proj/a.txt") {
		t.Errorf("sync without -v does not say what changed:\n%s", r.stderr)
	}
	write(t, h.root("here"), "data/proj/b.txt", "b", t0)
	r = h.ok("sync", "-v")
	for _, want := range []string{"$ rsync", "Number of files:", "data/proj/b.txt"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("sync -v does not print %q:\n%s", want, r.stderr)
		}
	}
}
