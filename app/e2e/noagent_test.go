package e2e

import (
	"strings"
	"testing"
)

// TestSync_WithoutAnAgentRelaysBetweenRemoteComputers: with no ssh agent to forward, a
// remote computer cannot log in to another one, so their transfers go through this one.
func TestSync_WithoutAnAgentRelaysBetweenRemoteComputers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	var env []string
	for _, kv := range h.env {
		if !strings.HasPrefix(kv, "SSH_AUTH_SOCK=") {
			env = append(env, kv)
		}
	}
	h.env = env
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "here", "--enabled=false")
	write(t, h.root("c1"), "data/proj/one", "1", t0)
	write(t, h.root("c2"), "data/proj/two", "2", t0)
	r := h.ok("sync", "-v")
	for _, n := range []string{"c1", "c2"} {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/one", "1")
		assertHas(t, n, files, "data/proj/two", "2")
	}
	if !strings.Contains(r.stderr, "filesync/stage") {
		t.Errorf("the transfer between c1 and c2 was not relayed through the stage:\n%s", r.stderr)
	}
}
