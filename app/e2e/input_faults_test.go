package e2e

import "testing"

// moreBadInput are the hostile or malformed inputs added with the fault and security
// tests: the new --timeout flag, and option-like or control-character values in fields
// that reach ssh and rsync through edit rather than add.
var moreBadInput = []badInputCase{
	{"sync --timeout -1", []string{"sync", "--timeout", "-1"}, "timeout"},
	{"push --timeout abc", []string{"push", "--project", "proj", "--from", "here", "--timeout", "abc"}, "timeout"},
	{"sync --timeout 1.5", []string{"sync", "--timeout", "1.5"}, "timeout"},
	{"edit user to an ssh option", []string{"computer", "edit", "c1", "--user=-oProxyCommand=touch_x"}, "user"},
	{"edit host to an ssh option", []string{"computer", "edit", "c1", "--host=-oProxyCommand=touch_x"}, "host"},
	{"edit root with a newline", []string{"computer", "edit", "c1", "--root", "/srv/data\nrm -rf x"}, "root"},
	{"edit root with ..", []string{"computer", "edit", "c1", "--root", "/srv/../../etc"}, "root"},
	{"edit bandwidth limit to -1", []string{"computer", "edit", "c1", "--bwlimit", "-1"}, "bandwidth"},
	{"edit identity to a missing file", []string{"computer", "edit", "c1", "--identity", "/nonexistent/id"}, "identity"},
	{"sync folder with a tab", []string{"project", "add", "p2", "--sync", "data/a\tb"}, "sync folder"},
	{"ignore entry with ..", []string{"project", "add", "p2", "--ignore", "data/../x"}, "ignore entry"},
	{"ignore entry -rf", []string{"project", "add", "p2", "--ignore=-rf"}, "ignore entry"},
	{"edit mode to mirror2", []string{"project", "edit", "proj", "--mode", "mirror2"}, "mode"},
}

// TestBadInput_FaultAndSecurityCases: the cases above, held to the same contract as
// TestBadInput_ExitsTwoWithOneSentenceAndChangesNothing.
func TestBadInput_FaultAndSecurityCases(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	for _, tc := range moreBadInput {
		t.Run(tc.name, func(t *testing.T) {
			h := h.forTest(t)
			before := h.state()
			r := h.cli(tc.args...)
			if after := h.state(); after != before {
				t.Errorf("filesync %q changed the state:\nbefore:\n%s\nafter:\n%s", tc.args, before, after)
			}
			if r.code != 2 {
				t.Errorf("filesync %q: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", tc.args, r.code, r.stdout, r.stderr)
			}
			checkOneSentence(t, r.stderr, tc.names)
		})
	}
}
