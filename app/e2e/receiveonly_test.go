package e2e

import "testing"

// TestSync_ReceiveOnlyComputerGetsEverythingAndGivesNothing: a backup disk marked
// --receive-only ends with the union, and what only it holds stays there.
func TestSync_ReceiveOnlyComputerGetsEverythingAndGivesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c3", "--receive-only")
	for _, n := range h.names() {
		write(t, h.root(n), "data/proj/"+n, n, t0)
	}
	h.ok("sync")
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		for _, m := range []string{"here", "c1", "c2"} {
			assertHas(t, n, files, "data/proj/"+m, m)
		}
		if n != "c3" {
			assertLacks(t, n, files, "data/proj/c3")
		}
	}
	assertHas(t, "c3", tree(t, h.root("c3")), "data/proj/c3", "c3")
}
