package testfleet

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Processes lists the processes running under c's sshd listener (its sessions and what
// they run) whose command name is name, e.g. "rsync". The listener itself is not listed.
func (c *Computer) Processes(name string) []int {
	return c.below(func(comm string) bool { return comm == name })
}

// Sessions lists c's per-connection sshd processes: every sshd below the listener.
func (c *Computer) Sessions() []int {
	return c.below(func(comm string) bool { return strings.HasPrefix(comm, "sshd") })
}

// below lists the live processes under c's sshd listener whose command name matches.
func (c *Computer) below(match func(comm string) bool) []int {
	if c.sshd == nil {
		return nil
	}
	var out []int
	for _, pid := range descendants(c.sshd.pid) {
		if match(Comm(pid)) && alive(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// killSessions kills (SIGKILL) c's per-connection sshd processes and keeps the listener;
// it returns how many it killed.
func (c *Computer) killSessions() (int, error) {
	pids := c.Sessions()
	return len(pids), killAll(pids)
}

// stopListening kills (SIGKILL) c's sshd listener and keeps the connections it had
// accepted, until StopSSHD; it returns how many there were.
func (c *Computer) stopListening() (int, error) {
	if c.sshd == nil {
		return 0, nil
	}
	sessions := c.Sessions()
	if err := killAll([]int{c.sshd.pid}); err != nil {
		return 0, err
	}
	c.sshd, c.orphans = nil, append(c.orphans, sessions...)
	return len(sessions), nil
}

// killAll kills (SIGKILL) pids and waits until none is alive.
func killAll(pids []int) error {
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(stopGrace)
	for anyAlive(pids) {
		if time.Now().After(deadline) {
			return fmt.Errorf("processes %v still alive after SIGKILL", pids)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
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

// authorize adds the public key in pubKeyFile to the keys every computer of f accepts.
func (f *Fleet) authorize(pubKeyFile string) error {
	pub, err := os.ReadFile(pubKeyFile)
	if err != nil {
		return err
	}
	file, err := os.OpenFile(f.authorizedKeys, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := file.Write(append([]byte("\n"), pub...)); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// SessionsStarted counts the sessions (commands, shells) c's sshd has started since the
// fleet's folder was made, from its log; a multiplexed connection starts one for each
// command it carries.
func (c *Computer) SessionsStarted() int {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "Starting session: ")
}
