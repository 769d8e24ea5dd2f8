package testfleet

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestNew_RejectsBadOptionsAndMissingSSHD(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"no computers", Options{Dir: dir}, "0 computers asked for"},
		{"too many computers", Options{Computers: 241, Dir: dir}, "241 computers asked for"},
		{"no folder", Options{Computers: 1}, "Options.Dir"},
		{"relative sshd", Options{Computers: 1, Dir: dir, SSHD: "sshd"}, `"sshd" is not absolute`},
		{"detached agent", Options{Computers: 1, Dir: dir, Agent: true, Detach: true}, "cannot be detached"},
		{"net outside loopback", Options{Computers: 1, Dir: dir, Net: "10.0.0"}, `"10.0.0" is not the start`},
		{"net of two octets", Options{Computers: 1, Dir: dir, Net: "127.0"}, `"127.0" is not the start`},
		{"missing sshd", Options{Computers: 1, Dir: dir, SSHD: "/nonexistent/sshd"}, "/nonexistent/sshd not found; install openssh-server"},
	}
	for _, tc := range cases {
		f, err := New(tc.o)
		if err == nil {
			t.Errorf("%s: New succeeded", tc.name)
			_ = f.Close()
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want it to say %q", tc.name, err, tc.want)
		}
	}
}

func TestCheckPrograms_MissingSSHDIsAnError(t *testing.T) {
	err := CheckPrograms("/nonexistent/sshd")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/sshd not found") {
		t.Fatalf("CheckPrograms(/nonexistent/sshd) = %v, want an error naming it", err)
	}
	if err := CheckPrograms(t.TempDir()); err == nil {
		t.Errorf("CheckPrograms accepted a folder as sshd")
	}
}

// recorder is a testing.TB that notes how the fixture ended a test: failed or skipped.
// Both end the goroutine, as they do in a real test.
type recorder struct {
	testing.TB
	fatal   string
	skipped bool
}

func (r *recorder) Fatalf(format string, args ...any) { r.fail(fmt.Sprintf(format, args...)) }
func (r *recorder) Fatal(args ...any)                 { r.fail(fmt.Sprint(args...)) }
func (r *recorder) FailNow()                          { r.fail("FailNow") }
func (r *recorder) Skip(...any)                       { r.skip() }
func (r *recorder) Skipf(string, ...any)              { r.skip() }
func (r *recorder) SkipNow()                          { r.skip() }

func (r *recorder) fail(msg string) { r.fatal = msg; runtime.Goexit() }
func (r *recorder) skip()           { r.skipped = true; runtime.Goexit() }

func TestStart_MissingSSHDFailsTheTestWithSetupMessage(t *testing.T) {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		startWith(r, Options{Computers: 1, Agent: true, SSHD: "/nonexistent/sshd"})
		t.Error("startWith returned without sshd")
	}()
	<-done
	if r.skipped {
		t.Fatal("a missing sshd skipped the test; it must fail it")
	}
	if !strings.HasPrefix(r.fatal, "setup: ") || !strings.Contains(r.fatal, "/nonexistent/sshd not found") {
		t.Errorf("failure message %q, want \"setup: /nonexistent/sshd not found…\"", r.fatal)
	}
}
