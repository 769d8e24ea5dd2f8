package testfleet

import (
	"path/filepath"
	"testing"
	"time"
)

// The testing.TB side of the package: each function here does what its error-returning
// counterpart does, fails t with the error, and for a fleet registers its Close as a
// cleanup. Setup problems fail with a message that starts with "setup:"; none skips t.

// Require fails t (it does not skip) with a setup message when a program the fleet
// needs is missing: sshd, ssh, ssh-keygen, ssh-agent, ssh-add or rsync.
func Require(t testing.TB) {
	t.Helper()
	if err := CheckPrograms(DefaultSSHD); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

// Start starts n computers and the agent in a t.TempDir(), and registers a t.Cleanup
// that stops them all. Setup problems (missing programs, sshd refusing its config, a
// computer that does not answer) fail t with a message that starts with "setup:".
func Start(t testing.TB, n int) *Fleet {
	t.Helper()
	return startWith(t, Options{Computers: n, Agent: true})
}

// startWith is Start with options; an empty o.Dir is a t.TempDir(), notes go to t.Logf.
func startWith(t testing.TB, o Options) *Fleet {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	o.Logf = t.Logf
	f, err := New(o)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	t.Cleanup(func() { // runs before TempDir's removal (cleanups are LIFO)
		if err := f.Close(); err != nil {
			t.Errorf("fleet cleanup: %v", err)
		}
	})
	return f
}

// Start is StartSSHD for tests.
func (c *Computer) Start(t testing.TB) {
	t.Helper()
	if err := c.StartSSHD(); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

// Stop is StopSSHD for tests.
func (c *Computer) Stop(t testing.TB) {
	t.Helper()
	if err := c.StopSSHD(); err != nil {
		t.Fatalf("%s: stop sshd: %v\n--- sshd log ---\n%s", c.Name, err, c.LogTail())
	}
}

// ChangeHostKey replaces c's host keys with a new ed25519 key and restarts sshd if it
// was running.
func (c *Computer) ChangeHostKey(t testing.TB) {
	t.Helper()
	if err := c.changeHostKey(); err != nil {
		t.Fatalf("setup: %s: change host key: %v", c.Name, err)
	}
}

// UseHostKeys makes c's sshd offer the host private keys in files (their public keys
// are file + ".pub"), in that order, instead of its own; it restarts sshd if it was
// running.
func (c *Computer) UseHostKeys(t testing.TB, files ...string) {
	t.Helper()
	if err := c.useHostKeys(files); err != nil {
		t.Fatalf("setup: %s: use host keys %q: %v", c.Name, files, err)
	}
}

// Fingerprint returns the "SHA256:..." fingerprint of c's first host public key.
func (c *Computer) Fingerprint(t testing.TB) string {
	t.Helper()
	fp, err := c.fingerprint()
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	return fp
}

// SetShellStart makes every session's shell on c take d to start (0: at once), as on a
// computer whose ~/.bashrc runs conda or pyenv init: sshd sets BASH_ENV to a script that
// sleeps d, which bash sources before each command. It restarts sshd if it was running,
// closing open connections; the user's own startup files are never touched.
func (c *Computer) SetShellStart(t testing.TB, d time.Duration) {
	t.Helper()
	if err := c.ChangeShellStart(d); err != nil {
		t.Fatalf("setup: %s: shell start %s: %v", c.Name, d, err)
	}
}

// KillSessions cuts every open connection to c the way a network failure would: it kills
// (SIGKILL) the per-connection sshd processes and keeps the listener, so new connections
// are accepted. The programs the sessions ran (rsync) are not signalled: they see their
// connection close, as they would on a real failure. It returns how many it killed.
func (c *Computer) KillSessions(t testing.TB) int {
	t.Helper()
	n, err := c.killSessions()
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	return n
}

// StopListening stops c the way a computer whose sshd stopped listening is stopped: it
// kills (SIGKILL) the listener, so connections to c's port are refused, and keeps the
// connections already open (a multiplexing master still answers through its own), until
// Stop or the fleet's Close. It returns how many connections stayed open.
func (c *Computer) StopListening(t testing.TB) int {
	t.Helper()
	n, err := c.stopListening()
	if err != nil {
		t.Fatalf("%s: stop listening: %v", c.Name, err)
	}
	return n
}

// Authorize adds the public key in pubKeyFile to the keys every computer of f accepts.
func (f *Fleet) Authorize(t testing.TB, pubKeyFile string) {
	t.Helper()
	if err := f.authorize(pubKeyFile); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

// Keygen writes a new ed25519 key pair without passphrase to dir/name and dir/name.pub,
// with comment, and returns the private key's path. The key is authorized nowhere.
func Keygen(t testing.TB, dir, name, comment string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := keygen(path, comment); err != nil {
		t.Fatalf("setup: %v", err)
	}
	return path
}

// FreePort returns a TCP port of host that nothing listens on (at the time of the call):
// a computer that refuses connections.
func FreePort(t testing.TB, host string) int {
	t.Helper()
	port, err := freePort(host)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	return port
}
