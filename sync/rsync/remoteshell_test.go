package rsync

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/folders"
)

func TestRemoteShell_QuotesOnlyWhatNeedsIt(t *testing.T) {
	cases := []struct {
		name string
		argv []string
		want string
	}{
		{"plain", []string{"ssh", "-p", "22", "-o", "BatchMode=yes"}, "ssh -p 22 -o BatchMode=yes"},
		{"space", []string{"ssh", "-i", "/home/me/my key"}, "ssh -i '/home/me/my key'"},
		{"empty", []string{"ssh", ""}, "ssh ''"},
		{"single quote doubled", []string{"it's"}, "'it''s'"},
		{"lone single quote", []string{"'"}, "''''"},
		{"double quotes", []string{`"q"`}, `'"q"'`},
		{"shell characters need no quoting", []string{"$HOME;*", `\`}, `$HOME;* \`},
	}
	for _, tc := range cases {
		if got := RemoteShell(tc.argv); got != tc.want {
			t.Errorf("%s: RemoteShell(%q) = %s, want %s", tc.name, tc.argv, got, tc.want)
		}
	}
}

// fakeSSH writes a script that records its argv, NUL-separated, in a file and fails,
// and returns the script's path and the record's path.
func fakeSSH(t *testing.T) (script, record string) {
	t.Helper()
	dir := t.TempDir()
	script, record = filepath.Join(dir, "fake ssh"), filepath.Join(dir, "argv")
	body := "#!/bin/sh\n: > '" + record + "'\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> '" + record + "'; done\nexit 1\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, record
}

func readArgv(t *testing.T, record string) []string {
	t.Helper()
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the fake ssh was not run: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
}

// TestRemoteShell_RoundTripsThroughRsyncsOwnParser hands RemoteShell's text to a real
// rsync as -e and checks that the "ssh" it starts receives exactly the argv we began
// with, followed by rsync's own arguments. rsync splits -e on spaces itself, honouring
// quotes, with a doubled quote inside quotes standing for one literal quote.
func TestRemoteShell_RoundTripsThroughRsyncsOwnParser(t *testing.T) {
	script, record := fakeSSH(t)
	cases := []struct {
		name string
		args []string
	}{
		{"plain options", []string{"-p", "2222", "-o", "BatchMode=yes"}},
		{"spaces", []string{"-i", "/home/me/my key", "  two  spaces  "}},
		{"single quotes", []string{"it's", "'", "''", "a'b'c", "'start", "end'"}},
		{"double quotes", []string{`"quoted"`, `a"b`, `"`, `""`}},
		{"mixed quotes", []string{`it's "x"`, `"it's"`}},
		{"empty strings", []string{"", "x", ""}},
		{"empty last", []string{"-o", ""}},
		{"shell characters", []string{"$(touch pwned)", "a;b", "*", `\n`, "~"}},
		{"non-ASCII", []string{"données", "模型 🙂"}},
		{"tab kept", []string{"a\tb"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(record)
			shell := RemoteShell(append([]string{script}, tc.args...))
			cmd := exec.Command("rsync", "-e", shell, "fakehost:x", filepath.Join(t.TempDir(), "dest"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err == nil {
				t.Fatalf("rsync through a failing fake ssh succeeded")
			}
			got := readArgv(t, record)
			if len(got) < len(tc.args)+3 {
				t.Fatalf("fake ssh got %q (rsync said %s)", got, stderr.String())
			}
			if !slices.Equal(got[:len(tc.args)], tc.args) {
				t.Errorf("-e %s\n gave %q\n want %q", shell, got[:len(tc.args)], tc.args)
			}
			if rest := got[len(tc.args):]; rest[0] != "fakehost" || rest[1] != "rsync" || rest[2] != "--server" {
				t.Errorf("rsync's own arguments = %q, want fakehost rsync --server …", rest)
			}
		})
	}
}

// TestArgs_RemoteSourceReachesShellAsHostAndServer runs a whole Args argv for a pull, with
// --rsh from RemoteShell: the fake ssh sees its options, the user and host, and rsync's server
// command (the paths travel inside the protocol because of --protect-args).
func TestArgs_RemoteSourceReachesShellAsHostAndServer(t *testing.T) {
	script, record := fakeSSH(t)
	sshArgv := []string{script, "-p", "22", "-o", "UserKnownHostsFile=/tmp/my known_hosts", "-o", "HostKeyAlias=filesync-a"}
	argv := Args(Endpoint{Remote: "alice@gpu1", Root: "my root"}, Endpoint{Root: t.TempDir()},
		[]folders.Folder{{Path: "data/P"}}, Options{RemoteShell: RemoteShell(sshArgv), Timeout: 5 * time.Second})
	if err := exec.Command(argv[0], argv[1:]...).Run(); err == nil {
		t.Fatal("rsync through a failing fake ssh succeeded")
	}
	got := readArgv(t, record)
	// rsync itself turns user@host into "-l user host".
	want := append(slices.Clone(sshArgv[1:]), "-l", "alice", "gpu1", "rsync", "--server", "--sender")
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("fake ssh got\n %q\nwant prefix\n %q", got, want)
	}
	if slices.Contains(got, "my root/./data/P") || slices.Contains(got, "my") {
		t.Errorf("the source path reached the remote shell's command line: %q", got)
	}
}
