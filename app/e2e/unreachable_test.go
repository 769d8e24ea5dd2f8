package e2e

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSync_SilentComputerIsUnreachableAfterTheConnectTimeout: a computer whose port
// accepts TCP but never speaks SSH (a hung machine, a black-holed NAT) is reported
// unreachable once ssh's ConnectTimeout passes, and the others sync meanwhile.
func TestSync_SilentComputerIsUnreachableAfterTheConnectTimeout(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	port := silent.Addr().(*net.TCPAddr).Port
	h.ok("computer", "edit", "c2", "--host", "127.0.0.1", "--port", fmt.Sprint(port))
	write(t, h.root("c1"), "data/proj/from-c1", "c1", t0)

	start := time.Now()
	res, r := h.syncJSON("sync")
	t.Logf("sync with a silent computer took %s", time.Since(start).Round(100*time.Millisecond))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	for _, c := range res.Computers {
		switch {
		case c.Name == "c2" && (c.Status != "unreachable" || !strings.Contains(c.Reason, "c2")):
			t.Errorf("c2: status %q reason %q, want unreachable naming c2", c.Status, c.Reason)
		case c.Name != "c2" && c.Status != "ok":
			t.Errorf("%s: status %q (%s), want ok", c.Name, c.Status, c.Reason)
		}
	}
	assertHas(t, "here", tree(t, h.root("here")), "data/proj/from-c1", "c1")
}
