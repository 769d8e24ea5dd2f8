package testfleet

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// maxSockPath keeps AgentSock under the ~104-byte limit of a Unix socket path.
const maxSockPath = 100

// startAgent runs an ssh-agent on AgentSock and adds ClientKey to it.
//
// The agent runs as "ssh-agent -a SOCK cat" with cat reading a lifeline pipe: ssh-agent
// forks, the agent half checks every 10 s that its parent (cat) still lives, and cat ends
// when this process dies. "ssh-agent -D" would outlive a crashed test, since ssh-agent
// is set-gid and so loses the Pdeathsig that ends sshd. stop kills cat and the agent
// (found as cat's child) at once.
func (f *Fleet) startAgent() error {
	f.AgentSock = filepath.Join(f.Dir, "agent.sock")
	if len(f.AgentSock) > maxSockPath {
		dir, err := shortTempDir()
		if err != nil {
			return err
		}
		f.sockDir = dir
		f.AgentSock = filepath.Join(dir, "agent.sock")
	}
	logPath := filepath.Join(f.Dir, "agent.log")
	p, err := startWithLifeline(logPath, "ssh-agent", "-a", f.AgentSock, "cat")
	if err != nil {
		return fmt.Errorf("start ssh-agent: %w", err)
	}
	f.agent = p
	if err := waitSocket(p, f.AgentSock, logPath); err != nil {
		return err
	}
	return addKey(f.Env(), f.ClientKey)
}

// addKey adds key to the agent. The socket file appears at bind(), a moment before the
// agent listens, so a refused first connection is retried for a while.
func addKey(env []string, key string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		cmd := exec.Command("ssh-add", "-q", key)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("ssh-add %s: %v\n%s", key, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shortTempDir makes a folder whose path leaves room for a socket name.
func shortTempDir() (string, error) {
	for _, parent := range []string{"", "/tmp"} {
		dir, err := os.MkdirTemp(parent, "fsag")
		if err != nil {
			continue
		}
		if len(dir) <= maxSockPath-len("/agent.sock") {
			return dir, nil
		}
		_ = os.Remove(dir)
	}
	return "", errors.New("no temporary folder short enough for the ssh-agent socket")
}

// waitSocket waits until the agent listens on sock.
func waitSocket(p *process, sock, logPath string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		if fi, err := os.Stat(sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return nil
		}
		if p.exited() || time.Now().After(deadline) {
			return fmt.Errorf("ssh-agent did not create %s\n--- agent log ---\n%s", sock, tail(logPath, 4096))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
