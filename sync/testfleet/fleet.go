package testfleet

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// Fleet is a set of test computers: sshd instances on loopback plus an ssh-agent holding the client key.
type Fleet struct {
	Dir       string // everything of this fleet lives here (t.TempDir())
	ClientKey string // private key file (ed25519, no passphrase) authorized on every computer
	AgentSock string // SSH_AUTH_SOCK of an ssh-agent holding ClientKey (agent started by the fixture, killed at cleanup)
	User      string // the current user's login name
	Computers []*Computer

	authorizedKeys string   // <Dir>/authorized_keys, shared by every computer
	agent          *process // the ssh-agent, nil until started
	sockDir        string   // short folder holding AgentSock when Dir is too long; removed at cleanup
	usePAM         bool     // sshd's UsePAM: only for a locked root account (see choosePAM)
}

// maxComputers is how many distinct loopback addresses one test process hands out.
const maxComputers = 240

// Start starts n computers and the agent, and registers a t.Cleanup that stops them all.
// Setup problems (missing programs, sshd refusing its config, a computer that does not
// answer) fail t with a message that starts with "setup:".
func Start(t testing.TB, n int) *Fleet {
	t.Helper()
	Require(t)
	if n < 1 || n > maxComputers {
		t.Fatalf("setup: fleet.Start: n = %d, want 1..%d", n, maxComputers)
	}
	f := &Fleet{Dir: t.TempDir(), User: currentUser(t)}
	t.Cleanup(func() { f.stopAll(t) }) // runs before TempDir's removal (cleanups are LIFO)
	preparePrivsep(t)
	f.choosePAM(t)
	f.writeClientKey(t)
	f.startAgent(t)
	for i := range n {
		c := f.newComputer(t, i)
		f.Computers = append(f.Computers, c)
		c.Start(t)
	}
	return f
}

// Env returns os.Environ() with SSH_AUTH_SOCK set to the fleet's agent and SSH_AGENT_PID removed.
func (f *Fleet) Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SSH_AUTH_SOCK=") || strings.HasPrefix(kv, "SSH_AGENT_PID=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "SSH_AUTH_SOCK="+f.AgentSock)
}

// stopAll stops every sshd and the agent; a process that will not die fails t.
func (f *Fleet) stopAll(t testing.TB) {
	for _, c := range f.Computers {
		if err := c.stop(); err != nil {
			t.Errorf("fleet cleanup: %s: %v", c.Name, err)
		}
	}
	if f.agent != nil {
		if err := f.agent.stop(); err != nil {
			t.Errorf("fleet cleanup: ssh-agent: %v", err)
		}
	}
	if f.sockDir != "" {
		_ = os.RemoveAll(f.sockDir)
	}
}

// currentUser is the login name sshd will accept: the current user's passwd entry.
func currentUser(t testing.TB) string {
	t.Helper()
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	t.Fatalf("setup: cannot tell the login name of uid %d (no passwd entry, USER unset); sshd only accepts users it can look up", os.Getuid())
	return ""
}

// preparePrivsep creates sshd's privilege-separation directory, which sshd started as
// root refuses to run without. Unprivileged sshd does not use it.
func preparePrivsep(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatalf("setup: sshd run as root needs /run/sshd: %v", err)
	}
}

// lockedAccount reports whether sshd run as root would refuse name because its
// /etc/shadow password field starts with "!" ("account is locked"). sshd checks this
// itself only when PAM is off, and even for key logins. Unprivileged sshd cannot read
// the shadow file and never checks.
func lockedAccount(name string) bool {
	if os.Geteuid() != 0 {
		return false
	}
	b, err := os.ReadFile("/etc/shadow")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) == 3 && f[0] == name {
			return strings.HasPrefix(f[1], "!")
		}
	}
	return false
}

// choosePAM decides the UsePAM setting: off, unless the account is locked, in which case
// PAM (whose account check ignores the lock for key logins) is the way in.
func (f *Fleet) choosePAM(t testing.TB) {
	t.Helper()
	if !lockedAccount(f.User) {
		return
	}
	if _, err := os.Stat("/etc/pam.d/sshd"); err != nil {
		t.Fatalf("setup: account %q is locked in /etc/shadow (password \"!...\"), so sshd with UsePAM no refuses it even with a key, and /etc/pam.d/sshd is missing; unlock it without setting a password: usermod -p '*' %s", f.User, f.User)
	}
	t.Logf("fleet: account %q is locked in /etc/shadow; running sshd with UsePAM yes", f.User)
	f.usePAM = true
}

// writeClientKey creates the client key pair and authorizes it for every computer.
func (f *Fleet) writeClientKey(t testing.TB) {
	t.Helper()
	f.ClientKey = filepath.Join(f.Dir, "client_ed25519")
	keygen(t, f.ClientKey, "filesync-fleet-client")
	pub, err := os.ReadFile(f.ClientKey + ".pub")
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	f.authorizedKeys = filepath.Join(f.Dir, "authorized_keys")
	if err := os.WriteFile(f.authorizedKeys, pub, 0o600); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

// keygen writes a new ed25519 key pair without passphrase to path and path.pub,
// replacing any existing pair.
func keygen(t testing.TB, path, comment string) {
	t.Helper()
	_ = os.Remove(path)
	_ = os.Remove(path + ".pub")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("setup: ssh-keygen %s: %v\n%s", path, err, out)
	}
}

// run runs argv and returns its combined output, failing t with it on error.
func run(t testing.TB, env []string, argv ...string) string {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup: %s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}

// tail returns at most the last n bytes of path, starting at a line boundary.
func tail(path string, n int64) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	if int64(len(b)) > n {
		b = b[int64(len(b))-n:]
		if i := strings.IndexByte(string(b), '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}
