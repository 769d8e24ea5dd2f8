package testfleet

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stopGrace is how long a process gets to exit after SIGTERM before it is sent SIGKILL.
const stopGrace = 5 * time.Second

// process is a background program started by the fixture (sshd or ssh-agent), or an sshd
// a detached fleet left running, adopted by pid to be stopped.
type process struct {
	pid      int
	cmd      *exec.Cmd     // nil for an adopted process
	done     chan struct{} // closed when a started program has exited and been reaped
	lifeline *os.File      // write end of the program's stdin pipe, if any; closed by stop
}

// startProcess runs argv in its own process group with stdout and stderr appended to
// logPath. Unless detached, it is killed (SIGKILL) if this process dies, so a crashed test
// binary does not leave it behind; a detached program runs in its own session and outlives
// this process. The normal way to end it is stop.
func startProcess(logPath string, detached bool, argv ...string) (*process, error) {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if detached {
		attr = &syscall.SysProcAttr{Setsid: true}
	}
	return spawn(logPath, nil, attr, argv)
}

// startWithLifeline is startProcess for programs that Pdeathsig cannot reach (it is
// cleared when a set-gid program such as ssh-agent starts): their stdin is a pipe that
// this process holds open, so they see end of file when this process dies.
func startWithLifeline(logPath string, argv ...string) (*process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close() // the child holds its own copy
	p, err := spawn(logPath, r, &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}, argv)
	if err != nil {
		w.Close()
		return nil, err
	}
	p.lifeline = w
	return p, nil
}

func spawn(logPath string, stdin *os.File, attr *syscall.SysProcAttr, argv []string) (*process, error) {
	log, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child holds its own copy
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = log, log
	if stdin != nil {
		cmd.Stdin = stdin
	}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{pid: cmd.Process.Pid, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p, nil
}

// adopt is the process pid, started by another process, for stop.
func adopt(pid int) *process { return &process{pid: pid} }

// exited reports whether the program has ended.
func (p *process) exited() bool {
	if p.done == nil {
		return !alive(p.pid)
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the program and everything it started (sshd's per-connection children start
// their own sessions, so they are found through /proc rather than the process group):
// SIGTERM, then SIGKILL for whatever is still alive after stopGrace.
func (p *process) stop() error {
	pid := p.pid
	kids := descendants(pid) // before the kill: afterwards they are re-parented
	if p.lifeline != nil {
		p.lifeline.Close()
	}
	if p.exited() && !anyAlive(kids) {
		return nil
	}
	signalAll(pid, kids, syscall.SIGTERM)
	if waitGone(p, kids, stopGrace) {
		return nil
	}
	signalAll(pid, kids, syscall.SIGKILL)
	if waitGone(p, kids, stopGrace) {
		return nil
	}
	return fmt.Errorf("pid %d or its children %v still running after SIGKILL", pid, kids)
}

// signalAll sends sig to the process group led by pid and to each of kids.
func signalAll(pid int, kids []int, sig syscall.Signal) {
	_ = syscall.Kill(-pid, sig)
	for _, k := range kids {
		_ = syscall.Kill(k, sig)
	}
}

// waitGone waits until p has exited and none of kids is alive, for at most d.
func waitGone(p *process, kids []int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if p.exited() && !anyAlive(kids) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func anyAlive(pids []int) bool {
	for _, pid := range pids {
		if alive(pid) {
			return true
		}
	}
	return false
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	_, state, err := procStat(pid)
	return err == nil && state != "Z" && state != "X"
}

// descendants lists the children, grandchildren, ... of pid, read from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, _, err := procStat(child); err == nil {
			children[ppid] = append(children[ppid], child)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := children[queue[0]]
		queue = append(queue[1:], next...)
		out = append(out, next...)
	}
	return out
}

// procStat returns the parent pid and state letter of pid from /proc/<pid>/stat.
func procStat(pid int) (ppid int, state string, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", err
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, "", errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, "", errors.New("malformed stat")
	}
	ppid, err = strconv.Atoi(f[1])
	return ppid, f[0], err
}
