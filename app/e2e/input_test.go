package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// badInputCase is one command line that must be refused as bad input (design §8: exit 2,
// nothing changed) with one sentence on stderr naming what is wrong.
type badInputCase struct {
	name  string
	args  []string
	names string // what the sentence must mention (case-insensitive)
}

// TestBadInput_ExitsTwoWithOneSentenceAndChangesNothing: every command is refused with
// exit 2 and a single sentence that names the field, and the computers, projects and
// history are exactly as before.
func TestBadInput_ExitsTwoWithOneSentenceAndChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	c1 := h.computer("c1")
	spare := filepath.Join(t.TempDir(), "spare") // a root that no case should create
	port := fmt.Sprint(c1.Port)
	ssh := func(name string, extra ...string) []string {
		args := []string{"computer", "add", name, "--host", c1.Host, "--port", port, "--user", h.fleet.User,
			"--root", spare, "--identity", h.fleet.ClientKey}
		return append(args, extra...)
	}
	remote := func(extra ...string) []string {
		return append([]string{"computer", "add", "newbox", "--root", "/srv/data"}, extra...)
	}
	cases := []badInputCase{
		{"duplicate computer name", []string{"computer", "add", "c1", "--local", "--root", spare}, "name"},
		{"duplicate host and port", ssh("other"), "host"},
		{"duplicate host and port with --trust", ssh("other", "--trust"), "host"},
		{"port 0", remote("--host", "example.com", "--port", "0"), "port"},
		{"port 70000", remote("--host", "example.com", "--port", "70000"), "port"},
		{"port -1", remote("--host", "example.com", "--port", "-1"), "port"},
		{"port abc", remote("--host", "example.com", "--port", "abc"), "port"},
		{"empty host", remote("--host", ""), "host"},
		{"neither host nor local", remote(), "host"},
		{"host with ;", remote("--host", "a;touch x"), "host"},
		{"host with space", remote("--host", "a b"), "host"},
		{"host with $()", remote("--host", "$(x)"), "host"},
		{"host with leading -", remote("--host=-oProxyCommand=touch_x"), "host"},
		{"user with @", remote("--host", "example.com", "--user", "a@b"), "user"},
		{"user with space", remote("--host", "example.com", "--user", "a b"), "user"},
		{"relative root", []string{"computer", "add", "newbox", "--host", "example.com", "--root", "data"}, "root"},
		{"root with ..", []string{"computer", "add", "newbox", "--host", "example.com", "--root", "/srv/../etc"}, "root"},
		{"local relative root", []string{"computer", "add", "disk", "--local", "--root", "data"}, "root"},
		{"negative bandwidth limit", remote("--host", "example.com", "--bwlimit", "-5"), "bandwidth"},
		{"missing identity file", remote("--host", "example.com", "--identity", "/nonexistent/key"), "identity"},
		{"computer name with /", []string{"computer", "add", "a/b", "--local", "--root", spare}, "name"},
		{"computer name of 300 characters", []string{"computer", "add", strings.Repeat("n", 300), "--local", "--root", spare}, "name"},
		{"computer add without a name", []string{"computer", "add", "--local", "--root", spare}, "arg"},
		{"sync folder ../etc", []string{"project", "add", "p2", "--sync", "../etc"}, "sync folder"},
		{"sync folder /etc", []string{"project", "add", "p2", "--sync", "/etc"}, "sync folder"},
		{"sync folder --delete", []string{"project", "add", "p2", "--sync=--delete"}, "sync folder"},
		{"sync folder list with --delete", []string{"project", "add", "p2", "--sync", "[ data, --delete ]"}, "sync folder"},
		{"sync folder data/../../etc", []string{"project", "add", "p2", "--sync", "data/../../etc"}, "sync folder"},
		{"ignore entry /etc", []string{"project", "add", "p2", "--ignore", "/etc"}, "ignore entry"},
		{"project name with /", []string{"project", "add", "a/b"}, "name"},
		{"project name starting with -", []string{"project", "add", "--", "-p"}, "name"},
		{"duplicate project name", []string{"project", "add", "proj"}, "project"},
		{"mode copy", []string{"project", "add", "p2", "--mode", "copy"}, "mode"},
		{"edit project to sync ../etc", []string{"project", "edit", "proj", "--sync", "../etc"}, "sync folder"},
		{"rename project with /", []string{"project", "edit", "proj", "--name", "a/b"}, "name"},
		{"sync an unknown project", []string{"sync", "--project", "nope"}, "project"},
		{"sync an unknown computer", []string{"sync", "--computer", "nope"}, "computer"},
		{"sync with an argument", []string{"sync", "proj"}, "proj"},
		{"push from an unknown computer", []string{"push", "--project", "proj", "--from", "nope"}, "computer"},
		{"push an unknown project", []string{"push", "--project", "nope", "--from", "here"}, "project"},
		{"push without --project", []string{"push", "--from", "here"}, "project"},
		{"run without --project", []string{"run", "--computer", "here", "--", "true"}, "project"},
		{"run on an unknown computer", []string{"run", "--project", "proj", "--computer", "nope", "--", "true"}, "computer"},
		{"remove an unknown computer", []string{"computer", "rm", "nope"}, "computer"},
		{"edit an unknown computer", []string{"computer", "edit", "nope", "--port", "2222"}, "computer"},
		{"trust an unknown computer", []string{"computer", "trust", "nope"}, "computer"},
		{"check an unknown computer", []string{"computer", "check", "nope"}, "computer"},
		{"trust a local computer", []string{"computer", "trust", "here"}, "local"},
		{"remove an unknown project", []string{"project", "rm", "nope"}, "project"},
		{"edit an unknown project", []string{"project", "edit", "nope", "--sync", "data"}, "project"},
		{"history --limit 0", []string{"history", "--limit", "0"}, "limit"},
		{"history of run abc", []string{"history", "abc"}, "run"},
		{"history of an unknown run", []string{"history", "999"}, "run"},
		{"edit port to 0", []string{"computer", "edit", "c1", "--port", "0"}, "port"},
		{"edit host to a;b", []string{"computer", "edit", "c1", "--host", "a;b"}, "host"},
		{"rename computer with /", []string{"computer", "edit", "c1", "--name", "a/b"}, "name"},
		{"rename computer onto another", []string{"computer", "edit", "c1", "--name", "here"}, "name"},
		{"unknown flag", []string{"sync", "--frobnicate"}, "frobnicate"},
		{"import a missing .env", []string{"computer", "import-env", filepath.Join(spare, ".env"), "--name", "me", "--root", spare}, ".env"},
		// Last: when these are wrongly accepted they add a computer.
		{"duplicate computer name, other case", []string{"computer", "add", "C1", "--local", "--root", spare}, "name"},
		{"both --host and --local", []string{"computer", "add", "both", "--local", "--host", "example.com", "--root", spare}, "host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.forTest(t)
			before := h.state()
			r := h.cli(tc.args...)
			after := h.state()
			if r.code != 2 {
				t.Errorf("filesync %q: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", tc.args, r.code, r.stdout, r.stderr)
			}
			if after != before {
				t.Errorf("filesync %q changed the state:\nbefore:\n%s\nafter:\n%s", tc.args, before, after)
			}
			checkOneSentence(t, r.stderr, tc.names)
		})
	}
}

// sentenceBreak is the end of a sentence followed by the start of another.
var sentenceBreak = regexp.MustCompile(`[.!?] +[A-Z]`)

// checkOneSentence wants stderr to be one line holding one sentence that mentions names.
func checkOneSentence(t *testing.T, stderr, names string) {
	t.Helper()
	msg := strings.TrimSpace(stderr)
	switch {
	case msg == "":
		t.Errorf("stderr is empty; want one sentence naming %q", names)
	case strings.Contains(msg, "\n"):
		t.Errorf("stderr has %d lines, want one sentence naming %q:\n%s", strings.Count(msg, "\n")+1, names, msg)
	case sentenceBreak.MatchString(msg):
		t.Errorf("stderr holds more than one sentence, want one naming %q:\n%s", names, msg)
	}
	if !strings.Contains(strings.ToLower(msg), strings.ToLower(names)) {
		t.Errorf("stderr does not mention %q:\n%s", names, msg)
	}
}
