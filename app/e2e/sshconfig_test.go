package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filesync/sync/testfleet"
)

// TestComputerAdd_ByAliasTakesHostPortUserAndIdentityFromSSHConfig: c1 is reached only
// through an alias of ~/.ssh/config (under the CLI's own HOME) that gives its address,
// port, user and key. No agent runs, so the login works only with the alias's key.
func TestComputerAdd_ByAliasTakesHostPortUserAndIdentityFromSSHConfig(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	c1 := h.computer("c1")
	h.ok("computer", "rm", "c1")
	home := t.TempDir()
	config := fmt.Sprintf("Host gpu-a\n  HostName %s\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n",
		c1.Host, c1.Port, h.fleet.User, h.fleet.ClientKey)
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	h.env = append(withoutAgent(h.env), "HOME="+home)

	r := h.ok("computer", "add", "gpu-a", "--host", "gpu-a", "--root", c1.Root, "--trust")
	want := c1.Fingerprint(t)
	if !strings.Contains(r.stdout, "host key pinned: "+want) {
		t.Errorf("computer add did not pin c1's key %s:\n%s", want, r.stdout)
	}
	got := h.listed(t, "gpu-a")
	if got.Host != "gpu-a" || got.HostName != c1.Host || got.Port != c1.Port || got.User != h.fleet.User || got.Fingerprint != want {
		t.Errorf("computer list --json shows %+v; want host gpu-a, hostname %s, port %d, user %s, fingerprint %s",
			got, c1.Host, c1.Port, h.fleet.User, want)
	}

	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/one", "1", t0)
	h.ok("sync")
	assertHas(t, "gpu-a", tree(t, c1.Root), "data/proj/one", "1")

	closed := testfleet.FreePort(t, c1.Host)
	r = h.ok("computer", "add", "gpu-b", "--host", "gpu-a", "--port", fmt.Sprint(closed), "--user", "someone", "--root", c1.Root)
	if where := fmt.Sprintf("%s port %d", c1.Host, closed); !strings.Contains(r.stderr, where) {
		t.Errorf("the host key was not fetched from the --port given (%s):\n%s", where, r.stderr)
	}
	if got := h.listed(t, "gpu-b"); got.Port != closed || got.User != "someone" || got.HostName != c1.Host {
		t.Errorf("flags given did not win over ~/.ssh/config: %+v", got)
	}
}
