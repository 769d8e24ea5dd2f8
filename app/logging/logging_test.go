package logging

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNew_StderrGetsDebugAndTraceLinesOnlyWhenVerbose(t *testing.T) {
	cases := []struct {
		verbose    bool
		wantDetail bool // the debug (commands) and trace (rsync statistics) lines
	}{
		{verbose: false, wantDetail: false},
		{verbose: true, wantDetail: true},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		log, closeFile := New(Options{Verbose: c.verbose, Stderr: &stderr})
		log.WithField("computer", "nas").Debug("a debug line")
		log.WithField("computer", "nas").Trace("a trace line")
		log.WithField("computer", "nas").Info("an info line")
		log.Warn("a warning line")
		if err := closeFile(); err != nil {
			t.Errorf("verbose %v: closing without a log file: %v", c.verbose, err)
		}
		got := stderr.String()
		for _, detail := range []string{"[nas] a debug line\n", "[nas] a trace line\n"} {
			if strings.Contains(got, detail) != c.wantDetail {
				t.Errorf("verbose %v: stderr %q, want %q in it: %v", c.verbose, got, detail, c.wantDetail)
			}
		}
		for _, want := range []string{"[nas] an info line\n", "warning: a warning line\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("verbose %v: stderr %q, want %q in the human format", c.verbose, got, want)
			}
		}
	}
}

func TestNew_WritesEveryLevelToALogFileInANewFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "filesync")
	file := filepath.Join(dir, "filesync.log")
	var stderr bytes.Buffer
	log, closeFile := New(Options{File: file, Stderr: &stderr})
	log.WithField("computer", "nas").Debug("a debug line")
	log.Trace("a trace line")
	log.Info("an info line")
	if err := closeFile(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("log folder not created: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("log folder mode %v, want 0700", perm)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("log file not created: %v", err)
	}
	got := string(b)
	for _, want := range []string{`level=debug msg="a debug line" computer=nas`, `level=trace msg="a trace line"`, `level=info msg="an info line"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log file %q, want %q (text format, every level even when not verbose)", got, want)
		}
	}
	if s := stderr.String(); strings.Contains(s, "a debug line") || strings.Contains(s, "a trace line") {
		t.Errorf("stderr %q has lines meant only for the file", s)
	}
}

func TestDefaultFile_IsUnderTheUserCacheFolder(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	if got, want := DefaultFile(), filepath.Join(cache, "filesync", "filesync.log"); got != want {
		t.Errorf("DefaultFile() = %q, want %q", got, want)
	}
}

func TestDefaultFile_IsEmptyWithoutACacheFolder(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if got := DefaultFile(); got != "" {
		t.Errorf("DefaultFile() = %q with neither XDG_CACHE_HOME nor HOME, want \"\" (stderr only)", got)
	}
}
