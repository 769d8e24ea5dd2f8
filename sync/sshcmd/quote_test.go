package sshcmd

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

var hostileArgs = []struct {
	name string
	argv []string
}{
	{"plain", []string{"rsync", "--server", "-logDtpre.iLsfxCIvu", "."}},
	{"empty argument", []string{"echo", "", "x"}},
	{"spaces", []string{"my project", "  two  spaces  "}},
	{"single quotes", []string{"it's", "'", "''", "a'b'c"}},
	{"double quotes", []string{`"quoted"`, `a"b`}},
	{"command substitution", []string{"$(touch pwned)", "${HOME}", "$HOME"}},
	{"backticks", []string{"`touch pwned`"}},
	{"separators", []string{"a;touch pwned", "a && b", "a|b", "a&", "x>y", "<z"}},
	{"newlines and tabs", []string{"line1\nline2", "tab\there", "\r"}},
	{"globs and tilde", []string{"*", "?", "[a]", "~", "~root", "{a,b}"}},
	{"backslashes", []string{`\`, `a\nb`, `\'`}},
	{"non-ASCII", []string{"données", "模型", "🙂", "naïve café"}},
	{"leading dash", []string{"-rf", "--", "-"}},
	{"comment and bang", []string{"#not a comment", "!x", "a#b"}},
}

// TestQuote_RoundTripsThroughShells is the property the remote side relies on: whatever
// the argument, sh (and bash) hand the command exactly the argv we started with.
func TestQuote_RoundTripsThroughShells(t *testing.T) {
	for _, shell := range []string{"sh", "bash"} {
		if _, err := exec.LookPath(shell); err != nil {
			t.Fatalf("setup: %s not found: %v", shell, err)
		}
		for _, tc := range hostileArgs {
			t.Run(shell+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				got := runQuoted(t, shell, dir, tc.argv)
				if !slices.Equal(got, tc.argv) {
					t.Fatalf("round trip of %q gave %q (command line %s)", tc.argv, got, Quote(tc.argv))
				}
				assertNothingExecuted(t, dir)
			})
		}
	}
}

func runQuoted(t *testing.T, shell, dir string, argv []string) []string {
	t.Helper()
	line := `printf '%s\0' ` + Quote(argv)
	cmd := exec.Command(shell, "-c", line)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s -c %q: %v", shell, line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

func assertNothingExecuted(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command("ls", "-A", dir).Output()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("the quoted command created files %q (err %v)", out, err)
	}
}

func TestQuote_LeavesSafeArgumentsBare(t *testing.T) {
	cases := map[string]string{
		"rsync":                "rsync",
		"--partial-dir=.p":     "--partial-dir=.p",
		"user@host:data/x.bin": "user@host:data/x.bin",
		"a b":                  "'a b'",
		"":                     "''",
		"it's":                 `'it'\''s'`,
	}
	for in, want := range cases {
		if got := Quote([]string{in}); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
