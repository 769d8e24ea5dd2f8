package desktop

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	_ "filesync/app/clocale" // as main imports it
)

// childEnv marks the test binary started by TestFyneStart_LogsNoLocaleErrorUnderCUTF8.
const childEnv = "FILESYNC_DESKTOP_TEST_CHILD"

// TestMain lets the test binary stand in for FileSync's start: by the time it runs, every
// package, Fyne's included, has been initialised as in the real binary.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestFyneStart_LogsNoLocaleErrorUnderCUTF8: C.UTF-8 is the default locale of many servers
// and containers; Fyne's lookup does not know it, and package clocale hides it from Fyne.
func TestFyneStart_LogsNoLocaleErrorUnderCUTF8(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); name != "LANG" && name != "LANGUAGE" && !strings.HasPrefix(name, "LC_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LANG=C.UTF-8", childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "user locale") {
		t.Errorf("starting under LANG=C.UTF-8 printed\n%s", out)
	}
}

const trayWatcher = "org.kde.StatusNotifierWatcher"

func TestTrayHostPresent_FalseWithoutASessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	if trayHostPresent() {
		t.Error("trayHostPresent() = true with a session bus address nothing listens on")
	}
}

func TestTrayHostPresent_TrueOnlyWhileAWatcherOwnsItsName(t *testing.T) {
	address := startSessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", address)
	if trayHostPresent() {
		t.Fatalf("trayHostPresent() = true on a session bus where nobody owns %s", trayWatcher)
	}
	host, err := dbus.Connect(address)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	reply, err := host.RequestName(trayWatcher, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("take the name %s: reply %v, %v", trayWatcher, reply, err)
	}
	if !trayHostPresent() {
		t.Errorf("trayHostPresent() = false while a tray host owns %s", trayWatcher)
	}
	if _, err := host.ReleaseName(trayWatcher); err != nil {
		t.Fatal(err)
	}
	if trayHostPresent() {
		t.Errorf("trayHostPresent() = true after the tray host gave up %s", trayWatcher)
	}
}

// startSessionBus starts a private dbus-daemon on a socket in t's temporary folder, stopped
// when t ends, and returns its address. A missing dbus-daemon is a setup failure.
func startSessionBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Fatalf("dbus-daemon is needed to fake a desktop's session bus (Debian package dbus-daemon): %v", err)
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--print-address=1",
		"--address=unix:path="+filepath.Join(t.TempDir(), "bus"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	address, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(address)
}
