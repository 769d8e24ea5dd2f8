package cli

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"filesync/app/paths"
	"filesync/app/service"
	"filesync/data"
)

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command line against a database in dir, with the runtime and cache
// folders there too.
func cli(t *testing.T, dir string, window Window, args ...string) result {
	t.Helper()
	t.Setenv("FILESYNC_RUNTIME_DIR", filepath.Join(dir, "run"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	var stdout, stderr bytes.Buffer
	code := Execute(append([]string{"--db", filepath.Join(dir, "filesync.db")}, args...), &stdout, &stderr, window)
	return result{code, stdout.String(), stderr.String()}
}

func TestExecute_ExitCodes(t *testing.T) {
	dir := t.TempDir()
	root := t.TempDir()
	for _, setUp := range [][]string{
		{"computer", "add", "here", "--local", "--root", root},
		{"project", "add", "proj"},
	} {
		if r := cli(t, dir, nil, setUp...); r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", setUp, r.code, r.stderr)
		}
	}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string // what the message says, hint included
	}{
		{[]string{"snyc"}, ExitBadInput, `unknown command "snyc"`},
		{[]string{"computer", "rm", "ghost"}, ExitBadInput, `no computer named "ghost"; "filesync computer list" shows the names`},
		{[]string{"project", "add", "PROJ"}, ExitBadInput, `to change proj, run "filesync project edit proj"`},
		{[]string{"sync"}, ExitBadInput, `at least two enabled computers, and 1 is enabled; add one with "filesync computer add"`},
		{[]string{"sync", "--timeout", "-1"}, ExitBadInput, "timeout -1"},
		{[]string{"history", "abc"}, ExitBadInput, `run id "abc"`},
		{[]string{"history", "999"}, ExitBadInput, "no run with id 999"},
		{[]string{"computer", "add", "x", "--local", "--host", "h", "--root", root}, ExitBadInput, "either a host or local"},
		{[]string{"run", "--project", "proj", "--computer", "here"}, ExitBadInput, "a task needs a command to run; give it after --"},
		{[]string{"run", "--project", "proj", "--computer", "here", "--", "sh", "-c", "exit 7"}, 7, "the task exited with code 7; nothing was pushed"},
		{[]string{"computer", "check", "here"}, ExitOK, ""},
		{[]string{"status"}, ExitBadInput, `at least two enabled computers`},
		{[]string{"sync", "--dry-run"}, ExitBadInput, `at least two enabled computers`},
	} {
		r := cli(t, dir, nil, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("filesync %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.code, tc.stderr)
		}
	}
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errFailed, ExitFailed},
		{fmt.Errorf("push: %w", errFailed), ExitFailed},
		{&taskExit{5}, 5},
		{badInput("no"), ExitBadInput},
		{fmt.Errorf("edit: %w", service.BadInput(&data.NotFoundError{Kind: "project", Name: "p"}, service.Hint{})), ExitBadInput},
		{errors.New("ssh: connection refused"), ExitFailed},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestHintText_QuotesNamesForTheShell(t *testing.T) {
	got := hintText(service.Hint{Do: service.TrustComputer, Name: "my laptop"})
	if want := `run "filesync computer trust 'my laptop'" and compare the fingerprint`; got != want {
		t.Errorf("hint %q, want %q", got, want)
	}
	for remedy := service.ListComputers; remedy <= service.GiveCommand; remedy++ {
		if hintText(service.Hint{Do: remedy, Name: "x"}) == "" {
			t.Errorf("remedy %d has no wording on the command line", remedy)
		}
	}
}

func TestExecute_WithoutACommandOpensTheWindowOnTheGivenDatabase(t *testing.T) {
	for _, args := range [][]string{{}, {"-v"}} {
		dir := t.TempDir()
		var opened string
		window := func(p paths.Paths, log *logrus.Logger) int {
			opened = p.DB
			return 3
		}
		r := cli(t, dir, window, args...)
		if want := filepath.Join(dir, "filesync.db"); r.code != 3 || opened != want {
			t.Errorf("filesync --db DB %v: exit %d, window opened on %q; want the window's exit code 3 and %s", args, r.code, opened, want)
		}
		if strings.Contains(r.stdout, "Usage:") {
			t.Errorf("filesync --db DB %v printed the help instead of opening the window", args)
		}
	}
}

func TestProjectEdit_NoWatchTurnsWatchOff(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"project", "add", "proj", "--watch"}, {"project", "edit", "proj", "--no-watch"}} {
		if r := cli(t, dir, nil, args...); r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	r := cli(t, dir, nil, "project", "list", "--json")
	if !strings.Contains(r.stdout, `"watch": false`) {
		t.Errorf("after --no-watch: %s", r.stdout)
	}
	if r := cli(t, dir, nil, "project", "edit", "proj", "--watch", "--no-watch"); r.code != ExitBadInput {
		t.Errorf("--watch --no-watch: exit %d, want %d", r.code, ExitBadInput)
	}
}

func TestPushHelp_SaysProjectIsRequired(t *testing.T) {
	r := cli(t, t.TempDir(), nil, "push", "--help")
	if !strings.Contains(r.stdout, "the project to send (required") || strings.Contains(r.stdout, "default all") {
		t.Errorf("push --help:\n%s", r.stdout)
	}
}

func TestProjectDeletes_FlagIsStoredAndShown(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps [][]string
		want  string
	}{
		{"a new project propagates", [][]string{{"project", "add", "proj"}}, "propagate"},
		{"add keeps when asked", [][]string{{"project", "add", "proj", "--deletes", "keep"}}, "keep"},
		{"edit changes it", [][]string{{"project", "add", "proj", "--deletes", "keep"}, {"project", "edit", "proj", "--deletes", "propagate"}}, "propagate"},
		{"an edit without it leaves it", [][]string{{"project", "add", "proj", "--deletes", "keep"}, {"project", "edit", "proj", "--mode", "mirror"}}, "keep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, args := range tc.steps {
				if r := cli(t, dir, nil, args...); r.code != ExitOK {
					t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
				}
			}
			if r := cli(t, dir, nil, "project", "list", "--json"); !strings.Contains(r.stdout, `"deletes": "`+tc.want+`"`) {
				t.Errorf("project list --json lacks deletes %s:\n%s", tc.want, r.stdout)
			}
			if r := cli(t, dir, nil, "project", "list"); !strings.Contains(r.stdout, "DELETES") || !strings.Contains(r.stdout, " "+tc.want+" ") {
				t.Errorf("project list lacks the deletes column showing %s:\n%s", tc.want, r.stdout)
			}
		})
	}
}

func TestProjectDeletes_UnknownValueIsRefusedAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if r := cli(t, dir, nil, "project", "add", "proj", "--deletes", "keep"); r.code != ExitOK {
		t.Fatalf("add: exit %d\n%s", r.code, r.stderr)
	}
	before := cli(t, dir, nil, "project", "list", "--json").stdout
	for _, args := range [][]string{
		{"project", "add", "other", "--deletes", "forget"},
		{"project", "edit", "proj", "--deletes", "Keep", "--mode", "mirror"},
	} {
		r := cli(t, dir, nil, args...)
		if r.code != ExitBadInput || !strings.Contains(r.stderr, "deletes") || !strings.Contains(r.stderr, "use propagate or keep") {
			t.Errorf("filesync %s: exit %d, stderr %q; want exit %d naming deletes, propagate and keep",
				strings.Join(args, " "), r.code, r.stderr, ExitBadInput)
		}
	}
	if after := cli(t, dir, nil, "project", "list", "--json").stdout; after != before {
		t.Errorf("refused commands changed the projects:\nbefore %s\nafter %s", before, after)
	}
}
