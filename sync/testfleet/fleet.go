package testfleet

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
)

// Options says what New starts.
type Options struct {
	Computers int    // how many computers (c1, c2, …): 1 to 240
	Dir       string // the fleet's folder, created if missing; keys a fleet left in it are used again
	// Net is the first three octets of the computers' addresses, in 127.0.0.0/8: with
	// "127.0.5", c1 is 127.0.5.11, c2 127.0.5.12, … "" gives every computer a fresh
	// address from a /24 chosen by the process id: the fleets of parallel tests get
	// distinct addresses, those of test binaries running at once most likely too (their
	// ports differ in any case).
	Net    string
	SSHD   string                           // sshd's absolute path; "" is DefaultSSHD
	Agent  bool                             // also start an ssh-agent holding the client key (AgentSock, Env)
	Detach bool                             // the sshds outlive this process, until StopDetached; not with Agent
	Logf   func(format string, args ...any) // receives notes such as the PAM choice; nil drops them
}

// Fleet is a set of test computers: sshd instances on loopback, and on request an ssh-agent holding the client key.
type Fleet struct {
	Dir       string // everything of this fleet lives here
	ClientKey string // private key file <Dir>/client_key (ed25519, no passphrase) authorized on every computer
	AgentSock string // SSH_AUTH_SOCK of an ssh-agent holding ClientKey, started by the fleet and stopped by Close; "" without Options.Agent
	User      string // the current user's login name
	Computers []*Computer

	sshd           string   // sshd's absolute path
	detach         bool     // Options.Detach
	authorizedKeys string   // <Dir>/authorized_keys, shared by every computer
	agent          *process // the ssh-agent, nil until started
	sockDir        string   // short folder holding AgentSock when Dir is too long; removed by Close
	usePAM         bool     // sshd's UsePAM: only for a locked root account (see choosePAM)
}

// maxComputers is how many computers one fleet has at most, and how many distinct
// loopback addresses one process hands out.
const maxComputers = 240

// New starts the computers o asks for, each with its own host key, config, log and root
// folder under o.Dir, all accepting the fleet's client key, and waits until every one
// answers. A missing program (sshd, ssh, ssh-keygen, ssh-agent, ssh-add, rsync) is an
// error. On an error New stops whatever it started.
func New(o Options) (*Fleet, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	sshd := cmp.Or(o.SSHD, DefaultSSHD)
	if err := CheckPrograms(sshd); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(o.Dir) // sshd_config wants absolute paths
	if err != nil {
		return nil, err
	}
	name, err := currentUser()
	if err != nil {
		return nil, err
	}
	f := &Fleet{Dir: dir, User: name, sshd: sshd, detach: o.Detach}
	if err := f.setUp(o); err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return f, nil
}

// check reports what is wrong with o.
func (o Options) check() error {
	switch {
	case o.Computers < 1 || o.Computers > maxComputers:
		return fmt.Errorf("testfleet: %d computers asked for, want 1..%d", o.Computers, maxComputers)
	case o.Dir == "":
		return errors.New("testfleet: no folder given (Options.Dir)")
	case o.SSHD != "" && !filepath.IsAbs(o.SSHD):
		return fmt.Errorf("testfleet: sshd path %q is not absolute (sshd re-executes itself by it)", o.SSHD)
	case o.Detach && o.Agent:
		return errors.New("testfleet: an ssh-agent cannot be detached (Options.Agent with Options.Detach)")
	case o.Net != "":
		if ip := net.ParseIP(o.Net + ".11"); ip == nil || ip.To4() == nil || !ip.IsLoopback() {
			return fmt.Errorf("testfleet: %q is not the start of an address in 127.0.0.0/8, such as 127.0.5", o.Net)
		}
	}
	return nil
}

// setUp does New's work on f.
func (f *Fleet) setUp(o Options) error {
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return err
	}
	if err := preparePrivsep(); err != nil {
		return err
	}
	if err := f.choosePAM(o.Logf); err != nil {
		return err
	}
	if err := f.writeClientKey(); err != nil {
		return err
	}
	if o.Agent {
		if err := f.startAgent(); err != nil {
			return err
		}
	}
	for i := range o.Computers {
		c, err := f.newComputer(i, hostAddress(o.Net, i))
		if err != nil {
			return err
		}
		f.Computers = append(f.Computers, c)
		if err := c.StartSSHD(); err != nil {
			return err
		}
	}
	return nil
}

// Close stops every sshd of f, with its open connections, and the agent. Its error names
// what would not stop.
func (f *Fleet) Close() error {
	var errs []error
	for _, c := range f.Computers {
		if err := c.StopSSHD(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	if f.agent != nil {
		if err := f.agent.stop(); err != nil {
			errs = append(errs, fmt.Errorf("ssh-agent: %w", err))
		} else {
			f.agent = nil
		}
	}
	if f.sockDir != "" {
		_ = os.RemoveAll(f.sockDir)
	}
	return errors.Join(errs...)
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

// currentUser is the login name sshd will accept: the current user's passwd entry.
func currentUser() (string, error) {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username, nil
	}
	for _, v := range []string{"USER", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name, nil
		}
	}
	return "", fmt.Errorf("cannot tell the login name of uid %d (no passwd entry, USER unset); sshd only accepts users it can look up", os.Getuid())
}

// preparePrivsep creates sshd's privilege-separation directory, which sshd started as
// root refuses to run without. Unprivileged sshd does not use it.
func preparePrivsep() error {
	if os.Geteuid() != 0 {
		return nil
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		return fmt.Errorf("sshd run as root needs /run/sshd: %w", err)
	}
	return nil
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
func (f *Fleet) choosePAM(logf func(string, ...any)) error {
	if !lockedAccount(f.User) {
		return nil
	}
	if _, err := os.Stat("/etc/pam.d/sshd"); err != nil {
		return fmt.Errorf("account %q is locked in /etc/shadow (password \"!...\"), so sshd with UsePAM no refuses it even with a key, and /etc/pam.d/sshd is missing; unlock it without setting a password: usermod -p '*' %s", f.User, f.User)
	}
	if logf != nil {
		logf("testfleet: account %q is locked in /etc/shadow; running sshd with UsePAM yes", f.User)
	}
	f.usePAM = true
	return nil
}

// writeClientKey authorizes the client key for every computer, creating the key pair
// unless Dir holds one already.
func (f *Fleet) writeClientKey() error {
	f.ClientKey = filepath.Join(f.Dir, "client_key")
	if err := keygenUnlessPresent(f.ClientKey, "filesync-fleet-client"); err != nil {
		return err
	}
	pub, err := os.ReadFile(f.ClientKey + ".pub")
	if err != nil {
		return err
	}
	f.authorizedKeys = filepath.Join(f.Dir, "authorized_keys")
	return os.WriteFile(f.authorizedKeys, pub, 0o600)
}

// keygenUnlessPresent is keygen, unless path and path.pub both exist.
func keygenUnlessPresent(path, comment string) error {
	_, errPriv := os.Stat(path)
	_, errPub := os.Stat(path + ".pub")
	if errPriv == nil && errPub == nil {
		return nil
	}
	return keygen(path, comment)
}

// keygen writes a new ed25519 key pair without passphrase to path and path.pub,
// replacing any existing pair.
func keygen(path, comment string) error {
	_ = os.Remove(path)
	_ = os.Remove(path + ".pub")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ssh-keygen %s: %v\n%s", path, err, out)
	}
	return nil
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
