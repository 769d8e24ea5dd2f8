package cli

import (
	"strings"
	"testing"
)

func TestProjectVersionPolicy_FlagsAreStoredShownAndChecked(t *testing.T) {
	for _, tc := range []struct {
		name     string
		steps    [][]string
		wantJSON []string
		wantText string
	}{
		{"a new project keeps 30 days", [][]string{{"project", "add", "proj"}},
			[]string{`"versions_keep": "days"`, `"versions_days": 30`, `"versions_max_gb": 0`}, " 30 days "},
		{"staggered with a cap", [][]string{{"project", "add", "proj", "--keep-versions", "staggered", "--versions-days", "7", "--versions-max-gb", "1.5"}},
			[]string{`"versions_keep": "staggered"`, `"versions_days": 7`, `"versions_max_gb": 1.5`}, " staggered, 7 days, at most 1.5 GB per computer "},
		{"an edit changes only what it names", [][]string{{"project", "add", "proj", "--keep-versions", "staggered"}, {"project", "edit", "proj", "--versions-days", "0"}},
			[]string{`"versions_keep": "staggered"`, `"versions_days": 0`}, " staggered, forever "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, args := range tc.steps {
				if r := cli(t, dir, nil, args...); r.code != ExitOK {
					t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
				}
			}
			js := cli(t, dir, nil, "project", "list", "--json").stdout
			for _, want := range tc.wantJSON {
				if !strings.Contains(js, want) {
					t.Errorf("project list --json lacks %s:\n%s", want, js)
				}
			}
			if r := cli(t, dir, nil, "project", "list"); !strings.Contains(r.stdout, tc.wantText) {
				t.Errorf("project list lacks %q:\n%s", tc.wantText, r.stdout)
			}
		})
	}
}

func TestVersions_BadInputIsRefusedWithWhatToDo(t *testing.T) {
	dir := t.TempDir()
	for _, setUp := range [][]string{
		{"computer", "add", "here", "--local", "--root", t.TempDir()},
		{"project", "add", "proj"},
	} {
		if r := cli(t, dir, nil, setUp...); r.code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", setUp, r.code, r.stderr)
		}
	}
	before := cli(t, dir, nil, "project", "list", "--json").stdout
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"project", "add", "other", "--keep-versions", "weekly"}, `versions retention "weekly" is neither "days" nor "staggered"`},
		{[]string{"project", "edit", "proj", "--versions-days", "-1"}, "0 to keep them whatever their age"},
		{[]string{"project", "edit", "proj", "--versions-max-gb", "-2"}, "0 for no cap"},
		{[]string{"versions", "restore", "data/proj/x"}, "give the copy's --computer and --run"},
		{[]string{"versions", "restore", "--computer", "ghost", "--run", "1", "data/proj/x"}, `no computer named "ghost"`},
		{[]string{"versions", "restore", "--computer", "here", "--run", "1", "data/proj/x"}, "here keeps no copy of data/proj/x from run 1"},
		{[]string{"versions", "--computer", "ghost"}, `no computer named "ghost"`},
		{[]string{"versions", "--project", "ghost"}, `no project named "ghost"`},
		{[]string{"versions", "prune", "--project", "ghost"}, `no project named "ghost"`},
	} {
		r := cli(t, dir, nil, tc.args...)
		if r.code != ExitBadInput || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("filesync %s: exit %d, stderr %q; want exit %d saying %q", strings.Join(tc.args, " "), r.code, r.stderr, ExitBadInput, tc.stderr)
		}
	}
	if after := cli(t, dir, nil, "project", "list", "--json").stdout; after != before {
		t.Errorf("refused commands changed the projects:\nbefore %s\nafter %s", before, after)
	}
}

func TestVersions_ListsNothingKeptWithTheSpacePerComputer(t *testing.T) {
	dir := t.TempDir()
	if r := cli(t, dir, nil, "computer", "add", "here", "--local", "--root", t.TempDir()); r.code != ExitOK {
		t.Fatal(r.stderr)
	}
	r := cli(t, dir, nil, "versions")
	if r.code != ExitOK || r.stdout != "no versions kept\nhere: 0 B in 0 versions\n" {
		t.Errorf("versions: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
}
