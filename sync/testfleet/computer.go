package testfleet

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Computer is one test computer: an sshd on its own loopback address and port.
type Computer struct {
	Name     string   // "c1", "c2", ...
	Host     string   // a distinct loopback address (see Options.Net)
	Port     int      // a free TCP port on Host
	Root     string   // an absolute root folder for this computer, created (empty in a new Dir): <Dir>/roots/<name>
	HostKeys []string // the host private keys sshd offers (public keys: + ".pub"): the ed25519 key <Dir>/<name>/host_key, unless UseHostKeys chose others

	fleet  *Fleet
	dir    string   // <Dir>/<name>: config, host key, pid file, log
	config string   // sshd_config path, written at every start
	log    string   // sshd's stderr, appended to across restarts
	sshd   *process // the running sshd; nil when stopped

	shellStart time.Duration // how long each session's shell takes to start (see SetShellStart)
	orphans    []int         // sessions of a listener StopListening killed; StopSSHD kills them
}

// readyTimeout is how long StartSSHD waits for sshd to send its banner.
const readyTimeout = 10 * time.Second

// nextHost numbers the computers of this process that get a fresh address, so fleets of
// parallel tests get distinct addresses.
var nextHost atomic.Uint32

// hostAddress is the address of computer i (0-based) of a fleet on net (Options.Net).
func hostAddress(net string, i int) string {
	if net != "" {
		return fmt.Sprintf("%s.%d", net, 11+i)
	}
	return loopbackHost()
}

// loopbackHost returns a fresh 127.x.y.z address. The third octet comes from the pid so
// test binaries of different packages running at once use different addresses.
func loopbackHost() string {
	n := nextHost.Add(1) - 1
	return fmt.Sprintf("127.0.%d.%d", os.Getpid()%200+20, 11+n%maxComputers)
}

// newComputer prepares computer number i (0-based) on host: folders, host key and port.
func (f *Fleet) newComputer(i int, host string) (*Computer, error) {
	name := "c" + strconv.Itoa(i+1)
	dir := filepath.Join(f.Dir, name)
	c := &Computer{
		Name:   name,
		Host:   host,
		Root:   filepath.Join(f.Dir, "roots", name),
		fleet:  f,
		dir:    dir,
		config: filepath.Join(dir, "sshd_config"),
		log:    filepath.Join(dir, "sshd.log"),
	}
	for _, d := range []string{dir, c.Root} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	port, err := freePort(c.Host)
	if err != nil {
		return nil, err
	}
	c.Port = port
	if err := keygenUnlessPresent(c.ownHostKey(), c.hostKeyComment()); err != nil {
		return nil, err
	}
	c.HostKeys = []string{c.ownHostKey()}
	return c, nil
}

// ownHostKey is the host key the fixture makes for c.
func (c *Computer) ownHostKey() string { return filepath.Join(c.dir, "host_key") }

func (c *Computer) hostKeyComment() string { return "filesync-fleet-" + c.Name }

// pidFile is where c's sshd writes its pid (StopDetached reads it).
func pidFile(dir string) string { return filepath.Join(dir, "sshd.pid") }

// freePort asks the kernel for a free TCP port on host.
func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("no free port on %s: %w", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// sshdConfig is c's sshd_config: key logins only, with the fleet's authorized keys.
func (c *Computer) sshdConfig() string {
	pam := "no"
	if c.fleet.usePAM {
		pam = "yes"
	}
	lines := []string{
		"Port " + strconv.Itoa(c.Port),
		"ListenAddress " + c.Host,
		"AddressFamily inet",
	}
	for _, key := range c.HostKeys {
		lines = append(lines, "HostKey "+quote(key))
	}
	lines = append(lines,
		"PidFile "+quote(pidFile(c.dir)),
		"AuthorizedKeysFile "+quote(c.fleet.authorizedKeys),
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM "+pam,
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
		"SetEnv SHLVL=1"+c.bashEnv(),
		"Subsystem sftp internal-sftp",
	)
	return strings.Join(lines, "\n") + "\n"
}

// shellStartScript is the BASH_ENV file of a computer with a slow shell start: bash
// sources it before every command a session runs, as it would a ~/.bashrc running conda
// or pyenv init. It unsets itself so that bash scripts the command runs do not pay again.
func (c *Computer) shellStartScript() string { return filepath.Join(c.dir, "shell_start.sh") }

// bashEnv is the SetEnv addition that points bash at the shell start script ("" when c
// starts its shell at once).
func (c *Computer) bashEnv() string {
	if c.shellStart <= 0 {
		return ""
	}
	return " BASH_ENV=" + quote(c.shellStartScript())
}

// ChangeShellStart makes every session's shell on c take d to start (0: at once), restarting
// sshd if it runs; SetShellStart is the same for tests. The user's own startup files are
// never touched.
func (c *Computer) ChangeShellStart(d time.Duration) error {
	return c.restartWith(func() error {
		c.shellStart = d
		if d <= 0 {
			if err := os.Remove(c.shellStartScript()); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			return nil
		}
		script := fmt.Sprintf("sleep %.3f\nunset BASH_ENV\n", d.Seconds())
		return os.WriteFile(c.shellStartScript(), []byte(script), 0o644)
	})
}

// quote puts a path in double quotes for sshd_config, which splits arguments on spaces.
func quote(path string) string { return `"` + path + `"` }

// StartSSHD starts c's sshd on its address and port and waits until it sends its banner.
// It does nothing if c is already running.
func (c *Computer) StartSSHD() error {
	if c.sshd != nil && !c.sshd.exited() {
		return nil
	}
	if err := os.WriteFile(c.config, []byte(c.sshdConfig()), 0o600); err != nil {
		return err
	}
	sshd := c.fleet.sshd
	if out, err := exec.Command(sshd, "-t", "-f", c.config).CombinedOutput(); err != nil {
		return fmt.Errorf("%s rejects %s: %v\n%s", sshd, c.config, err, out)
	}
	p, err := startProcess(c.log, c.fleet.detach, sshd, "-D", "-e", "-f", c.config)
	if err != nil {
		return fmt.Errorf("start sshd for %s: %w", c.Name, err)
	}
	c.sshd = p
	if err := c.waitReady(); err != nil {
		return fmt.Errorf("%s (%s:%d): %w\n--- sshd log ---\n%s", c.Name, c.Host, c.Port, err, c.LogTail())
	}
	return nil
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

// StopSSHD kills c's sshd (SIGTERM, then SIGKILL for what outlives a grace period) along
// with its open connections; afterwards connections to c's port are refused. It does
// nothing if c is stopped.
func (c *Computer) StopSSHD() error {
	if err := killAll(c.orphans); err != nil {
		return err
	}
	c.orphans = nil
	if c.sshd == nil {
		return nil
	}
	if err := c.sshd.stop(); err != nil {
		return err
	}
	c.sshd = nil
	return nil
}

// changeHostKey replaces c's host keys with a new ed25519 key, restarting sshd if it runs.
func (c *Computer) changeHostKey() error {
	return c.restartWith(func() error {
		if err := keygen(c.ownHostKey(), c.hostKeyComment()); err != nil {
			return err
		}
		c.HostKeys = []string{c.ownHostKey()}
		return nil
	})
}

// useHostKeys makes sshd offer the host private keys in files, in that order, restarting
// it if it runs.
func (c *Computer) useHostKeys(files []string) error {
	if len(files) == 0 {
		return errors.New("no host key files given")
	}
	keys := slices.Clone(files)
	for i, file := range keys {
		abs, err := filepath.Abs(file)
		if err != nil {
			return err
		}
		keys[i] = abs
	}
	return c.restartWith(func() error {
		c.HostKeys = keys
		return nil
	})
}

// restartWith stops c's sshd, makes change, and starts sshd again if it was running.
func (c *Computer) restartWith(change func() error) error {
	running := c.sshd != nil
	if err := c.StopSSHD(); err != nil {
		return fmt.Errorf("stop sshd: %w", err)
	}
	if err := change(); err != nil {
		return err
	}
	if !running {
		return nil
	}
	return c.StartSSHD()
}

// fingerprint returns the "SHA256:..." fingerprint of c's first host public key.
func (c *Computer) fingerprint() (string, error) {
	pub := c.HostKeys[0] + ".pub"
	out, err := exec.Command("ssh-keygen", "-lf", pub).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("ssh-keygen -lf %s: %v\n%s", pub, err, out)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || !strings.HasPrefix(f[1], "SHA256:") {
		return "", fmt.Errorf("ssh-keygen -lf %s: unexpected output %q", pub, out)
	}
	return f[1], nil
}

// LogTail returns the last ~4 KB of c's sshd log, for test failure messages.
func (c *Computer) LogTail() string { return tail(c.log, 4096) }
