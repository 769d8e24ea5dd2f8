package testfleet

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// maxSockPath keeps AgentSock under the ~104-byte limit of a Unix socket path.
const maxSockPath = 100

// startAgent runs an ssh-agent on AgentSock and adds ClientKey to it.
//
// The agent runs as "ssh-agent -a SOCK cat" with cat reading a lifeline pipe: ssh-agent
// forks, the agent half checks every 10 s that its parent (cat) still lives, and cat ends
// when the test process dies. "ssh-agent -D" would outlive a crashed test, since
// ssh-agent is set-gid and so loses the Pdeathsig that ends sshd. stop kills cat and
// the agent (found as cat's child) at once.
func (f *Fleet) startAgent(t testing.TB) {
	t.Helper()
	f.AgentSock = filepath.Join(f.Dir, "agent.sock")
	if len(f.AgentSock) > maxSockPath {
		f.sockDir = shortTempDir(t)
		f.AgentSock = filepath.Join(f.sockDir, "agent.sock")
	}
	logPath := filepath.Join(f.Dir, "agent.log")
	p, err := startWithLifeline(logPath, "ssh-agent", "-a", f.AgentSock, "cat")
	if err != nil {
		t.Fatalf("setup: start ssh-agent: %v", err)
	}
	f.agent = p
	waitSocket(t, p, f.AgentSock, logPath)
	addKey(t, f.Env(), f.ClientKey)
}

// addKey adds key to the agent. The socket file appears at bind(), a moment before the
// agent listens, so a refused first connection is retried for a while.
func addKey(t testing.TB, env []string, key string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cmd := exec.Command("ssh-add", "-q", key)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("setup: ssh-add %s: %v\n%s", key, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shortTempDir makes a folder whose path leaves room for a socket name.
func shortTempDir(t testing.TB) string {
	t.Helper()
	for _, parent := range []string{"", "/tmp"} {
		dir, err := os.MkdirTemp(parent, "fsag")
		if err != nil {
			continue
		}
		if len(dir) <= maxSockPath-len("/agent.sock") {
			return dir
		}
		_ = os.Remove(dir)
	}
	t.Fatalf("setup: no temporary folder short enough for the ssh-agent socket")
	return ""
}

// waitSocket waits until the agent listens on sock.
func waitSocket(t testing.TB, p *process, sock, logPath string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if fi, err := os.Stat(sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return
		}
		if p.exited() || time.Now().After(deadline) {
			t.Fatalf("setup: ssh-agent did not create %s\n--- agent log ---\n%s", sock, tail(logPath, 4096))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
