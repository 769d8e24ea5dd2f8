// Package testfiles holds the file helpers that FileSync's tests share: writing a file
// along with its folders, and reading one back. It imports nothing from FileSync, so
// that tests of any package can use it.
package testfiles

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Write creates or replaces the file path with content (mode 0644), and the folders it
// needs; an error fails t.
func Write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Read returns the content of the file path. An error is reported with t.Errorf, so the
// test goes on, and Read returns "".
func Read(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v", err)
	}
	return string(data)
}

// WriteAt is Write, then sets the file's modification time to mtime.
func WriteAt(t testing.TB, path, content string, mtime time.Time) {
	t.Helper()
	Write(t, path, content)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
