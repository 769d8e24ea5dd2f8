package testfleet

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// detachDirEnv makes the test binary start a detached fleet in the folder it names,
// print its computers' addresses and exit (see TestMain).
const detachDirEnv = "TESTFLEET_DETACH_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(detachDirEnv); dir != "" {
		startDetached(dir)
	}
	os.Exit(m.Run())
}

// startDetached is the child process of TestStopDetached_…: it starts two detached
// computers in dir, prints "host:port" for each and exits without stopping them.
func startDetached(dir string) {
	f, err := New(Options{Computers: 2, Dir: dir, Detach: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range f.Computers {
		fmt.Println(c.addr())
	}
	os.Exit(0)
}

func TestStopDetached_SSHDsOutliveTheProcessThatStartedThemUntilStopped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), detachDirEnv+"="+dir)
	child.Stderr = os.Stderr
	out, err := child.Output() // returns only if the sshds do not hold its stdout
	t.Cleanup(func() { _ = StopDetached(dir) })
	if err != nil {
		t.Fatalf("child that starts the fleet: %v", err)
	}
	addrs := strings.Fields(string(out))
	if len(addrs) != 2 {
		t.Fatalf("child printed %q, want two addresses", out)
	}
	for i, addr := range addrs {
		c := computerAt(t, addr)
		if err := c.probe(); err != nil {
			t.Errorf("%s: no banner after the starting process exited: %v", addr, err)
		}
		if _, err := os.Stat(pidFile(filepath.Join(dir, "c"+strconv.Itoa(i+1)))); err != nil {
			t.Errorf("c%d: %v", i+1, err)
		}
	}

	if err := StopDetached(dir); err != nil {
		t.Fatalf("StopDetached: %v", err)
	}
	for _, addr := range addrs {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still accepts after StopDetached", addr)
		}
	}
	if err := StopDetached(dir); err != nil {
		t.Errorf("StopDetached of a stopped fleet: %v", err)
	}
	if err := StopDetached(filepath.Join(dir, "nothing here")); err != nil {
		t.Errorf("StopDetached of a folder without a fleet: %v", err)
	}
}

// computerAt is a Computer for probing "host:port".
func computerAt(t *testing.T, addr string) *Computer {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return &Computer{Host: host, Port: n}
}
