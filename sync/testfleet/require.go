package testfleet

import (
	"fmt"
	"os"
	"os/exec"
)

// DefaultSSHD is where openssh-server installs sshd; sshd must be started by absolute path.
const DefaultSSHD = "/usr/sbin/sshd"

// clientTools are the programs, found in PATH, that the fixture and the tests run.
var clientTools = []struct{ name, pkg string }{
	{"ssh", "openssh-client"},
	{"ssh-keygen", "openssh-client"},
	{"ssh-agent", "openssh-client"},
	{"ssh-add", "openssh-client"},
	{"rsync", "rsync"},
}

// CheckPrograms returns an error naming the first program a fleet needs that is missing:
// the sshd executable at sshdPath, or ssh, ssh-keygen, ssh-agent, ssh-add or rsync in PATH.
func CheckPrograms(sshdPath string) error {
	if fi, err := os.Stat(sshdPath); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s not found; install openssh-server (make test does this)", sshdPath)
	}
	for _, tool := range clientTools {
		if _, err := exec.LookPath(tool.name); err != nil {
			return fmt.Errorf("%s not found in PATH; install %s (make test does this)", tool.name, tool.pkg)
		}
	}
	return nil
}
