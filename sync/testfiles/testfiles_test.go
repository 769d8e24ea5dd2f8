package testfiles

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite_MakesTheFoldersAndReadReturnsTheContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b", "nested", "f.txt")
	Write(t, path, "first")
	Write(t, path, "second")
	if got := Read(t, path); got != "second" {
		t.Errorf("Read = %q, want %q", got, "second")
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("Stat = %v, %v; want mode 0644", info, err)
	}
}

// errorRecorder is a testing.TB that keeps what Errorf reports.
type errorRecorder struct {
	testing.TB
	errors []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestRead_MissingFileIsAnErrorAndEmpty(t *testing.T) {
	r := &errorRecorder{TB: t}
	if got := Read(r, filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Errorf("Read of a missing file = %q, want empty", got)
	}
	if len(r.errors) != 1 {
		t.Errorf("Read of a missing file reported %q, want one error", r.errors)
	}
}
