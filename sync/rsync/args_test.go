package rsync

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/testfiles"
)

// localArgs builds the argv of a transfer between two folders of this machine.
func localArgs(fs []folders.Folder, opt Options) []string {
	return Args(Endpoint{Root: "/src"}, Endpoint{Root: "/dst"}, fs, opt)
}

func oneFolder(path string) []folders.Folder { return []folders.Folder{{Path: path}} }

// flagsOf returns the part of argv before "--" (program name excluded).
func flagsOf(t *testing.T, argv []string) []string {
	t.Helper()
	i := slices.Index(argv, "--")
	if i < 0 {
		t.Fatalf("argv %q has no --", argv)
	}
	return argv[1:i]
}

func count(argv []string, s string) int {
	n := 0
	for _, a := range argv {
		if a == s {
			n++
		}
	}
	return n
}

func withPrefix(argv []string, prefix string) []string {
	var out []string
	for _, a := range argv {
		if strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// flagCase says which flags an Options must produce and which it must not.
type flagCase struct {
	name    string
	opt     Options
	want    []string
	wantNot []string
	// wantPrefixNot are flag prefixes that must not appear at all (e.g. "--bwlimit").
	wantPrefixNot []string
}

func runFlagCases(t *testing.T, cases []flagCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			argv := localArgs(oneFolder("data/P"), tc.opt)
			if argv[0] != "rsync" {
				t.Fatalf("argv[0] = %q, want rsync", argv[0])
			}
			fl := flagsOf(t, argv)
			for _, w := range tc.want {
				if !slices.Contains(fl, w) {
					t.Errorf("flags %q lack %q", fl, w)
				}
			}
			for _, w := range tc.wantNot {
				if slices.Contains(argv, w) {
					t.Errorf("argv %q has %q", argv, w)
				}
			}
			for _, p := range tc.wantPrefixNot {
				if got := withPrefix(argv, p); len(got) > 0 {
					t.Errorf("argv %q has %q", argv, got)
				}
			}
		})
	}
}

func TestArgs_MergeKeepsNewerWithTimesAndUpdate(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "explicit merge", opt: Options{Mode: fleet.Merge},
			want:    []string{"--times", "--update", "--perms", "--recursive", "--links", "--relative"},
			wantNot: []string{"--delete", "--delete-delay", "--size-only"}, wantPrefixNot: []string{"--chmod"}},
		{name: "empty mode is merge", opt: Options{},
			want:    []string{"--times", "--update", "--perms"},
			wantNot: []string{"--delete", "--delete-delay"}},
	})
}

func TestArgs_MirrorDeletesAndDoesNotSkipNewer(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "mirror", opt: Options{Mode: fleet.Mirror},
			want:    []string{"--delete", "--delete-delay", "--times", "--perms"},
			wantNot: []string{"--update"}},
	})
}

func TestArgs_VersionsKeepOverwrittenFilesUnderRunFolder(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "versions on", opt: Options{RunVersions: "20240102-030405-run7"},
			want: []string{"--backup", "--backup-dir=.filesync/versions/20240102-030405-run7"}},
		{name: "versions with mirror", opt: Options{Mode: fleet.Mirror, RunVersions: "r1"},
			want: []string{"--backup", "--backup-dir=.filesync/versions/r1", "--delete"}},
		{name: "versions off", opt: Options{},
			wantNot: []string{"--backup"}, wantPrefixNot: []string{"--backup-dir"}},
	})
}

func TestArgs_OpenPermissionsOnlyWhenAsked(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "open", opt: Options{OpenPermissions: true}, want: []string{"--perms", "--chmod=ugo=rwX"}},
		{name: "preserved by default", opt: Options{}, want: []string{"--perms"}, wantPrefixNot: []string{"--chmod"}},
	})
}

func TestArgs_BWLimitOnlyWhenPositive(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "limit", opt: Options{BWLimitKBps: 500}, want: []string{"--bwlimit=500"}},
		{name: "zero is unlimited", opt: Options{BWLimitKBps: 0}, wantPrefixNot: []string{"--bwlimit"}},
		{name: "negative is ignored", opt: Options{BWLimitKBps: -3}, wantPrefixNot: []string{"--bwlimit"}},
	})
}

func TestArgs_DryRunOnlyWhenAsked(t *testing.T) {
	runFlagCases(t, []flagCase{
		{name: "dry run", opt: Options{DryRun: true}, want: []string{"--dry-run"}},
		{name: "real run", opt: Options{}, wantNot: []string{"--dry-run", "-n"}},
	})
}

func TestArgs_TimeoutInWholeSecondsAtLeastOne(t *testing.T) {
	cases := []struct {
		timeout time.Duration
		want    string
	}{
		{0, "--timeout=1"},
		{300 * time.Millisecond, "--timeout=1"},
		{time.Second, "--timeout=1"},
		{90*time.Second + 900*time.Millisecond, "--timeout=90"},
		{time.Hour, "--timeout=3600"},
	}
	for _, tc := range cases {
		argv := localArgs(oneFolder("data/P"), Options{Timeout: tc.timeout})
		if got := withPrefix(argv, "--timeout="); len(got) != 1 || got[0] != tc.want {
			t.Errorf("Timeout %s: got %q, want [%s]", tc.timeout, got, tc.want)
		}
	}
}

// TestArgs_OnePassPutsUpdatedFilesInPlaceTogether: every transfer, of walked folders or of
// the files named on stdin, is one rsync whose updated files wait in the partial folder
// and are renamed into place at its end (--delay-updates); a walked folder's partial
// folders are excluded, so they are never sent as data.
func TestArgs_OnePassPutsUpdatedFilesInPlaceTogether(t *testing.T) {
	together := []string{"--partial-dir=.filesync-partial", "--delay-updates"}
	runFlagCases(t, []flagCase{
		{name: "folders", opt: Options{},
			want: append([]string{"--mkpath", "--exclude=.filesync-partial/", "--recursive",
				"--info=progress2,stats2", "--itemize-changes", "--ignore-missing-args", "--protect-args"}, together...),
			wantPrefixNot: []string{"--max-size", "--min-size", "--info=progress2,stats2,"}},
		{name: "quiet: progress only", opt: Options{Quiet: true},
			want:          append([]string{"--info=progress2"}, together...),
			wantNot:       []string{"--itemize-changes"},
			wantPrefixNot: []string{"--max-size"}},
		{name: "mirror", opt: Options{Mode: fleet.Mirror},
			want: append([]string{"--delete", "--delete-delay"}, together...)},
		{name: "files from stdin", opt: Options{FilesFrom: true},
			want:          append([]string{"--files-from=-", "--from0", "--update"}, together...),
			wantNot:       []string{"--recursive"},
			wantPrefixNot: []string{"--max-size"}},
		{name: "files from stdin, deleting the missing", opt: Options{FilesFrom: true, DeleteMissing: true, RunVersions: "r1"},
			want: append([]string{"--delete-missing-args", "--force"}, together...)},
	})
	once := localArgs(oneFolder("data/P"), Options{})
	if n := count(once, "--itemize-changes"); n != 1 {
		t.Errorf("--itemize-changes given %d times, want 1 (once is -i)", n)
	}
	twice := localArgs(oneFolder("data/P"), Options{ItemizeUnchanged: true})
	if n := count(twice, "--itemize-changes"); n != 2 {
		t.Errorf("ItemizeUnchanged: --itemize-changes given %d times, want 2 (twice is -ii)", n)
	}
}

func TestArgs_RemoteShellGoesInRshOnlyWhenSet(t *testing.T) {
	argv := localArgs(oneFolder("data/P"), Options{RemoteShell: "ssh -p 22 -o 'A B'"})
	if got := withPrefix(flagsOf(t, argv), "--rsh="); len(got) != 1 || got[0] != "--rsh=ssh -p 22 -o 'A B'" {
		t.Errorf("--rsh flags = %q", got)
	}
	argv = localArgs(oneFolder("data/P"), Options{})
	if got := withPrefix(argv, "--rsh"); len(got) > 0 || slices.Contains(argv, "-e") {
		t.Errorf("local transfer has a remote shell: %q", argv)
	}
}

// TestArgs_PathsFollowDoubleDash: whatever the folder names, everything after "--" is a
// path and everything before it a flag, so "-rf" or "--delete" can never become options.
func TestArgs_PathsFollowDoubleDash(t *testing.T) {
	cases := []struct {
		name     string
		src, dst Endpoint
		fs       []folders.Folder
		wantTail []string
	}{
		{
			name: "local to local",
			src:  Endpoint{Root: "/home/me/mlcomp"}, dst: Endpoint{Root: "/mnt/b"},
			fs:       []folders.Folder{{Path: "data/P"}, {Path: "models/P"}},
			wantTail: []string{"/home/me/mlcomp/./data/P", "/home/me/mlcomp/./models/P", "/mnt/b/"},
		},
		{
			name: "root with trailing slash",
			src:  Endpoint{Root: "/src/"}, dst: Endpoint{Root: "/dst/"},
			fs:       oneFolder("data/P"),
			wantTail: []string{"/src/./data/P", "/dst/"},
		},
		{
			name: "remote source (pull)",
			src:  Endpoint{Remote: "alice@gpu1", Root: "mlcomp"}, dst: Endpoint{Root: "/home/me/mlcomp"},
			fs:       oneFolder("data/P"),
			wantTail: []string{"alice@gpu1:mlcomp/./data/P", "/home/me/mlcomp/"},
		},
		{
			name: "remote destination (push), home as root",
			src:  Endpoint{Root: "/home/me/mlcomp"}, dst: Endpoint{Remote: "bob@127.0.0.2", Root: "."},
			fs:       oneFolder("data/P"),
			wantTail: []string{"/home/me/mlcomp/./data/P", "bob@127.0.0.2:./"},
		},
		{
			name: "option-like folder names",
			src:  Endpoint{Root: "/src"}, dst: Endpoint{Root: "/dst"},
			fs:       []folders.Folder{{Path: "-rf"}, {Path: "--delete"}, {Path: "my project/with space"}},
			wantTail: []string{"/src/./-rf", "/src/./--delete", "/src/./my project/with space", "/dst/"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			argv := Args(tc.src, tc.dst, tc.fs, Options{Mode: fleet.Mirror, RemoteShell: "ssh"})
			i := slices.Index(argv, "--")
			if i < 0 {
				t.Fatalf("no -- in %q", argv)
			}
			if count(argv, "--") != 1 {
				t.Errorf("-- appears more than once in %q", argv)
			}
			if got := argv[i+1:]; !slices.Equal(got, tc.wantTail) {
				t.Errorf("paths after --\n got %q\nwant %q", got, tc.wantTail)
			}
			for _, f := range argv[1:i] {
				if !strings.HasPrefix(f, "--") {
					t.Errorf("%q before -- is not a long flag", f)
				}
			}
			if dst := argv[len(argv)-1]; !strings.HasSuffix(dst, "/") {
				t.Errorf("destination %q does not end with /", dst)
			}
		})
	}
}

func TestArgs_ExcludesOfEveryFolderComeBeforeDoubleDash(t *testing.T) {
	fs := []folders.Folder{
		{Path: "data/P", Excludes: []string{"/data/P/tmp", "/data/P/**/__pycache__"}},
		{Path: "models/P", Excludes: []string{"/models/P/-rf"}},
	}
	argv := localArgs(fs, Options{})
	fl := flagsOf(t, argv)
	want := []string{"--exclude=.filesync-partial/", "--exclude=/data/P/tmp", "--exclude=/data/P/**/__pycache__", "--exclude=/models/P/-rf"}
	if got := withPrefix(fl, "--exclude"); !slices.Equal(got, want) {
		t.Errorf("excludes before -- = %q, want %q", got, want)
	}
	if got := withPrefix(argv[slices.Index(argv, "--"):], "--exclude"); len(got) > 0 {
		t.Errorf("excludes after --: %q", got)
	}
}

func TestVersionsName_SortsByUTCTimeAndNamesRun(t *testing.T) {
	start := time.Date(2024, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	if got, want := VersionsName(7, start), "20240102-030405-run7"; got != want {
		t.Errorf("VersionsName = %q, want %q", got, want)
	}
}

// TestArgs_RealRsyncCopiesFoldersToSamePathsAndHonoursExcludes runs the argv on this
// machine: folders land at the same root-relative paths (option-like and spaced names
// included), excluded folders stay behind and a folder missing on the source is skipped.
func TestArgs_RealRsyncCopiesFoldersToSamePathsAndHonoursExcludes(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	testfiles.Write(t, filepath.Join(src, "data/P/a b.txt"), "a")
	testfiles.Write(t, filepath.Join(src, "data/P/tmp/skip.txt"), "skip")
	testfiles.Write(t, filepath.Join(src, "data/P/sub/__pycache__/x.pyc"), "skip")
	testfiles.Write(t, filepath.Join(src, "--delete/x"), "x")
	testfiles.Write(t, filepath.Join(src, "-rf/y"), "y")
	testfiles.Write(t, filepath.Join(src, "outside.txt"), "not a sync folder")
	testfiles.Write(t, filepath.Join(dst, "--delete/keep"), "kept: merge never deletes")
	fs := []folders.Folder{
		{Path: "data/P", Excludes: []string{"/data/P/tmp", "/data/P/**/__pycache__"}},
		{Path: "--delete"}, {Path: "-rf"}, {Path: "models/P"}, // models/P does not exist
	}
	argv := Args(Endpoint{Root: src}, Endpoint{Root: dst}, fs, Options{Timeout: 10 * time.Second})
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%q: %v\n%s", argv, err, out)
	}
	for _, p := range []string{"data/P/a b.txt", "--delete/x", "--delete/keep", "-rf/y"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err != nil {
			t.Errorf("%s missing on destination: %v", p, err)
		}
	}
	for _, p := range []string{"data/P/tmp", "data/P/sub/__pycache__", "outside.txt", "models", ".filesync-partial"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err == nil {
			t.Errorf("%s should not be on the destination", p)
		}
	}
}

func TestListArgs_ListsEveryFolderWithTheTransfersExcludesAndWritesNothing(t *testing.T) {
	fs := []folders.Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}, {Path: "models/P"}}
	argv := ListArgs(Endpoint{Remote: "u@h", Root: "mlcomp"}, fs, 90*time.Second, "ssh -p 2222")
	flags := flagsOf(t, argv)
	for _, want := range []string{"--list-only", "--dry-run", "--relative", "--no-human-readable", "--ignore-missing-args",
		"--exclude=/data/P/tmp", "--exclude=" + PartialDir + "/", "--timeout=90", "--rsh=ssh -p 2222"} {
		if !slices.Contains(flags, want) {
			t.Errorf("flags %q lack %s", flags, want)
		}
	}
	operands := argv[slices.Index(argv, "--")+1:]
	want := []string{"u@h:mlcomp/./data/P", "u@h:mlcomp/./models/P", listDestination}
	if !slices.Equal(operands, want) {
		t.Errorf("operands %q, want %q: several sources need a destination, or rsync takes the last one for it", operands, want)
	}
	if !strings.HasPrefix(listDestination, os.DevNull+"/") {
		t.Errorf("the listing's destination %s is not inside %s, where nothing can be created", listDestination, os.DevNull)
	}
}
