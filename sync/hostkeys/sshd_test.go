package hostkeys

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
)

func itoa(n int) string { return strconv.Itoa(n) }

// freePort returns a loopback TCP port that nothing listens on (at the time of the call).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects sshd's log for failure messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startSSHD runs a throwaway sshd on 127.0.0.1 with the given host keys and returns its
// port; it is stopped when the test ends. It skips the test when sshd cannot run here.
func startSSHD(t *testing.T, hostKeys ...string) (int, *lockedBuffer) {
	t.Helper()
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		sshd = "/usr/sbin/sshd"
	}
	if _, err := os.Stat(sshd); err != nil {
		t.Skip("sshd is not installed")
	}
	if os.Geteuid() == 0 {
		if _, err := os.Stat("/run/sshd"); err != nil {
			t.Skip("/run/sshd (sshd's privilege separation folder) is missing")
		}
	}
	port := freePort(t)
	conf := []string{
		"ListenAddress 127.0.0.1", "Port " + itoa(port), "PidFile none", "UsePAM no",
		"PasswordAuthentication no", "KbdInteractiveAuthentication no", "AuthorizedKeysFile none",
	}
	for _, k := range hostKeys {
		conf = append(conf, "HostKey "+k)
	}
	config := filepath.Join(t.TempDir(), "sshd_config")
	if err := os.WriteFile(config, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	log := &lockedBuffer{}
	cmd := exec.Command(sshd, "-D", "-e", "-f", config)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start sshd: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return port, log
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not start listening on port %d:\n%s", port, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestScan_RealSSHDOffersItsKeysEd25519First scans a real sshd on the loopback and checks
// that the keys found are exactly its host keys, sorted by preference.
func TestScan_RealSSHDOffersItsKeysEd25519First(t *testing.T) {
	ecdsaPriv, ecdsa, _ := genKey(t, "ecdsa")
	edPriv, ed, edFP := genKey(t, "ed25519")
	port, log := startSSHD(t, ecdsaPriv, edPriv)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := Scan(ctx, "127.0.0.1", port, 3*time.Second)
	if err != nil {
		t.Fatalf("Scan: %v\nsshd log:\n%s", err, log.String())
	}
	want := withoutComment(ed) + "\n" + withoutComment(ecdsa)
	if got != want {
		t.Errorf("Scan\n got %q\nwant %q", got, want)
	}
	if fp := Fingerprint(got); fp != edFP {
		t.Errorf("Fingerprint(Scan) = %s, want ssh-keygen's %s", fp, edFP)
	}
	if !Same(got, ed) || !Same(got, ecdsa) {
		t.Errorf("scanned keys are not Same as the host keys")
	}
}

// TestWriteKnownHosts_RealSSHAcceptsOnlyThePinnedKey connects the real ssh client, with
// sshcmd's options, to a real sshd addressed by IP: with the right key pinned under the
// computer's alias, ssh gets past the host key check (and fails later, at the login); with
// another key pinned it refuses the host.
func TestWriteKnownHosts_RealSSHAcceptsOnlyThePinnedKey(t *testing.T) {
	edPriv, ed, _ := genKey(t, "ed25519")
	_, impostor, _ := genKey(t, "ed25519")
	port, log := startSSHD(t, edPriv)
	c := fleet.Computer{Name: "x", Host: "127.0.0.1", Port: port, User: "nobody"}
	cases := []struct {
		name     string
		pinned   map[string]string
		insecure bool
		wantErr  string
	}{
		{"pinned key matches", map[string]string{"filesync-x": ed}, false, "Permission denied"},
		{"pinned key among others", map[string]string{"filesync-x": impostor + "\n" + ed, "filesync-y": impostor}, false, "Permission denied"},
		{"other key pinned", map[string]string{"filesync-x": impostor}, false, "Host key verification failed"},
		{"key pinned under another alias", map[string]string{"filesync-y": ed}, false, "Host key verification failed"},
		{"nothing pinned", nil, false, "Host key verification failed"},
		{"insecure switch", nil, true, "Permission denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			known := filepath.Join(t.TempDir(), "known_hosts")
			if err := WriteKnownHosts(known, tc.pinned); err != nil {
				t.Fatal(err)
			}
			c := c
			c.InsecureSkipHostKeyCheck = tc.insecure
			argv := sshcmd.Command(c, sshcmd.Config{KnownHostsFile: known, ConnectTimeout: 5 * time.Second}, false, []string{"true"})
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK=") // no agent keys
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("ssh logged in without any key?\n%s", out)
			}
			if !strings.Contains(string(out), tc.wantErr) {
				t.Errorf("ssh said %q, want it to mention %q\nsshd log:\n%s", out, tc.wantErr, log.String())
			}
		})
	}
}
