package hostkeys

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// preference orders key types: the fingerprint shown to the user is of the first type found.
var preference = []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521, ssh.KeyAlgoRSA}

// Scan asks host:port for its host keys with ssh-keyscan. ssh-keyscan reads no ssh
// configuration: host and port must be where an alias leads (sshcmd.Resolve). It returns
// the keys in authorized_keys format, one per line, sorted by preference.
func Scan(ctx context.Context, host string, port int, timeout time.Duration) (string, error) {
	secs := strconv.Itoa(max(1, int(timeout/time.Second)))
	cmd := exec.CommandContext(ctx, "ssh-keyscan", "-T", secs, "-p", strconv.Itoa(port), "--", host)
	out, _ := cmd.Output() // the keys found decide; its exit status and stderr say nothing more
	keys := parseScan(out)
	if len(keys) == 0 {
		if ctx.Err() != nil {
			return "", fmt.Errorf("fetch host key of %s port %d: %w", host, port, ctx.Err())
		}
		return "", fmt.Errorf("fetch host key of %s port %d: %s", host, port, whyNoKey(ctx, host, port, timeout))
	}
	return Format(keys), nil
}

func parseScan(out []byte) []ssh.PublicKey {
	var keys []ssh.PublicKey
	rest := out
	for len(rest) > 0 {
		_, _, key, _, next, err := ssh.ParseKnownHosts(rest)
		if err != nil {
			break
		}
		keys = append(keys, key)
		rest = next
	}
	return keys
}

// Parse reads keys in authorized_keys format, one per line.
func Parse(text string) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("parse pinned host key %q: %w", abbreviate(line), err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// Format writes keys in authorized_keys format, one per line, sorted by preference.
func Format(keys []ssh.PublicKey) string {
	sorted := append([]ssh.PublicKey(nil), keys...)
	sort.SliceStable(sorted, func(i, j int) bool { return rank(sorted[i].Type()) < rank(sorted[j].Type()) })
	lines := make([]string, len(sorted))
	for i, k := range sorted {
		lines[i] = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
	}
	return strings.Join(lines, "\n")
}

// Fingerprint is the SHA256 fingerprint of the preferred key in text ("" when none).
func Fingerprint(text string) string {
	keys, err := Parse(text)
	if err != nil || len(keys) == 0 {
		return ""
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i].Type()) < rank(keys[j].Type()) })
	return ssh.FingerprintSHA256(keys[0])
}

// Same reports whether the two key sets share at least one key. ssh accepts a host when
// any pinned key of the negotiated type matches, so one shared key means "not changed".
func Same(a, b string) bool {
	ka, errA := Parse(a)
	kb, errB := Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	for _, x := range ka {
		for _, y := range kb {
			if bytes.Equal(x.Marshal(), y.Marshal()) {
				return true
			}
		}
	}
	return false
}

// WriteKnownHosts replaces the file at path with one line per pinned key, each under its
// alias (see fleet.Computer.HostKeyAlias). The folder is made 0700 and the file 0600; the
// file is written to a temporary name and renamed, so ssh never reads half a file.
func WriteKnownHosts(path string, pinned map[string]string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create folder for known_hosts: %w", err)
	}
	var buf bytes.Buffer
	aliases := make([]string, 0, len(pinned))
	for alias := range pinned {
		aliases = append(aliases, alias)
	}
	sort.Strings(aliases)
	for _, alias := range aliases {
		keys, err := Parse(pinned[alias])
		if err != nil {
			return fmt.Errorf("%s: %w", alias, err)
		}
		for _, k := range keys {
			buf.WriteString(knownhosts.Line([]string{alias}, k) + "\n")
		}
	}
	if err := writeAtomically(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// KnownHostsLines returns keys as known_hosts lines under alias, for handing to another
// computer that must check the same pinned keys.
func KnownHostsLines(alias, keys string) (string, error) {
	parsed, err := Parse(keys)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, k := range parsed {
		b.WriteString(knownhosts.Line([]string{alias}, k) + "\n")
	}
	return b.String(), nil
}

func rank(keyType string) int {
	for i, t := range preference {
		if t == keyType {
			return i
		}
	}
	return len(preference)
}

func abbreviate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
