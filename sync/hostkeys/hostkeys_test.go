package hostkeys

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"filesync/sync/testfleet"
)

// genKey makes a key pair with ssh-keygen in a temporary folder and returns the private
// key's path, the public key line (with its comment) and ssh-keygen's own fingerprint.
func genKey(t *testing.T, keyType string) (private, pub, fingerprint string) {
	t.Helper()
	private = filepath.Join(t.TempDir(), "key_"+keyType)
	args := []string{"-q", "-t", keyType, "-N", "", "-C", "root@test host", "-f", private}
	if keyType == "rsa" {
		args = append(args, "-b", "1024") // small for speed; only the format matters here
	}
	if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen %q: %v\n%s", args, err, out)
	}
	data, err := os.ReadFile(private + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ssh-keygen", "-lf", private+".pub").Output()
	if err != nil {
		t.Fatalf("ssh-keygen -lf: %v", err)
	}
	fields := strings.Fields(string(out)) // "256 SHA256:… comment (ED25519)"
	if len(fields) < 2 || !strings.HasPrefix(fields[1], "SHA256:") {
		t.Fatalf("ssh-keygen -lf printed %q", out)
	}
	return private, strings.TrimSpace(string(data)), fields[1]
}

// keyTypes returns the type names of an authorized_keys text, line by line.
func keyTypes(text string) []string {
	var types []string
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			types = append(types, f[0])
		}
	}
	return types
}

// withoutComment drops the comment of a public key line.
func withoutComment(line string) string {
	f := strings.Fields(line)
	return f[0] + " " + f[1]
}

func TestParseFormat_RoundTripSortsEd25519First(t *testing.T) {
	_, rsa, _ := genKey(t, "rsa")
	_, ecdsa, _ := genKey(t, "ecdsa")
	_, ed, _ := genKey(t, "ed25519")
	cases := []struct {
		name  string
		input string
	}{
		{"rsa, ecdsa, ed25519", rsa + "\n" + ecdsa + "\n" + ed},
		{"ed25519 first already", ed + "\n" + ecdsa + "\n" + rsa},
		{"blank lines, CRLF and indentation", "\n  " + ecdsa + "\r\n\r\n" + rsa + "\n\t" + ed + "  \n\n"},
	}
	want := withoutComment(ed) + "\n" + withoutComment(ecdsa) + "\n" + withoutComment(rsa)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := Parse(tc.input)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(keys) != 3 {
				t.Fatalf("Parse found %d keys, want 3", len(keys))
			}
			got := Format(keys)
			if got != want {
				t.Errorf("Format\n got %s\nwant %s", got, want)
			}
			again, err := Parse(got)
			if err != nil || Format(again) != got {
				t.Errorf("Format(Parse(Format)) changed the text: %v", err)
			}
		})
	}
}

func TestFormat_OrdersEd25519ThenECDSABySizeThenRSA(t *testing.T) {
	_, ed, _ := genKey(t, "ed25519")
	_, rsa, _ := genKey(t, "rsa")
	var ecdsaKeys []string
	for _, bits := range []string{"521", "384", "256"} {
		p := filepath.Join(t.TempDir(), "k")
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ecdsa", "-b", bits, "-N", "", "-f", p).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		data, _ := os.ReadFile(p + ".pub")
		ecdsaKeys = append(ecdsaKeys, strings.TrimSpace(string(data)))
	}
	input := strings.Join(append([]string{rsa}, append(ecdsaKeys, ed)...), "\n")
	keys, err := Parse(input)
	if err != nil {
		t.Fatal(err)
	}
	got := keyTypes(Format(keys))
	want := []string{"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"}
	if !slices.Equal(got, want) {
		t.Errorf("Format order = %q, want %q", got, want)
	}
	if Format(nil) != "" {
		t.Errorf("Format(nil) = %q, want empty", Format(nil))
	}
}

func TestParse_RejectsGarbageNamingTheLine(t *testing.T) {
	_, ed, _ := genKey(t, "ed25519")
	cases := []struct {
		name, input, wantInErr string
	}{
		{"short garbage", "not a key", `"not a key"`},
		{"long garbage is abbreviated", "ssh-ed25519 AAAAthis-is-not-base64-and-is-rather-long-indeed", "\"ssh-ed25519 AAAAthis-is-not-base64-and-i…\""},
		{"one bad line among good ones", ed + "\nbad line", `"bad line"`},
	}
	for _, tc := range cases {
		keys, err := Parse(tc.input)
		if err == nil {
			t.Errorf("%s: Parse returned %d keys and no error", tc.name, len(keys))
			continue
		}
		if !strings.Contains(err.Error(), "parse pinned host key") || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("%s: error %q should name the line as %s", tc.name, err, tc.wantInErr)
		}
	}
	if keys, err := Parse(" \n\n"); err != nil || len(keys) != 0 {
		t.Errorf("Parse(blank) = %d keys, %v; want none, no error", len(keys), err)
	}
}

func TestFingerprint_IsSHA256OfPreferredKeyAsSSHKeygenPrintsIt(t *testing.T) {
	_, rsa, rsaFP := genKey(t, "rsa")
	_, ecdsa, ecdsaFP := genKey(t, "ecdsa")
	_, ed, edFP := genKey(t, "ed25519")
	cases := []struct {
		name, text, want string
	}{
		{"ed25519 alone", ed, edFP},
		{"rsa alone", rsa, rsaFP},
		{"ecdsa alone", ecdsa, ecdsaFP},
		{"formatted set shows ed25519", mustFormat(t, rsa+"\n"+ecdsa+"\n"+ed), edFP},
		{"formatted set without ed25519 shows ecdsa", mustFormat(t, rsa+"\n"+ecdsa), ecdsaFP},
		{"empty", "", ""},
		{"garbage", "nonsense", ""},
	}
	for _, tc := range cases {
		if got := Fingerprint(tc.text); got != tc.want {
			t.Errorf("%s: Fingerprint = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func mustFormat(t *testing.T, text string) string {
	t.Helper()
	keys, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return Format(keys)
}

func TestSame_TrueWhenOneKeyIsShared(t *testing.T) {
	_, a, _ := genKey(t, "ed25519")
	_, b, _ := genKey(t, "ecdsa")
	_, c, _ := genKey(t, "ed25519")
	cases := []struct {
		name string
		x, y string
		want bool
	}{
		{"identical", a, a, true},
		{"comment and order differ", a + "\n" + b, withoutComment(b) + "\n" + withoutComment(a), true},
		{"one shared key is enough", a + "\n" + b, b + "\n" + c, true},
		{"disjoint", a, c, false},
		{"same type, other key", a + "\n" + b, c, false},
		{"empty", "", a, false},
		{"both empty", "", "", false},
		{"garbage", "garbage", a, false},
	}
	for _, tc := range cases {
		if got := Same(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: Same = %v, want %v", tc.name, got, tc.want)
		}
		if got := Same(tc.y, tc.x); got != tc.want {
			t.Errorf("%s (swapped): Same = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWriteKnownHosts_PinsUnderAliasAsSSHReadsIt writes a known_hosts file and asks the
// real ssh-keygen to find each alias in it.
func TestWriteKnownHosts_PinsUnderAliasAsSSHReadsIt(t *testing.T) {
	_, ed, _ := genKey(t, "ed25519")
	_, ecdsa, _ := genKey(t, "ecdsa")
	_, other, _ := genKey(t, "ed25519")
	path := filepath.Join(t.TempDir(), "app dir", "nested", "known_hosts") // folders made on demand
	pinned := map[string]string{
		"filesync-x":    ecdsa + "\n" + ed,
		"filesync-gpu1": other,
	}
	if err := WriteKnownHosts(path, pinned); err != nil {
		t.Fatalf("WriteKnownHosts: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("known_hosts mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("known_hosts folder mode %v, want 0700", dir.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	want := "filesync-gpu1 " + withoutComment(other) + "\n" +
		"filesync-x " + withoutComment(ecdsa) + "\n" +
		"filesync-x " + withoutComment(ed) + "\n"
	if string(data) != want {
		t.Errorf("known_hosts\n got %q\nwant %q", data, want)
	}
	for alias, keys := range map[string][]string{"filesync-x": {ecdsa, ed}, "filesync-gpu1": {other}} {
		out, err := exec.Command("ssh-keygen", "-F", alias, "-f", path).Output()
		if err != nil {
			t.Errorf("ssh-keygen -F %s found nothing: %v", alias, err)
			continue
		}
		for _, k := range keys {
			if !strings.Contains(string(out), alias+" "+withoutComment(k)) {
				t.Errorf("ssh-keygen -F %s output lacks %s:\n%s", alias, withoutComment(k), out)
			}
		}
	}
	if err := exec.Command("ssh-keygen", "-F", "filesync-nobody", "-f", path).Run(); err == nil {
		t.Errorf("ssh-keygen -F found an alias that was never pinned")
	}

	// A rewrite replaces the whole file; an empty pin set leaves an empty file.
	if err := WriteKnownHosts(path, map[string]string{"filesync-gpu1": other}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "filesync-gpu1 "+withoutComment(other)+"\n" {
		t.Errorf("after rewrite: %q", data)
	}
	if err := WriteKnownHosts(path, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); len(data) != 0 {
		t.Errorf("after writing no pins: %q", data)
	}
}

func TestWriteKnownHosts_BadKeyNamesAliasAndKeepsOldFile(t *testing.T) {
	_, ed, _ := genKey(t, "ed25519")
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := WriteKnownHosts(path, map[string]string{"filesync-a": ed}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	err := WriteKnownHosts(path, map[string]string{"filesync-a": ed, "filesync-b": "garbage"})
	if err == nil || !strings.Contains(err.Error(), "filesync-b") {
		t.Fatalf("error %v should name filesync-b", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("a failed write changed the file: %q", after)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("leftover files next to known_hosts: %v", entries)
	}
}

func TestKnownHostsLines_OneLinePerKeyUnderAlias(t *testing.T) {
	_, ed, _ := genKey(t, "ed25519")
	_, ecdsa, _ := genKey(t, "ecdsa")
	got, err := KnownHostsLines("filesync-src", ecdsa+"\n\n"+ed+"\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "filesync-src " + withoutComment(ecdsa) + "\nfilesync-src " + withoutComment(ed) + "\n"
	if got != want {
		t.Errorf("KnownHostsLines\n got %q\nwant %q", got, want)
	}
	// The lines are what ssh's own parser reads back.
	_, hosts, key, _, _, err := ssh.ParseKnownHosts([]byte(got))
	if err != nil || !slices.Equal(hosts, []string{"filesync-src"}) || withoutComment(string(ssh.MarshalAuthorizedKey(key))) != withoutComment(ecdsa) {
		t.Errorf("ParseKnownHosts of the lines: hosts %q, err %v", hosts, err)
	}
	if got, err := KnownHostsLines("filesync-src", ""); err != nil || got != "" {
		t.Errorf("no keys: %q, %v; want empty", got, err)
	}
	if _, err := KnownHostsLines("filesync-src", "garbage"); err == nil {
		t.Errorf("garbage keys gave no error")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestScan_ClosedPortNamesHostAndPort(t *testing.T) {
	port := testfleet.FreePort(t, "127.0.0.1")
	_, err := Scan(context.Background(), "127.0.0.1", port, 2e9)
	if err == nil {
		t.Fatal("Scan of a closed port succeeded")
	}
	want := "127.0.0.1 port " + itoa(port)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q should name %q", err, want)
	}
}

// TestScan_ErrorSaysWhatFailedAndWhatToDo: ssh-keyscan prints nothing for a refused
// connection, so the error must name the cause itself.
func TestScan_ErrorSaysWhatFailedAndWhatToDo(t *testing.T) {
	notSSH, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer notSSH.Close()
	go func() {
		for {
			conn, err := notSSH.Accept()
			if err != nil {
				return
			}
			conn.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
			conn.Close()
		}
	}()
	cases := []struct {
		name, host string
		port       int
		want       []string
	}{
		{"refused", "127.0.0.1", testfleet.FreePort(t, "127.0.0.1"), []string{"connection refused", "check that sshd runs there"}},
		{"no such host", "no-such-host.invalid", 22, []string{`no such host "no-such-host.invalid"`, "check the host name"}},
		{"not sshd", "127.0.0.1", notSSH.Addr().(*net.TCPAddr).Port, []string{"sent no SSH host key", "is sshd's"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scan(context.Background(), tc.host, tc.port, 2e9)
			if err == nil {
				t.Fatal("Scan succeeded")
			}
			for _, want := range append(tc.want, tc.host+" port "+itoa(tc.port)) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
