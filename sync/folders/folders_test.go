package folders

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// resolveCase is one Resolve call and the folders it should produce.
type resolveCase struct {
	name    string
	project string
	sync    []string
	ignore  []string
	want    []Folder
	unused  []string
}

func runResolveCases(t *testing.T, cases []resolveCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			project := tc.project
			if project == "" {
				project = "P"
			}
			got, err := Resolve(project, tc.sync, tc.ignore)
			if err != nil {
				t.Fatalf("Resolve(%q, %q, %q) error: %v", project, tc.sync, tc.ignore, err)
			}
			if !reflect.DeepEqual(got.Folders, tc.want) {
				t.Errorf("Resolve(%q, %q, %q) folders\n got %#v\nwant %#v", project, tc.sync, tc.ignore, got.Folders, tc.want)
			}
			if !reflect.DeepEqual(got.Unused, tc.unused) {
				t.Errorf("Resolve(%q, %q, %q) unused = %q, want %q", project, tc.sync, tc.ignore, got.Unused, tc.unused)
			}
		})
	}
}

func folders(paths ...string) []Folder {
	var out []Folder
	for _, p := range paths {
		out = append(out, Folder{Path: p})
	}
	return out
}

func TestResolve_InsertsProjectAfterDataAndModels(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "data alone", sync: []string{"data"}, want: folders("data/P")},
		{name: "models alone", sync: []string{"models"}, want: folders("models/P")},
		{name: "folder under data", sync: []string{"data/folder1"}, want: folders("data/P/folder1")},
		{name: "deep folder under models", sync: []string{"models/a/b"}, want: folders("models/P/a/b")},
		{name: "trimmed and slash-cleaned first", sync: []string{"  ./data//folder1/ "}, want: folders("data/P/folder1")},
		{name: "seed list", sync: []string{"data/folder1", "data/folder2", "models"},
			want: folders("data/P/folder1", "data/P/folder2", "models/P")},
	})
}

func TestResolve_KeepsProjectFolderWrittenOut(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "data/P", sync: []string{"data/P"}, want: folders("data/P")},
		{name: "data/P/x", sync: []string{"data/P/x"}, want: folders("data/P/x")},
		{name: "models/P/x", sync: []string{"models/P/x"}, want: folders("models/P/x")},
		{name: "other project's name is a folder of this one", sync: []string{"data/Q/x"}, want: folders("data/P/Q/x")},
	})
}

func TestResolve_KeepsOtherFoldersRelativeToRoot(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "top level", sync: []string{"src"}, want: folders("src")},
		{name: "data further down", sync: []string{"work/data"}, want: folders("work/data")},
		{name: "similar names", sync: []string{"database", "models2"}, want: folders("database", "models2")},
	})
}

func TestResolve_DefaultsToDataAndModels(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "nil", sync: nil, want: folders("data/P", "models/P")},
		{name: "empty", sync: []string{}, want: folders("data/P", "models/P")},
	})
}

func TestResolve_InsertsWeirdProjectNamesLiterally(t *testing.T) {
	for _, project := range []string{"my proj", "a'b", `a"b`, "$(rm -rf x)", "x;y", "`id`", "données", "a*b"} {
		runResolveCases(t, []resolveCase{{
			name:    project,
			project: project,
			sync:    []string{"data/folder1", "models", "data/" + project + "/x"},
			want:    folders("data/"+project+"/folder1", "models/"+project, "data/"+project+"/x"),
		}})
	}
}

func TestResolve_CollapsesDuplicatesAndNestedFolders(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "duplicate", sync: []string{"src", "src"}, want: folders("src")},
		{name: "duplicate spelled differently", sync: []string{"data/x", "data/P/x/", "./data//x"}, want: folders("data/P/x")},
		{name: "nested after outer", sync: []string{"data", "data/folder1"}, want: folders("data/P")},
		{name: "nested before outer keeps outer's position", sync: []string{"src", "data/folder1", "lib", "data"},
			want: folders("src", "lib", "data/P")},
		{name: "deeply nested", sync: []string{"a/b/c", "a/b", "a"}, want: folders("a")},
		{name: "string prefix is not nesting", sync: []string{"data/P/folder", "data/P/folder1"},
			want: folders("data/P/folder", "data/P/folder1")},
		{name: "string prefix with separator-like names", sync: []string{"a", "ab", "a b"}, want: folders("a", "ab", "a b")},
	})
}

func TestResolve_IgnoreEqualToFolderSkipsIt(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "same entry", sync: []string{"data/folder1", "data/folder2"}, ignore: []string{"data/folder1"},
			want: folders("data/P/folder2")},
		{name: "same folder spelled differently", sync: []string{"data", "models"}, ignore: []string{"models/P/"},
			want: folders("data/P")},
		{name: "single data ignore is inserted", sync: []string{"data", "models"}, ignore: []string{"data"},
			want: folders("models/P")},
		{name: "plain name equal to a top-level folder", sync: []string{"build", "src"}, ignore: []string{"build"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/build", "/src/**/build"}}}},
		{name: "every folder ignored", sync: []string{"src"}, ignore: []string{"src"}, want: nil},
	})
}

func TestResolve_IgnoreParentSkipsFolder(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "project folder", sync: []string{"data/folder1", "models"}, ignore: []string{"data"},
			want: folders("models/P")},
		{name: "top-level parent", sync: []string{"work/a", "work/b", "src"}, ignore: []string{"work/"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/work", "/src/**/work"}}}},
		{name: "multi-segment parent", sync: []string{"data/a/b/c"}, ignore: []string{"data/a"}, want: nil},
		{name: "glob parent", sync: []string{"data/x1", "data/y"}, ignore: []string{"data/x*"},
			want: folders("data/P/y")},
	})
}

func TestResolve_IgnoreInsideFolderBecomesAnchoredExclude(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "inside project folder", sync: []string{"data"}, ignore: []string{"data/P/tmp"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}}},
		{name: "written without the project", sync: []string{"data"}, ignore: []string{"data/tmp"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}}},
		{name: "deep inside", sync: []string{"data/a"}, ignore: []string{"data/a/b/c/"},
			want: []Folder{{Path: "data/P/a", Excludes: []string{"/data/P/a/b/c"}}}},
		{name: "outside the project folders", sync: []string{"src"}, ignore: []string{"src/vendor", "src/gen/x"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/vendor", "/src/gen/x"}}}},
		{name: "only into the folder that holds it", sync: []string{"data", "models"}, ignore: []string{"models/cache"},
			want: []Folder{{Path: "data/P"}, {Path: "models/P", Excludes: []string{"/models/P/cache"}}}},
		{name: "duplicate ignores give one exclude", sync: []string{"data"}, ignore: []string{"data/tmp", "data/P/tmp/"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}}},
	})
}

func TestResolve_ComparesIgnoresBySegmentsNotStringPrefix(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "ignore of the longer sibling skips only it", sync: []string{"data/P/folder", "data/P/folder1"},
			ignore: []string{"data/P/folder1"}, want: folders("data/P/folder")},
		{name: "ignore of the longer sibling is not an exclude of the shorter", sync: []string{"data/P/folder"},
			ignore: []string{"data/P/folder1"}, want: folders("data/P/folder"), unused: []string{"data/P/folder1"}},
		{name: "ignore of the shorter sibling does not skip the longer", sync: []string{"data/P/folder1"},
			ignore: []string{"data/P/folder"}, want: folders("data/P/folder1"), unused: []string{"data/P/folder"}},
	})
}

func TestResolve_SingleNameIgnoresApplyAtEveryDepth(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "glob", sync: []string{"data", "src"}, ignore: []string{"*.tmp"},
			want: []Folder{
				{Path: "data/P", Excludes: []string{"/data/P/*.tmp", "/data/P/**/*.tmp"}},
				{Path: "src", Excludes: []string{"/src/*.tmp", "/src/**/*.tmp"}},
			}},
		{name: "plain name", sync: []string{"data"}, ignore: []string{"__pycache__", ".git"},
			want: []Folder{{Path: "data/P", Excludes: []string{
				"/data/P/__pycache__", "/data/P/**/__pycache__", "/data/P/.git", "/data/P/**/.git"}}}},
		{name: "plain name with trailing slash", sync: []string{"src"}, ignore: []string{"node_modules/"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/node_modules", "/src/**/node_modules"}}}},
		{name: "question mark and class", sync: []string{"src"}, ignore: []string{"*.py[co]", "?.bak"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/*.py[co]", "/src/**/*.py[co]", "/src/?.bak", "/src/**/?.bak"}}}},
		{name: "mixed with anchored", sync: []string{"data"}, ignore: []string{"data/tmp", "*.log"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp", "/data/P/*.log", "/data/P/**/*.log"}}}},
	})
}

func TestResolve_MultiSegmentGlobIsAnchored(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "star in the middle", sync: []string{"data"}, ignore: []string{"data/P/*/cache"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/*/cache"}}}},
		{name: "star in the middle, project inserted", sync: []string{"data"}, ignore: []string{"data/*/cache"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/*/cache"}}}},
		{name: "glob matching into a deeper folder", sync: []string{"data/a", "data/b"}, ignore: []string{"data/P/a*/cache"},
			want: []Folder{{Path: "data/P/a", Excludes: []string{"/data/P/a*/cache"}}, {Path: "data/P/b"}}},
		{name: "double star", sync: []string{"src"}, ignore: []string{"src/**/gen"},
			want: []Folder{{Path: "src", Excludes: []string{"/src/**/gen"}}}},
		{name: "double star above the folder", sync: []string{"data/a/b"}, ignore: []string{"data/**/cache"},
			want: []Folder{{Path: "data/P/a/b", Excludes: []string{"/data/P/**/cache"}}}},
	})
}

func TestResolve_EscapesLiteralNamesInWildcardPatterns(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "project name with glob characters", project: "p[1]*", sync: []string{"data"},
			ignore: []string{"*.tmp", "data/tmp", "data/*/x"},
			want: []Folder{{Path: "data/p[1]*", Excludes: []string{
				`/data/p\[1]\*/*.tmp`, `/data/p\[1]\*/**/*.tmp`, `/data/p\[1]\*/tmp`, `/data/p\[1]\*/*/x`}}}},
		{name: "project name with a backslash", project: `a\b`, sync: []string{"data"}, ignore: []string{"tmp", "data/x"},
			want: []Folder{{Path: `data/a\b`, Excludes: []string{`/data/a\b/tmp`, `/data/a\\b/**/tmp`, `/data/a\b/x`}}}},
		{name: "sync folder with glob characters", sync: []string{"x?"}, ignore: []string{"tmp"},
			want: []Folder{{Path: "x?", Excludes: []string{`/x\?/tmp`, `/x\?/**/tmp`}}}},
	})
}

func TestResolve_ReportsUnusedIgnores(t *testing.T) {
	runResolveCases(t, []resolveCase{
		{name: "outside every folder", sync: []string{"data"}, ignore: []string{"src/tmp", "data/tmp"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}}, unused: []string{"src/tmp"}},
		{name: "other project parent", sync: []string{"data"}, ignore: []string{"models/cache", "models"},
			want: folders("data/P"), unused: []string{"models/cache", "models"}},
		{name: "reported as typed, once", sync: []string{"data"}, ignore: []string{" src/x/ ", " src/x/ "},
			want: folders("data/P"), unused: []string{" src/x/ "}},
		{name: "single names are never unused", sync: []string{"data"}, ignore: []string{"nothing-here"},
			want: []Folder{{Path: "data/P", Excludes: []string{"/data/P/nothing-here", "/data/P/**/nothing-here"}}}},
		{name: "ignore that skips a folder is used", sync: []string{"data", "src/a"}, ignore: []string{"src/a"},
			want: folders("data/P")},
	})
}

func TestResolve_RejectsBadEntriesNamingThem(t *testing.T) {
	tests := []struct {
		name   string
		sync   []string
		ignore []string
		want   []EntryError
	}{
		{name: "sync parent", sync: []string{"../etc"},
			want: []EntryError{{"sync folder", "../etc", `".." would leave the root folder; use a path inside the root`}}},
		{name: "ignore absolute", sync: []string{"data"}, ignore: []string{"/tmp"},
			want: []EntryError{{Kind: "ignore entry", Entry: "/tmp"}}},
		{name: "ignore home", ignore: []string{"~/x"}, want: []EntryError{{Kind: "ignore entry", Entry: "~/x"}}},
		{name: "empty sync entry", sync: []string{"data", " "}, want: []EntryError{{Kind: "sync folder", Entry: " "}}},
		{name: "dash", sync: []string{"data/-e"}, want: []EntryError{{Kind: "sync folder", Entry: "data/-e"}}},
		{name: "control", ignore: []string{"a\nb"}, want: []EntryError{{Kind: "ignore entry", Entry: "a\nb"}}},
		{name: "every bad entry at once", sync: []string{"/a", "data", "b/../c"}, ignore: []string{"-x"},
			want: []EntryError{
				{Kind: "sync folder", Entry: "/a"},
				{Kind: "sync folder", Entry: "b/../c"},
				{Kind: "ignore entry", Entry: "-x"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve("P", tt.sync, tt.ignore)
			if err == nil {
				t.Fatalf("Resolve(P, %q, %q) succeeded, want errors", tt.sync, tt.ignore)
			}
			got := entryErrors(err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entry errors (%v), want %d", len(got), err, len(tt.want))
			}
			for i, want := range tt.want {
				if got[i].Kind != want.Kind || got[i].Entry != want.Entry {
					t.Errorf("error %d names %s %q, want %s %q", i, got[i].Kind, got[i].Entry, want.Kind, want.Entry)
				}
				if want.Reason != "" && got[i].Reason != want.Reason {
					t.Errorf("error %d reason %q, want %q", i, got[i].Reason, want.Reason)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("%s %q", want.Kind, want.Entry)) {
					t.Errorf("error text %q does not name %s %q", err, want.Kind, want.Entry)
				}
			}
		})
	}
}

func TestResolve_RejectsBadProjectName(t *testing.T) {
	_, err := Resolve("a/b", nil, nil)
	if want := `project name "a/b": must not contain "/"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Resolve(a/b) error = %v, want %s", err, want)
	}
}

// entryErrors unpacks the *EntryError values joined in err, in order.
func entryErrors(err error) []*EntryError {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		var entryErr *EntryError
		if errors.As(err, &entryErr) {
			return []*EntryError{entryErr}
		}
		return nil
	}
	var out []*EntryError
	for _, inner := range joined.Unwrap() {
		out = append(out, entryErrors(inner)...)
	}
	return out
}

// TestTempNames_ResolveAtEveryDepth: every default entry is valid and, as a bare name,
// becomes an exclude at the top of each sync folder and one below it.
func TestTempNames_ResolveAtEveryDepth(t *testing.T) {
	res, err := Resolve("p", nil, TempNames())
	if err != nil {
		t.Fatalf("Resolve with the default temp names: %v", err)
	}
	for _, f := range res.Folders {
		if len(f.Excludes) != 2*len(TempNames()) {
			t.Errorf("folder %s excludes %q, want each of %d names at the top and below", f.Path, f.Excludes, len(TempNames()))
		}
	}
}
