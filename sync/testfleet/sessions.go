package testfleet

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Processes lists the processes running under c's sshd listener (its sessions and what
// they run) whose command name is name, e.g. "rsync". The listener itself is not listed.
func (c *Computer) Processes(name string) []int {
	if c.sshd == nil {
		return nil
	}
	var out []int
	for _, pid := range descendants(c.sshd.cmd.Process.Pid) {
		if Comm(pid) == name && alive(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// Sessions lists c's per-connection sshd processes: every sshd below the listener.
func (c *Computer) Sessions() []int {
	if c.sshd == nil {
		return nil
	}
	var out []int
	for _, pid := range descendants(c.sshd.cmd.Process.Pid) {
		if strings.HasPrefix(Comm(pid), "sshd") && alive(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// KillSessions cuts every open connection to c the way a network failure would: it kills
// (SIGKILL) the per-connection sshd processes and keeps the listener, so new connections
// are accepted. The programs the sessions ran (rsync) are not signalled: they see their
// connection close, as they would on a real failure. It returns how many it killed.
func (c *Computer) KillSessions(t testing.TB) int {
	t.Helper()
	pids := c.Sessions()
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(stopGrace)
	for anyAlive(pids) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: sshd sessions %v still alive after SIGKILL", c.Name, pids)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return len(pids)
}

// Comm is the command name of pid ("" when it is gone).
func Comm(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Alive reports whether pid exists and is not a zombie.
func Alive(pid int) bool { return alive(pid) }

// Authorize adds the public key in pubKeyFile to the keys every computer of f accepts.
func (f *Fleet) Authorize(t testing.TB, pubKeyFile string) {
	t.Helper()
	pub, err := os.ReadFile(pubKeyFile)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	file, err := os.OpenFile(f.authorizedKeys, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	defer file.Close()
	if _, err := file.Write(append([]byte("\n"), pub...)); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

// Keygen writes a new ed25519 key pair without passphrase to dir/name and dir/name.pub,
// with comment, and returns the private key's path. The key is authorized nowhere.
func Keygen(t testing.TB, dir, name, comment string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	keygen(t, path, comment)
	return path
}
