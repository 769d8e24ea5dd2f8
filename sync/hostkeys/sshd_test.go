package hostkeys

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
	"filesync/sync/testfleet"
)

// startSSHD starts a test computer whose sshd offers exactly the given host keys; it is
// stopped when the test ends. A missing sshd fails the test.
func startSSHD(t *testing.T, hostKeys ...string) *testfleet.Computer {
	t.Helper()
	c := testfleet.Start(t, 1).Computers[0]
	c.UseHostKeys(t, hostKeys...)
	return c
}

// TestScan_RealSSHDOffersItsKeysEd25519First scans a real sshd on the loopback and checks
// that the keys found are exactly its host keys, sorted by preference.
func TestScan_RealSSHDOffersItsKeysEd25519First(t *testing.T) {
	ecdsaPriv, ecdsa, _ := genKey(t, "ecdsa")
	edPriv, ed, edFP := genKey(t, "ed25519")
	sshd := startSSHD(t, ecdsaPriv, edPriv)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := Scan(ctx, sshd.Host, sshd.Port, 3*time.Second)
	if err != nil {
		t.Fatalf("Scan: %v\nsshd log:\n%s", err, sshd.LogTail())
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
	sshd := startSSHD(t, edPriv)
	c := fleet.Computer{Name: "x", Host: sshd.Host, Port: sshd.Port, User: "nobody"}
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
				t.Errorf("ssh said %q, want it to mention %q\nsshd log:\n%s", out, tc.wantErr, sshd.LogTail())
			}
		})
	}
}
