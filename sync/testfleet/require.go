package testfleet

import (
	"os"
	"os/exec"
	"testing"
)

// sshdPath is where openssh-server installs sshd; sshd must be started by absolute path.
const sshdPath = "/usr/sbin/sshd"

// clientTools are the programs, found in PATH, that the fixture and the tests run.
var clientTools = []struct{ name, pkg string }{
	{"ssh", "openssh-client"},
	{"ssh-keygen", "openssh-client"},
	{"ssh-agent", "openssh-client"},
	{"ssh-add", "openssh-client"},
	{"rsync", "rsync"},
}

// Require fails t (it does not skip) with a setup message when a program the fleet
// needs is missing: sshd, ssh, ssh-keygen, ssh-agent, ssh-add or rsync.
func Require(t testing.TB) {
	t.Helper()
	if fi, err := os.Stat(sshdPath); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("setup: %s not found; install openssh-server (make test does this)", sshdPath)
	}
	for _, tool := range clientTools {
		if _, err := exec.LookPath(tool.name); err != nil {
			t.Fatalf("setup: %s not found in PATH; install %s (make test does this)", tool.name, tool.pkg)
		}
	}
}
