package e2e

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// withoutAgent is env without SSH_AUTH_SOCK: the CLI runs as if no ssh agent ran here.
func withoutAgent(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "SSH_AUTH_SOCK=") })
}

// TestSync_WithoutAnAgentRelaysBetweenRemoteComputers: with no ssh agent to forward, a
// remote computer cannot log in to another one, so their transfers go through this one.
func TestSync_WithoutAnAgentRelaysBetweenRemoteComputers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.env = withoutAgent(h.env)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "here", "--enabled=false")
	write(t, h.root("c1"), "data/proj/one", "1", t0)
	write(t, h.root("c2"), "data/proj/two", "2", t0)
	before := h.fleetState(t)
	if plan, r := h.preview("sync"); r.code != 0 || plan.Files != 2 {
		t.Errorf("sync --dry-run without an agent: exit %d, %d files planned; want 0, 2\n%s", r.code, plan.Files, r.stderr)
	}
	if after := h.fleetState(t); !maps.EqualFunc(after, before, maps.Equal) {
		t.Errorf("a dry run without an agent copied something (a relay stage?):\nbefore %v\nafter  %v", before, after)
	}
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

// TestSync_WithAnAgentAfterARunWithoutOne: the connections a run without an agent leaves
// open (ControlPersist) forward no agent; a run with the agent a moment later must not
// reuse them, or its remote-to-remote pulls cannot log in to their source.
func TestSync_WithAnAgentAfterARunWithoutOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	withAgent := h.env
	h.env = withoutAgent(withAgent)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "here", "--enabled=false")
	write(t, h.root("c1"), "data/proj/one", "1", t0)
	h.ok("sync")
	h.env = withAgent
	write(t, h.root("c2"), "data/proj/two", "2", t0)
	r := h.ok("sync")
	for _, n := range []string{"c1", "c2", "c3"} {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/one", "1")
		assertHas(t, n, files, "data/proj/two", "2")
	}
	if strings.Contains(r.stderr, "filesync/stage") {
		t.Errorf("with the agent, transfers between remote computers were relayed:\n%s", r.stderr)
	}
}
