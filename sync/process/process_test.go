//go:build !windows

package process

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func collect(spec Spec) (*[]string, Spec) {
	var lines []string
	spec.OnLine = func(s Stream, l string) { lines = append(lines, string(s)+":"+l) }
	return &lines, spec
}

func TestRun_StreamsLinesSplitAtCarriageReturns(t *testing.T) {
	lines, spec := collect(Spec{Argv: []string{"sh", "-c", `printf 'a\rb\nc'; printf 'err\n' >&2`}})
	code, err := Run(context.Background(), spec)
	if code != 0 || err != nil {
		t.Fatalf("Run = %d, %v", code, err)
	}
	got := strings.Join(*lines, "|")
	for _, want := range []string{"stdout:a", "stdout:b", "stdout:c", "stderr:err"} {
		if !strings.Contains(got, want) {
			t.Errorf("lines %q lack %q", got, want)
		}
	}
}

func TestRun_ReturnsExitCode(t *testing.T) {
	code, err := Run(context.Background(), Spec{Argv: []string{"sh", "-c", "exit 23"}})
	if code != 23 || err == nil || !strings.Contains(err.Error(), "code 23") {
		t.Fatalf("Run = %d, %v; want 23 and an error naming it", code, err)
	}
}

func TestRun_ReportsMissingProgram(t *testing.T) {
	code, err := Run(context.Background(), Spec{Argv: []string{"/nonexistent/rsync"}})
	if code != -1 || err == nil {
		t.Fatalf("Run = %d, %v; want -1 and an error", code, err)
	}
}

func TestRun_PassesArgumentsWithoutAShell(t *testing.T) {
	dir := t.TempDir()
	lines, spec := collect(Spec{Argv: []string{"printf", "%s\n", "$(touch pwned); `touch pwned2`"}, Dir: dir})
	if _, err := Run(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(*lines, ""); got != "stdout:$(touch pwned); `touch pwned2`" {
		t.Fatalf("output %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a shell ran: %v", entries)
	}
}

// TestRun_CancelKillsTheWholeGroup: a grandchild (what ssh or rsync spawn) must die too.
func TestRun_CancelKillsTheWholeGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Spec{Argv: []string{"sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"}})
		done <- err
	}()
	grandchild := waitForPid(t, pidFile)
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	waitGone(t, grandchild)
}

// TestRun_KillsAfterGraceWhenTermIsIgnored proves the SIGKILL step.
func TestRun_KillsAfterGraceWhenTermIsIgnored(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Spec{
			Argv:  []string{"sh", "-c", "trap '' TERM; echo $$ > " + pidFile + "; while :; do sleep 0.05; done"},
			Grace: 200 * time.Millisecond,
		})
		done <- err
	}()
	pid := waitForPid(t, pidFile)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a process ignoring SIGTERM was not killed")
	}
	waitGone(t, pid)
}

func waitForPid(t *testing.T, file string) int {
	t.Helper()
	for i := 0; i < 200; i++ {
		if b, err := os.ReadFile(file); err == nil && strings.HasSuffix(string(b), "\n") {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the child never wrote its pid")
	return 0
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d still alive", pid)
}
