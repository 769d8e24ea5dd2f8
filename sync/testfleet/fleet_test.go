package testfleet

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// commandTimeout bounds every ssh the tests run, so a hang fails instead of stalling.
const commandTimeout = 15 * time.Second

// sshOpts are the client options of every test connection: no config files, no prompts,
// no known_hosts.
func sshOpts(c *Computer) []string {
	return []string{
		"-F", "none",
		"-p", strconv.Itoa(c.Port),
		"-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR",
	}
}

// sshWithKey runs remote on c logging in with the client key file only.
func sshWithKey(f *Fleet, c *Computer, remote ...string) (string, error) {
	argv := append(sshOpts(c), "-i", f.ClientKey, "-o", "IdentitiesOnly=yes", f.User+"@"+c.Host)
	return runSSH(nil, append(argv, remote...))
}

// runSSH runs ssh with argv and env (nil: inherit) and returns its trimmed combined output.
func runSSH(env []string, argv []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", argv...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func TestStart_ComputersAcceptKeyLogin(t *testing.T) {
	t.Parallel()
	f := Start(t, 3)
	if len(f.Computers) != 3 {
		t.Fatalf("got %d computers, want 3", len(f.Computers))
	}
	hosts := map[string]bool{}
	for i, c := range f.Computers {
		if want := "c" + strconv.Itoa(i+1); c.Name != want {
			t.Errorf("computer %d: Name = %q, want %q", i, c.Name, want)
		}
		if ip := net.ParseIP(c.Host); ip == nil || !ip.IsLoopback() || ip.To4() == nil {
			t.Errorf("%s: Host %q is not an IPv4 loopback address", c.Name, c.Host)
		}
		if hosts[c.Host] {
			t.Errorf("%s: Host %s used twice", c.Name, c.Host)
		}
		hosts[c.Host] = true
		checkEmptyRoot(t, f, c)
		out, err := sshWithKey(f, c, "echo", "ok")
		if err != nil || out != "ok" {
			t.Errorf("%s: ssh echo ok = %q, %v\n--- sshd log ---\n%s", c.Name, out, err, c.LogTail())
		}
	}
}

// checkEmptyRoot checks that c.Root is <Dir>/roots/<name>, exists and is empty.
func checkEmptyRoot(t *testing.T, f *Fleet, c *Computer) {
	t.Helper()
	if want := filepath.Join(f.Dir, "roots", c.Name); c.Root != want || !filepath.IsAbs(c.Root) {
		t.Errorf("%s: Root = %q, want %q", c.Name, c.Root, want)
	}
	entries, err := os.ReadDir(c.Root)
	if err != nil || len(entries) != 0 {
		t.Errorf("%s: Root %s: %d entries, %v; want an empty folder", c.Name, c.Root, len(entries), err)
	}
}

func TestStop_RefusesThenStartAccepts(t *testing.T) {
	t.Parallel()
	f := Start(t, 1)
	c := f.Computers[0]

	c.Stop(t)
	if conn, err := net.DialTimeout("tcp", c.addr(), time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s: port %d still accepts after Stop", c.Name, c.Port)
	}
	if out, err := sshWithKey(f, c, "echo", "ok"); err == nil {
		t.Fatalf("%s: ssh after Stop succeeded: %q", c.Name, out)
	}

	c.Start(t)
	if out, err := sshWithKey(f, c, "echo", "ok"); err != nil || out != "ok" {
		t.Fatalf("%s: ssh after Start = %q, %v\n--- sshd log ---\n%s", c.Name, out, err, c.LogTail())
	}
}

func TestChangeHostKey_ChangesFingerprint(t *testing.T) {
	t.Parallel()
	f := Start(t, 1)
	c := f.Computers[0]
	before := c.Fingerprint(t)
	if !strings.HasPrefix(before, "SHA256:") {
		t.Fatalf("Fingerprint = %q, want SHA256:...", before)
	}
	if served := servedFingerprint(t, c); served != before {
		t.Fatalf("sshd serves %s, Fingerprint says %s", served, before)
	}

	c.ChangeHostKey(t)
	after := c.Fingerprint(t)
	if after == before {
		t.Fatalf("fingerprint unchanged after ChangeHostKey: %s", after)
	}
	if served := servedFingerprint(t, c); served != after {
		t.Fatalf("after ChangeHostKey sshd serves %s, want %s\n--- sshd log ---\n%s", served, after, c.LogTail())
	}
	if out, err := sshWithKey(f, c, "echo", "ok"); err != nil || out != "ok" {
		t.Fatalf("ssh after ChangeHostKey = %q, %v", out, err)
	}
}

// servedFingerprint is the fingerprint of the host key c's sshd presents, via ssh-keyscan.
func servedFingerprint(t *testing.T, c *Computer) string {
	t.Helper()
	keys, err := exec.Command("ssh-keyscan", "-T", "5", "-t", "ed25519", "-p", strconv.Itoa(c.Port), c.Host).Output()
	if err != nil || len(keys) == 0 {
		t.Fatalf("ssh-keyscan %s: %v\n--- sshd log ---\n%s", c.addr(), err, c.LogTail())
	}
	keygen := exec.Command("ssh-keygen", "-lf", "-")
	keygen.Stdin = strings.NewReader(string(keys))
	out, err := keygen.Output()
	fields := strings.Fields(string(out))
	if err != nil || len(fields) < 2 {
		t.Fatalf("ssh-keygen -lf - on %q: %q, %v", keys, out, err)
	}
	return fields[1]
}

func TestAgent_ForwardsToSecondHop(t *testing.T) {
	t.Parallel()
	f := Start(t, 2)
	c1, c2 := f.Computers[0], f.Computers[1]

	// Second hop, run on c1: only the forwarded agent can log it in to c2.
	hop2 := append([]string{"ssh"}, sshOpts(c2)...)
	hop2 = append(hop2, f.User+"@"+c2.Host, "echo", "hop")
	// First hop: the agent only (no -i), forwarded with -A.
	hop1 := append(sshOpts(c1), "-A", "-o", "IdentitiesOnly=no", f.User+"@"+c1.Host, strings.Join(hop2, " "))

	out, err := runSSH(f.Env(), hop1)
	if err != nil || out != "hop" {
		t.Fatalf("ssh -A c1 then ssh c2 = %q, %v\n--- c1 sshd log ---\n%s\n--- c2 sshd log ---\n%s",
			out, err, c1.LogTail(), c2.LogTail())
	}
}

func TestUseHostKeys_ServesTheChosenKey(t *testing.T) {
	t.Parallel()
	f := Start(t, 1)
	c := f.Computers[0]
	own := c.Fingerprint(t)
	key := Keygen(t, t.TempDir(), "chosen", "chosen-host-key")

	c.UseHostKeys(t, key)
	if len(c.HostKeys) != 1 || c.HostKeys[0] != key {
		t.Fatalf("HostKeys = %q, want [%s]", c.HostKeys, key)
	}
	chosen := c.Fingerprint(t)
	if chosen == own {
		t.Fatalf("fingerprint unchanged after UseHostKeys: %s", chosen)
	}
	if served := servedFingerprint(t, c); served != chosen {
		t.Fatalf("after UseHostKeys sshd serves %s, want %s\n--- sshd log ---\n%s", served, chosen, c.LogTail())
	}
}

func TestNew_OnNetAgainInTheSameDirKeepsItsKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := Options{Computers: 2, Dir: dir, Net: "127.0.250"}
	first := startWith(t, o)
	for i, c := range first.Computers {
		if want := "127.0.250." + strconv.Itoa(11+i); c.Host != want {
			t.Errorf("%s: Host = %s, want %s", c.Name, c.Host, want)
		}
	}
	fingerprint := first.Computers[0].Fingerprint(t)
	clientKey, err := os.ReadFile(first.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	again := startWith(t, o)
	if got := again.Computers[0].Fingerprint(t); got != fingerprint {
		t.Errorf("host key fingerprint %s after a restart in %s, was %s", got, dir, fingerprint)
	}
	if b, _ := os.ReadFile(again.ClientKey); string(b) != string(clientKey) {
		t.Errorf("the client key changed after a restart in %s", dir)
	}
	if out, err := sshWithKey(again, again.Computers[1], "echo", "ok"); err != nil || out != "ok" {
		t.Errorf("ssh after the restart = %q, %v", out, err)
	}
}

// TestSetShellStart_SlowsEveryCommandOverAnOpenConnection: a computer with a slow shell
// start takes at least that long for each command, even over a live ControlMaster (the
// handshake is not what is slow), the script does not reach the commands' own bash
// scripts, the user's ~/.bashrc is untouched, and a shell start of 0 makes it fast again.
func TestSetShellStart_SlowsEveryCommandOverAnOpenConnection(t *testing.T) {
	t.Parallel()
	home, _ := os.UserHomeDir()
	bashrc := filepath.Join(home, ".bashrc")
	before, _ := os.ReadFile(bashrc)
	f := Start(t, 1)
	c := f.Computers[0]
	const slow = 500 * time.Millisecond
	c.SetShellStart(t, slow)
	dir, err := os.MkdirTemp("", "tfcm") // a socket path must stay short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := filepath.Join(dir, "cm")
	master := append(sshOpts(c), "-i", f.ClientKey, "-o", "IdentitiesOnly=yes",
		"-o", "ControlMaster=auto", "-o", "ControlPath="+socket, "-o", "ControlPersist=30", f.User+"@"+c.Host)
	t.Cleanup(func() { _, _ = runSSH(nil, append([]string{"-O", "exit"}, master...)) })
	out, err := runSSH(nil, append(master, "true"))
	if err != nil {
		t.Fatalf("open master: %v: %s", err, out)
	}
	start := time.Now()
	out, err = runSSH(nil, append(master, `bash -c 'echo "[$BASH_ENV]"'`))
	took := time.Since(start)
	if err != nil || out != "[]" {
		t.Fatalf("ssh over the master: %v, output %q, want [] (BASH_ENV unset for the command)", err, out)
	}
	if took < slow {
		t.Errorf("a command over the live master took %s, want at least the shell start %s", took, slow)
	}
	if after, _ := os.ReadFile(bashrc); string(after) != string(before) {
		t.Errorf("%s changed", bashrc)
	}
	c.SetShellStart(t, 0)
	if _, err := os.Stat(c.shellStartScript()); !os.IsNotExist(err) {
		t.Errorf("shell start 0 left %s (stat: %v)", c.shellStartScript(), err)
	}
}

func TestSessionsStarted_CountsEveryCommand(t *testing.T) {
	t.Parallel()
	f := Start(t, 1)
	c := f.Computers[0]
	before := c.SessionsStarted()
	for range 3 {
		if out, err := sshWithKey(f, c, "true"); err != nil {
			t.Fatalf("ssh: %v: %s", err, out)
		}
	}
	if got := c.SessionsStarted() - before; got != 3 {
		t.Errorf("3 commands counted as %d sessions\n%s", got, c.LogTail())
	}
}
