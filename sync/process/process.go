package process

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"sync"
	"time"
)

// Stream names which output a line came from.
type Stream string

// The two output streams of a process.
const (
	Stdout Stream = "stdout"
	Stderr Stream = "stderr"
)

// Spec is one program to run.
type Spec struct {
	Argv  []string
	Env   []string  // nil inherits this process's environment
	Dir   string    // working folder; "" is the current one
	Stdin io.Reader // nil reads nothing
	// Grace is how long a cancelled process group has between SIGTERM and SIGKILL.
	Grace time.Duration
	// OnLine receives each output line, split at \n and at \r (rsync redraws progress
	// with \r). Calls are serialised.
	OnLine func(Stream, string)
}

// DefaultGrace is the pause between SIGTERM and SIGKILL when Spec.Grace is zero.
const DefaultGrace = 3 * time.Second

// outputDrainWait bounds how long Run waits for output after the process has exited:
// a helper it left behind (an ssh ControlMaster keeping stderr open) must not stall it.
const outputDrainWait = 2 * time.Second

// Run starts spec.Argv and waits for it. It returns the exit code (-1 when the program
// could not start or died from a signal) and an error for anything but a clean exit 0;
// when ctx ends first, the process group is terminated and ctx.Err() is wrapped.
func Run(ctx context.Context, spec Spec) (int, error) {
	if len(spec.Argv) == 0 {
		return -1, errors.New("run: empty command")
	}
	cmd := exec.Command(spec.Argv[0], spec.Argv[1:]...)
	cmd.Env, cmd.Dir, cmd.Stdin = spec.Env, spec.Dir, spec.Stdin
	cmd.SysProcAttr = sysProcAttr()
	// The program is told to stop when the thread that started it ends (see sysProcAttr);
	// keeping this goroutine on that thread until the program is reaped keeps the thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cmd.WaitDelay = outputDrainWait
	var lines lineSink
	lines.onLine = spec.OnLine
	cmd.Stdout = lines.writer(Stdout)
	cmd.Stderr = lines.writer(Stderr)
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("start %s: %w", spec.Argv[0], err)
	}
	stop := stopOnCancel(ctx, cmd.Process.Pid, grace(spec.Grace))
	err := cmd.Wait()
	cancelled := stop()
	lines.flush()
	code := exitCode(cmd, err)
	switch {
	case cancelled:
		return code, fmt.Errorf("%s stopped: %w", spec.Argv[0], ctx.Err())
	case err != nil && code >= 0:
		return code, fmt.Errorf("%s exited with code %d", spec.Argv[0], code)
	case err != nil:
		return code, fmt.Errorf("%s: %w", spec.Argv[0], err)
	}
	return 0, nil
}

func grace(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultGrace
	}
	return d
}

// stopOnCancel terminates the process group of pid when ctx ends. The returned function
// ends the watch and reports whether the group was signalled.
func stopOnCancel(ctx context.Context, pid int, grace time.Duration) func() bool {
	done := make(chan struct{})
	signalled := make(chan bool, 1)
	go func() {
		select {
		case <-done:
			signalled <- false
		case <-ctx.Done():
			terminate(pid)
			select {
			case <-done:
			case <-time.After(grace):
				kill(pid)
				<-done
			}
			signalled <- true
		}
	}()
	return func() bool {
		close(done)
		return <-signalled
	}
}

func exitCode(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState == nil {
		return -1
	}
	if err != nil && !errors.As(err, new(*exec.ExitError)) && cmd.ProcessState.ExitCode() == 0 {
		return 0 // exited 0, only the output drain timed out
	}
	return cmd.ProcessState.ExitCode()
}

// lineSink turns two byte streams into lines, one callback at a time.
type lineSink struct {
	mu      sync.Mutex
	onLine  func(Stream, string)
	pending map[Stream]*bytes.Buffer
}

type streamWriter struct {
	sink   *lineSink
	stream Stream
}

func (l *lineSink) writer(s Stream) io.Writer {
	if l.pending == nil {
		l.pending = map[Stream]*bytes.Buffer{}
	}
	l.pending[s] = &bytes.Buffer{}
	return streamWriter{l, s}
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.sink.mu.Lock()
	defer w.sink.mu.Unlock()
	buf := w.sink.pending[w.stream]
	buf.Write(p)
	for {
		i := bytes.IndexAny(buf.Bytes(), "\r\n")
		if i < 0 {
			return len(p), nil
		}
		line := string(buf.Next(i + 1)[:i])
		if line != "" {
			w.sink.emit(w.stream, line)
		}
	}
}

func (l *lineSink) emit(s Stream, line string) {
	if l.onLine != nil {
		l.onLine(s, line)
	}
}

func (l *lineSink) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range []Stream{Stdout, Stderr} {
		if buf := l.pending[s]; buf != nil && buf.Len() > 0 {
			l.emit(s, buf.String())
			buf.Reset()
		}
	}
}
