package rsync

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/testfiles"
)

func TestParseProgress_ReadsProgress2Lines(t *testing.T) {
	cases := []struct {
		line string
		want Progress
	}{
		{"  1,048,576  45%   10.00MB/s    0:00:05  ",
			Progress{Bytes: 1048576, Percent: 45, Rate: 10 * 1024 * 1024, ETA: 5 * time.Second}},
		{"    123,456,789  12%  512.50kB/s    1:02:03  ",
			Progress{Bytes: 123456789, Percent: 12, Rate: 512.5 * 1024, ETA: time.Hour + 2*time.Minute + 3*time.Second}},
		{" 10,737,418,240  99%    1.25GB/s   12:00:00",
			Progress{Bytes: 10737418240, Percent: 99, Rate: 1.25 * (1 << 30), ETA: 12 * time.Hour}},
		{"         16,384   0%   15.62kB/s    0:00:00  ",
			Progress{Bytes: 16384, Rate: 15.62 * 1024, ETA: 0}},
		// rsync 3.5's time is not always a time left: a finished file's report gives the
		// time taken so far ("0:00:03" after 3 s of a relay's leg), a report at 0 B/s shows
		// 0:00:00 while a big file is starting, a hopeless estimate shows ??:??:??.
		{"     31,457,280 100%    7.93MB/s    0:00:03 (xfr#1, to-chk=0/3)",
			Progress{Bytes: 31457280, Percent: 100, Rate: 7.93 * (1 << 20), ETA: UnknownETA}},
		{"      5,242,880  14%    4.47MB/s    0:00:01 (xfr#1, to-chk=0/4)",
			Progress{Bytes: 5242880, Percent: 14, Rate: 4.47 * (1 << 20), ETA: UnknownETA}},
		{"    123,456,789  12%  512.50kB/s    1:02:03 (xfr#3, ir-chk=1000/2000)",
			Progress{Bytes: 123456789, Percent: 12, Rate: 512.5 * 1024, ETA: UnknownETA}},
		{"              0   0%    0.00kB/s    0:00:00 (xfr#0, to-chk=2/4)",
			Progress{ETA: UnknownETA}},
		{"         32,768   0%    0.00kB/s    0:00:00  ",
			Progress{Bytes: 32768, ETA: UnknownETA}},
		{"              3   0%    0.00kB/s    0:00:00",
			Progress{Bytes: 3, ETA: UnknownETA}},
		{"      1,048,576   2%    1.00kB/s  ??:??:??  ",
			Progress{Bytes: 1048576, Percent: 2, Rate: 1024, ETA: UnknownETA}},
	}
	for _, tc := range cases {
		got, ok := ParseProgress(tc.line)
		if !ok {
			t.Errorf("ParseProgress(%q) did not match", tc.line)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseProgress(%q)\n got %+v\nwant %+v", tc.line, got, tc.want)
		}
	}
}

func TestParseProgress_IgnoresOtherLines(t *testing.T) {
	for _, line := range []string{
		"",
		">f+++++++++ data/P/a b.txt",
		"*deleting   data/P/old",
		"Number of regular files transferred: 3",
		"Total transferred file size: 1,048,581 bytes",
		"sent 1,049,133 bytes  received 93 bytes  2,098,452.00 bytes/sec",
		"total size is 1,048,581  speedup is 1.00",
		"rsync error: some files/attrs were not transferred (code 23) at main.c(1338) [sender=3.2.7]",
		"100% done",
		"data/P/100 1%  file name.txt",
	} {
		if p, ok := ParseProgress(line); ok {
			t.Errorf("ParseProgress(%q) = %+v, want no match", line, p)
		}
	}
}

func TestParseChange_ReadsItemizedLines(t *testing.T) {
	cases := []struct {
		line string
		want Change
	}{
		{">f+++++++++ a b.txt", Change{">f+++++++++", "a b.txt"}},
		{">f.st...... data/P/model.bin", Change{">f.st......", "data/P/model.bin"}},
		{"<f+++++++++ up.txt", Change{"<f+++++++++", "up.txt"}},
		{".d..t...... dir/", Change{".d..t......", "dir/"}},
		{"cd+++++++++ data/", Change{"cd+++++++++", "data/"}},
		{"*deleting   x", Change{"*deleting", "x"}},
		{"*deleting   data/P/old dir/", Change{"*deleting", "data/P/old dir/"}},
		{".f          x", Change{".f", "x"}},
		{".d          data/P/", Change{".d", "data/P/"}},
		{"cL+++++++++ link -> target", Change{"cL+++++++++", "link -> target"}},
		{"hf+++++++++ hard => other", Change{"hf+++++++++", "hard => other"}},
		{">f..tp..... perms changed.txt", Change{">f..tp.....", "perms changed.txt"}},
		{">f+++++++++ données/模型 🙂.bin", Change{">f+++++++++", "données/模型 🙂.bin"}},
	}
	for _, tc := range cases {
		got, ok := ParseChange(tc.line)
		if !ok || got != tc.want {
			t.Errorf("ParseChange(%q) = %+v, %v; want %+v", tc.line, got, ok, tc.want)
		}
	}
}

func TestParseChange_IgnoresOtherLines(t *testing.T) {
	for _, line := range []string{
		"",
		"      1,048,576 100%   10.00MB/s    0:00:00 (xfr#1, to-chk=0/3)",
		"Number of files: 6 (reg: 3, dir: 3)",
		"sending incremental file list",
		"rsync: [sender] link_stat \"/x\" failed: No such file or directory (2)",
		">f+++++++++",
		"deleting x",
	} {
		if c, ok := ParseChange(line); ok {
			t.Errorf("ParseChange(%q) = %+v, want no match", line, c)
		}
	}
}

func TestChange_ClassifiesCodes(t *testing.T) {
	cases := []struct {
		code                             string
		deletes, isFile, isNew, transfer bool
	}{
		{">f+++++++++", false, true, true, true},
		{"<f+++++++++", false, true, true, true},
		{">f.st......", false, true, false, true},
		{".f", false, true, false, false},
		{".f..t......", false, true, false, false},
		{"cd+++++++++", false, false, true, false},
		{".d..t......", false, false, false, false},
		{"cL+++++++++", false, false, true, false},
		{"hf+++++++++", false, true, true, false},
		{"*deleting", true, false, false, false},
		{"", false, false, false, false},
	}
	for _, tc := range cases {
		c := Change{Code: tc.code, Path: "x"}
		if got := c.Deletes(); got != tc.deletes {
			t.Errorf("%q.Deletes() = %v", tc.code, got)
		}
		if got := c.IsFile(); got != tc.isFile {
			t.Errorf("%q.IsFile() = %v", tc.code, got)
		}
		if got := c.New(); got != tc.isNew {
			t.Errorf("%q.New() = %v", tc.code, got)
		}
		if got := c.Transfers(); got != tc.transfer {
			t.Errorf("%q.Transfers() = %v", tc.code, got)
		}
	}
}

func TestStats_AddFoldsStats2Lines(t *testing.T) {
	var s Stats
	lines := []struct {
		line string
		used bool
	}{
		{"Number of files: 6 (reg: 3, dir: 3)", false},
		{"Number of regular files transferred: 1,234", true},
		{"Total file size: 9,999,999 bytes", false},
		{"Total transferred file size: 1,048,581 bytes", true},
		{"Literal data: 1,048,581 bytes", false},
		{"sent 1,049,133 bytes  received 93 bytes  2,098,452.00 bytes/sec", false},
		{">f+++++++++ Number of regular files transferred: 5", false},
	}
	for _, l := range lines {
		if got := s.Add(l.line); got != l.used {
			t.Errorf("Add(%q) = %v, want %v", l.line, got, l.used)
		}
	}
	if s != (Stats{Files: 1234, Bytes: 1048581}) {
		t.Errorf("stats = %+v", s)
	}
}

// TestCutProgress_SeparatesAMessageWrittenAfterAProgressReport: rsync ends a progress
// report without a newline, so another process's message can follow on the same line (the
// first case is from a real Sync all of an earlier FileSync).
func TestCutProgress_SeparatesAMessageWrittenAfterAProgressReport(t *testing.T) {
	cases := []struct {
		line, progress, rest string
		ok                   bool
	}{
		{"    159,772,672  22%   23.80MB/s    0:00:06 (xfr#39007, to-chk=1003/40218)models/p2/epoch-001.ckpt is over max-size",
			"    159,772,672  22%   23.80MB/s    0:00:06 (xfr#39007, to-chk=1003/40218)", "models/p2/epoch-001.ckpt is over max-size", true},
		{"              3   0%    0.00kB/s    0:00:00  >f+++++++++ data/p/small",
			"              3   0%    0.00kB/s    0:00:00  ", ">f+++++++++ data/p/small", true},
		{"          0   0%    0.00kB/s    0:00:00 (xfr#0, ir-chk=1000/1005)          0   0%    0.00kB/s    ??:??:??  big.pt is over max-size",
			"0   0%    0.00kB/s    ??:??:??  ", "big.pt is over max-size", true}, // padding went with the first
		{"  1,048,576  45%   10.00MB/s    0:00:05 (xfr#3, to-chk=10/20)   ", "", "", false}, // padding only
		{"  1,048,576  45%   10.00MB/s    0:00:05 (xfr#3, to-chk=10/20)", "", "", false},
		{"models/p2/epoch-001.ckpt is over max-size", "", "", false},
		{">f+++++++++ 12  45%   1.00MB/s    0:00:05  odd name", "", "", false},
	}
	for _, tc := range cases {
		progress, rest, ok := CutProgress(tc.line)
		if progress != tc.progress || rest != tc.rest || ok != tc.ok {
			t.Errorf("CutProgress(%q) = %q, %q, %v; want %q, %q, %v", tc.line, progress, rest, ok, tc.progress, tc.rest, tc.ok)
		}
		if ok {
			if _, isProgress := ParseProgress(progress); !isProgress && !strings.Contains(progress, "??") {
				t.Errorf("the cut report %q does not parse as progress", progress)
			}
		}
	}
}

func TestTransient_RetriesOnlyConnectionAndTimeoutFailures(t *testing.T) {
	for code, want := range map[int]bool{
		10: true, 12: true, 30: true, 35: true, 255: true,
		0: false, 1: false, 2: false, 3: false, 5: false, 11: false, 20: false,
		23: false, 24: false, 127: false, -1: false,
	} {
		if got := Transient(code); got != want {
			t.Errorf("Transient(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestExitMeaning_ExplainsKnownCodesAndNamesOthers(t *testing.T) {
	cases := map[int]string{
		0:   "ok",
		12:  "error in the rsync protocol data stream (connection lost?)",
		23:  "partial transfer: some files could not be transferred",
		30:  "timeout: no data moved",
		127: "rsync not found on the computer",
		255: "ssh failed (unreachable, refused or authentication)",
		99:  "exit code 99",
		-1:  "exit code -1",
	}
	for code, want := range cases {
		if got := ExitMeaning(code); got != want {
			t.Errorf("ExitMeaning(%d) = %q, want %q", code, got, want)
		}
	}
}

// rsyncOutput runs Args between two folders of this machine and returns the output split
// into lines the way the process package does (at \n and \r, empty lines dropped).
func rsyncOutput(t *testing.T, src, dst string, fs []folders.Folder, opt Options) []string {
	t.Helper()
	opt.Timeout = 10 * time.Second
	argv := Args(Endpoint{Root: src}, Endpoint{Root: dst}, fs, opt)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%q: %v\n%s", argv, err, stderr.String())
	}
	return strings.FieldsFunc(stdout.String(), func(r rune) bool { return r == '\n' || r == '\r' })
}

// parsed is what the app reads from one rsync run.
type parsed struct {
	progress []Progress
	changes  map[string]Change // by path
	stats    Stats
	other    []string
}

func parseAll(lines []string) parsed {
	p := parsed{changes: map[string]Change{}}
	for _, l := range lines {
		if pr, ok := ParseProgress(l); ok {
			p.progress = append(p.progress, pr)
			continue
		}
		if c, ok := ParseChange(l); ok {
			p.changes[c.Path] = c
			continue
		}
		if !p.stats.Add(l) {
			p.other = append(p.other, l)
		}
	}
	return p
}

// TestParse_RealRsyncOutput feeds the output of the rsync installed here through the
// parsers: a first copy, an unchanged second run with -ii, and a mirror dry run after
// the source changed.
func TestParse_RealRsyncOutput(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 64*1024) // 1 MiB
	testfiles.Write(t, filepath.Join(src, "data/P/a b.txt"), "hello")
	testfiles.Write(t, filepath.Join(src, "data/P/big.bin"), string(big))
	testfiles.Write(t, filepath.Join(src, "data/P/sub/x"), "x")
	total := int64(len("hello") + len(big) + len("x"))
	fs := []folders.Folder{{Path: "data/P"}}

	t.Run("first copy", func(t *testing.T) {
		p := parseAll(rsyncOutput(t, src, dst, fs, Options{}))
		if len(p.progress) == 0 {
			t.Fatalf("no progress line parsed; unparsed lines %q", p.other)
		}
		last := p.progress[len(p.progress)-1]
		if last.Percent != 100 || last.Bytes != total {
			t.Errorf("last progress = %+v, want 100%% of %d bytes", last, total)
		}
		for path, code := range map[string]string{
			"data/": "cd+++++++++", "data/P/": "cd+++++++++", "data/P/sub/": "cd+++++++++",
			"data/P/a b.txt": ">f+++++++++", "data/P/big.bin": ">f+++++++++", "data/P/sub/x": ">f+++++++++",
		} {
			c, ok := p.changes[path]
			if !ok || c.Code != code {
				t.Errorf("change of %q = %+v, want code %s", path, c, code)
				continue
			}
			if c.IsFile() && !(c.New() && c.Transfers()) {
				t.Errorf("%+v: a first copy is new and transfers", c)
			}
		}
		if p.stats != (Stats{Files: 3, Bytes: total}) {
			t.Errorf("stats = %+v, want 3 files, %d bytes", p.stats, total)
		}
	})

	t.Run("unchanged with -ii", func(t *testing.T) {
		p := parseAll(rsyncOutput(t, src, dst, fs, Options{ItemizeUnchanged: true}))
		for _, path := range []string{"data/P/a b.txt", "data/P/big.bin", "data/P/sub/x"} {
			c := p.changes[path]
			if c.Code != ".f" || !c.IsFile() || c.New() || c.Transfers() || c.Deletes() {
				t.Errorf("unchanged %q parsed as %+v", path, c)
			}
		}
		if c := p.changes["data/P/"]; c.Code != ".d" || c.IsFile() {
			t.Errorf("unchanged folder parsed as %+v", c)
		}
		if p.stats != (Stats{}) {
			t.Errorf("stats of a no-op run = %+v", p.stats)
		}
	})

	t.Run("mirror dry run after changes", func(t *testing.T) {
		if err := os.Remove(filepath.Join(src, "data/P/sub/x")); err != nil {
			t.Fatal(err)
		}
		testfiles.Write(t, filepath.Join(src, "data/P/a b.txt"), "hello, changed")
		future := time.Now().Add(time.Hour)
		if err := os.Chtimes(filepath.Join(src, "data/P/a b.txt"), future, future); err != nil {
			t.Fatal(err)
		}
		testfiles.Write(t, filepath.Join(dst, "data/P/extra dir/f"), "only on the destination")
		p := parseAll(rsyncOutput(t, src, dst, fs, Options{Mode: fleet.Mirror, DryRun: true, ItemizeUnchanged: true}))
		// YXcstpoguax: the s column says the size differs.
		if c := p.changes["data/P/a b.txt"]; !c.Transfers() || c.New() || c.Code[3] != 's' {
			t.Errorf("changed file parsed as %+v, want >f.st……", c)
		}
		for _, path := range []string{"data/P/sub/x", "data/P/extra dir/f", "data/P/extra dir/"} {
			if c := p.changes[path]; !c.Deletes() {
				t.Errorf("%q: change %+v, want *deleting", path, c)
			}
		}
		if c := p.changes["data/P/big.bin"]; c.Code != ".f" {
			t.Errorf("unchanged file in the dry run parsed as %+v", c)
		}
		if _, err := os.Stat(filepath.Join(dst, "data/P/sub/x")); err != nil {
			t.Errorf("the dry run deleted a file: %v", err)
		}
	})
}

func TestIsStatistics_KnowsTheStats2BlockAndNothingElse(t *testing.T) {
	block := `Number of files: 3 (reg: 2, dir: 1)
Number of created files: 0
Number of deleted files: 0
Number of regular files transferred: 0
Total file size: 12 bytes
Total transferred file size: 0 bytes
Literal data: 0 bytes
Matched data: 0 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 123
Total bytes received: 19
sent 123 bytes  received 19 bytes  284.00 bytes/sec
total size is 12  speedup is 0.08`
	for _, line := range strings.Split(block, "\n") {
		if !IsStatistics(line) {
			t.Errorf("IsStatistics(%q) = false", line)
		}
	}
	for _, line := range []string{">f+++++++++ data/p/Number of files.txt", "cd+++++++++ data/", "rsync: [sender] write error: Broken pipe (32)",
		"data/p/sent items/x is over max-size", ""} {
		if IsStatistics(line) {
			t.Errorf("IsStatistics(%q) = true", line)
		}
	}
}
