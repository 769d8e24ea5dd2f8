//go:build linux

package writers

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpen_FindsFilesOpenForWritingOnly: a file held open for writing is found, one open
// for reading or closed after writing is not, nor one outside the root.
func TestOpen_FindsFilesOpenForWritingOnly(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	paths := map[string]string{}
	for _, name := range []string{"writing.pt", "reading.pt", "closed.pt", "sub/appending.pt", "rw.pt"} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	hold := func(path string, flag int) {
		f, err := os.OpenFile(path, flag, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
	}
	hold(paths["writing.pt"], os.O_WRONLY|os.O_TRUNC)
	hold(paths["reading.pt"], os.O_RDONLY)
	hold(paths["sub/appending.pt"], os.O_WRONLY|os.O_APPEND)
	hold(paths["rw.pt"], os.O_RDWR)
	hold(filepath.Join(outside, "elsewhere.pt"), os.O_WRONLY|os.O_CREATE)

	got, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"writing.pt": true, "sub/appending.pt": true, "rw.pt": true}
	if len(got) != len(want) {
		t.Errorf("Open(%s) = %v, want exactly %v", root, got, want)
	}
	for p := range want {
		if !got[p] {
			t.Errorf("Open(%s) lacks %s, which is open for writing (got %v)", root, p, got)
		}
	}
}

// TestOpen_FindsThemUnderARootReachedThroughALink: a root folder that is a symbolic link
// (~/mlcomp pointing at a data disk) still finds its open files.
func TestOpen_FindsThemUnderARootReachedThroughALink(t *testing.T) {
	disk := t.TempDir()
	link := filepath.Join(t.TempDir(), "mlcomp")
	if err := os.Symlink(disk, link); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(link, "ckpt.pt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Open(link)
	if err != nil || !got["ckpt.pt"] {
		t.Errorf("Open(%s) = %v, %v; want ckpt.pt, open for writing through the link", link, got, err)
	}
}

// BenchmarkOpen is one look at every process's open files, as each push pays it.
func BenchmarkOpen(b *testing.B) {
	root := b.TempDir()
	for b.Loop() {
		if _, err := Open(root); err != nil {
			b.Fatal(err)
		}
	}
}
