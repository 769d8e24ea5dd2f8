package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// watcher is a running "filesync watch" process.
type watcher struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	ready  chan struct{}
}

// startWatch runs "filesync watch" and waits until it watches.
func (h *harness) startWatch(args ...string) *watcher {
	h.t.Helper()
	return startWatchProcess(h.t, h.env, args...)
}

// startWatchProcess runs "filesync watch" with env, waits until it watches, and stops it
// (as Ctrl+C would) when t ends.
func startWatchProcess(t testing.TB, env []string, args ...string) *watcher {
	t.Helper()
	w := &watcher{cmd: exec.Command(binary, append([]string{"watch"}, args...)...), ready: make(chan struct{})}
	w.cmd.Env = env
	pipe, err := w.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go w.read(pipe)
	t.Cleanup(func() { w.stop(t) })
	select {
	case <-w.ready:
	case <-time.After(20 * time.Second):
		t.Fatalf("filesync watch never started watching:\n%s", w.log())
	}
	return w
}

func (w *watcher) read(pipe interface{ Read([]byte) (int, error) }) {
	sc := bufio.NewScanner(pipe)
	once := sync.Once{}
	for sc.Scan() {
		w.mu.Lock()
		w.stderr.WriteString(sc.Text() + "\n")
		w.mu.Unlock()
		if strings.Contains(sc.Text(), "watching") {
			once.Do(func() { close(w.ready) })
		}
	}
}

func (w *watcher) log() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stderr.String()
}

// stop interrupts the watch like Ctrl+C and expects a clean exit.
func (w *watcher) stop(t testing.TB) {
	if w.cmd.ProcessState != nil {
		return
	}
	_ = w.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- w.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("filesync watch did not exit cleanly on Ctrl+C: %v\n%s", err, w.log())
		}
	case <-time.After(15 * time.Second):
		_ = w.cmd.Process.Kill()
		t.Errorf("filesync watch ignored Ctrl+C:\n%s", w.log())
	}
}

// waitFor polls until every named computer holds rel with content.
func (h *harness) waitFor(rel, content string, computers ...string) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, n := range computers {
		for tree(h.t, h.root(n))[rel] != content {
			if time.Now().After(deadline) {
				h.t.Fatalf("%s never received %s", n, rel)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// runsBy counts the history's runs with a trigger.
func (h *harness) runsBy(trigger string) int {
	h.t.Helper()
	var list []struct{ Trigger string }
	if err := json.Unmarshal([]byte(h.ok("history", "--json", "--limit", "10000").stdout), &list); err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, r := range list {
		if r.Trigger == trigger {
			n++
		}
	}
	return n
}

func TestWatch_AChangedFileReachesTheOtherComputers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--watch")
	h.startWatch()
	write(t, h.root("here"), "data/proj/result.txt", "accuracy 0.97", time.Now())
	h.waitFor("data/proj/result.txt", "accuracy 0.97", "c1", "c2")
	if n := h.runsBy("watch"); n < 1 {
		t.Errorf("history has %d watch runs", n)
	}
}

// TestWatch_ABurstOf1000FilesMakesAHandfulOfPushes: debouncing, not a push per file.
func TestWatch_ABurstOf1000FilesMakesAHandfulOfPushes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--watch")
	h.startWatch()
	for i := range 1000 {
		write(t, h.root("here"), fmt.Sprintf("data/proj/burst/f%04d", i), fmt.Sprint(i), time.Now())
	}
	h.waitFor("data/proj/burst/f0999", "999", "c1", "c2")
	time.Sleep(2 * time.Second) // a follow-up push, if any, is recorded
	pushes := h.runsBy("watch")
	t.Logf("1,000 files written at once made %d pushes", pushes)
	if pushes < 1 || pushes > 5 {
		t.Fatalf("1,000 files made %d pushes, want a handful (1 to 5)", pushes)
	}
	if got := len(tree(t, h.root("c1"))); got < 1000 {
		t.Fatalf("c1 holds %d files, want the 1,000", got)
	}
}

func TestWatch_IgnoredFoldersAreNeverPushed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj", "--watch", "--ignore", "[ data/cache, *.tmp ]")
	write(t, h.root("here"), "data/proj/existing.txt", "before the watch", t0)
	h.startWatch()
	write(t, h.root("here"), "data/proj/cache/huge.bin", "cache", time.Now())
	write(t, h.root("here"), "data/proj/scratch.tmp", "tmp", time.Now())
	time.Sleep(2 * time.Second) // far longer than the 100 ms quiet period: a push would have started
	if n := h.runsBy("watch"); n != 0 {
		t.Fatalf("writes in ignored places made %d pushes", n)
	}
	write(t, h.root("here"), "data/proj/real.txt", "real", time.Now())
	h.waitFor("data/proj/real.txt", "real", "c1")
	files := tree(t, h.root("c1"))
	assertLacks(t, "c1", files, "data/proj/cache/huge.bin")
	assertLacks(t, "c1", files, "data/proj/scratch.tmp")
}

func TestWatch_SurvivesAnUnreachableComputerAndCatchesUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--watch")
	c2 := h.computer("c2")
	c2.Stop(t)
	w := h.startWatch()
	write(t, h.root("here"), "data/proj/while-down.txt", "x", time.Now())
	h.waitFor("data/proj/while-down.txt", "x", "c1")
	c2.Start(t)
	write(t, h.root("here"), "data/proj/after.txt", "y", time.Now())
	h.waitFor("data/proj/after.txt", "y", "c1", "c2")
	h.waitFor("data/proj/while-down.txt", "x", "c2")
	if !strings.Contains(w.log(), "c2") {
		t.Errorf("the watch log never mentions the unreachable c2:\n%s", w.log())
	}
}
