package testfleet

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Computer is one test computer: an sshd on its own loopback address and port.
type Computer struct {
	Name        string // "c1", "c2", ...
	Host        string // a distinct loopback address, 127.0.<pid-based>.<11...>
	Port        int    // a free TCP port on Host
	Root        string // an absolute root folder for this computer, created empty: <Dir>/roots/<name>
	HostKeyFile string // the sshd host private key (its public key is HostKeyFile + ".pub")

	config string   // sshd_config path
	log    string   // sshd's stderr, appended to across restarts
	sshd   *process // the running sshd; nil when stopped
}

// readyTimeout is how long Start waits for sshd to send its banner.
const readyTimeout = 10 * time.Second

// nextHost numbers the computers of this test process, so fleets of parallel tests get
// distinct addresses.
var nextHost atomic.Uint32

// loopbackHost returns a fresh 127.x.y.z address. The third octet comes from the pid so
// test binaries of different packages running at once use different addresses.
func loopbackHost() string {
	n := nextHost.Add(1) - 1
	return fmt.Sprintf("127.0.%d.%d", os.Getpid()%200+20, 11+n%maxComputers)
}

// newComputer prepares computer number i (0-based): folders, host key, port and config.
func (f *Fleet) newComputer(t testing.TB, i int) *Computer {
	t.Helper()
	name := "c" + strconv.Itoa(i+1)
	dir := filepath.Join(f.Dir, "computers", name)
	c := &Computer{
		Name:        name,
		Host:        loopbackHost(),
		Root:        filepath.Join(f.Dir, "roots", name),
		HostKeyFile: filepath.Join(dir, "ssh_host_ed25519_key"),
		config:      filepath.Join(dir, "sshd_config"),
		log:         filepath.Join(dir, "sshd.log"),
	}
	for _, d := range []string{dir, c.Root} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	c.Port = freePort(t, c.Host)
	keygen(t, c.HostKeyFile, "filesync-fleet-"+name)
	if err := os.WriteFile(c.config, []byte(c.sshdConfig(f.authorizedKeys, dir, f.usePAM)), 0o600); err != nil {
		t.Fatalf("setup: %v", err)
	}
	return c
}

// freePort asks the kernel for a free TCP port on host.
func freePort(t testing.TB, host string) int {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("setup: no free port on %s: %v", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// sshdConfig is c's sshd_config: key logins only, for the authorized keys file given.
func (c *Computer) sshdConfig(authorizedKeys, dir string, usePAM bool) string {
	pam := "no"
	if usePAM {
		pam = "yes"
	}
	lines := []string{
		"Port " + strconv.Itoa(c.Port),
		"ListenAddress " + c.Host,
		"AddressFamily inet",
		"HostKey " + quote(c.HostKeyFile),
		"PidFile " + quote(filepath.Join(dir, "sshd.pid")),
		"AuthorizedKeysFile " + quote(authorizedKeys),
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM " + pam,
		"PermitRootLogin prohibit-password",
		"AllowAgentForwarding yes",
		"AllowTcpForwarding no",
		"X11Forwarding no",
		"MaxStartups 200:30:400",
		"MaxSessions 100",
		"StrictModes no", // keys under /tmp would otherwise be refused
		"PrintMotd no",
		"PrintLastLog no",
		"LogLevel VERBOSE",
		"AcceptEnv LANG LC_*",
		// bash started by sshd sources ~/.bashrc only as a top-level shell (SHLVL < 2);
		// this keeps the test user's own .bashrc (slow tool init, output) out of every
		// remote command, as on a clean computer.
		"SetEnv SHLVL=1",
		"Subsystem sftp internal-sftp",
	}
	return strings.Join(lines, "\n") + "\n"
}

// quote puts a path in double quotes for sshd_config, which splits arguments on spaces.
func quote(path string) string { return `"` + path + `"` }

// Start starts c's sshd on its address and port and waits until it sends its banner.
// It does nothing if c is already running.
func (c *Computer) Start(t testing.TB) {
	t.Helper()
	if c.sshd != nil && !c.sshd.exited() {
		return
	}
	if out, err := exec.Command(sshdPath, "-t", "-f", c.config).CombinedOutput(); err != nil {
		t.Fatalf("setup: %s rejects %s: %v\n%s", sshdPath, c.config, err, out)
	}
	p, err := startProcess(c.log, sshdPath, "-D", "-e", "-f", c.config)
	if err != nil {
		t.Fatalf("setup: start sshd for %s: %v", c.Name, err)
	}
	c.sshd = p
	if err := c.waitReady(); err != nil {
		t.Fatalf("setup: %s (%s:%d): %v\n--- sshd log ---\n%s", c.Name, c.Host, c.Port, err, c.LogTail())
	}
}

// waitReady dials c until it accepts and answers with an SSH-2.0 banner.
func (c *Computer) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	for {
		if c.sshd.exited() {
			return fmt.Errorf("sshd exited: %v", c.sshd.cmd.ProcessState)
		}
		err := c.probe()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no SSH banner after %v: %v", readyTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// probe connects once and reads the server's identification line.
func (c *Computer) probe() error {
	conn, err := net.DialTimeout("tcp", c.addr(), time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "SSH-2.0") {
		return fmt.Errorf("unexpected banner %q", line)
	}
	return nil
}

// addr is "Host:Port".
func (c *Computer) addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// Stop kills c's sshd (SIGTERM, then waits), along with its open connections; afterwards
// connections to c's port are refused. It does nothing if c is stopped.
func (c *Computer) Stop(t testing.TB) {
	t.Helper()
	if err := c.stop(); err != nil {
		t.Fatalf("%s: stop sshd: %v\n--- sshd log ---\n%s", c.Name, err, c.LogTail())
	}
}

func (c *Computer) stop() error {
	if c.sshd == nil {
		return nil
	}
	err := c.sshd.stop()
	if err == nil {
		c.sshd = nil
	}
	return err
}

// ChangeHostKey replaces c's host key with a new one and restarts sshd if it was running.
func (c *Computer) ChangeHostKey(t testing.TB) {
	t.Helper()
	running := c.sshd != nil
	c.Stop(t)
	keygen(t, c.HostKeyFile, "filesync-fleet-"+c.Name)
	if running {
		c.Start(t)
	}
}

// Fingerprint returns the "SHA256:..." fingerprint of c's current host public key.
func (c *Computer) Fingerprint(t testing.TB) string {
	t.Helper()
	out := run(t, nil, "ssh-keygen", "-lf", c.HostKeyFile+".pub")
	f := strings.Fields(out)
	if len(f) < 2 || !strings.HasPrefix(f[1], "SHA256:") {
		t.Fatalf("setup: ssh-keygen -lf %s.pub: unexpected output %q", c.HostKeyFile, out)
	}
	return f[1]
}

// LogTail returns the last ~4 KB of c's sshd log, for test failure messages.
func (c *Computer) LogTail() string { return tail(c.log, 4096) }
