package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filesync/sync/folders"
	"filesync/sync/testfiles"
)

func TestIgnored_MatchesTheExcludeFormsOfTheGrammar(t *testing.T) {
	res, err := folders.Resolve("p", []string{"data"}, []string{"data/tmp", "*.tmp", "__pycache__"})
	if err != nil {
		t.Fatal(err)
	}
	ex := res.Folders[0].Excludes
	cases := map[string]bool{
		"data/p/tmp":                     true,
		"data/p/tmp/deep/file":           true,
		"data/p/tmpfile":                 false,
		"data/p/a.tmp":                   true,
		"data/p/x/y/b.tmp":               true,
		"data/p/x/__pycache__":           true,
		"data/p/x/__pycache__/m.pyc":     true,
		"data/p/x/y.txt":                 false,
		"data/p/__pycache__not/file.txt": false,
	}
	for rel, want := range cases {
		if got := ignored(rel, ex); got != want {
			t.Errorf("ignored(%q) = %v, want %v (excludes %v)", rel, got, want, ex)
		}
	}
}

type treeFixture struct {
	root    string
	tree    *Tree
	changes atomic.Int32
	mu      sync.Mutex
	folders []string // the new folders reported
}

func (f *treeFixture) newFolders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.folders)
}

func newTreeFixture(t *testing.T, sync, ignore []string, dirs ...string) *treeFixture {
	t.Helper()
	f := &treeFixture{root: t.TempDir()}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(f.root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	res, err := folders.Resolve("p", sync, ignore)
	if err != nil {
		t.Fatal(err)
	}
	f.tree, err = NewTree(f.root, res.Folders, func(c Change) {
		f.changes.Add(1)
		if c.NewFolder {
			f.mu.Lock()
			f.folders = append(f.folders, c.Path)
			f.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go f.tree.Serve(ctx)
	return f
}

func (f *treeFixture) write(t *testing.T, rel string) {
	t.Helper()
	testfiles.Write(t, filepath.Join(f.root, rel), "x")
}

// eventually polls cond for up to 3 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("never: %s", what)
}

func TestTree_IgnoredFoldersAreNeverWatched(t *testing.T) {
	f := newTreeFixture(t, []string{"data"}, []string{"data/cache", "__pycache__"},
		"data/p/train", "data/p/cache/big", "data/p/train/__pycache__")
	got := f.tree.Watched()
	for _, want := range []string{"data/p", "data/p/train"} {
		if !slices.Contains(got, filepath.Join(f.root, want)) {
			t.Errorf("%s is not watched (watched: %v)", want, got)
		}
	}
	for _, never := range []string{"data/p/cache", "data/p/cache/big", "data/p/train/__pycache__"} {
		if slices.Contains(got, filepath.Join(f.root, never)) {
			t.Errorf("ignored %s is watched", never)
		}
	}
}

func TestTree_ChangesInIgnoredPlacesAreNotReported(t *testing.T) {
	f := newTreeFixture(t, []string{"data"}, []string{"*.tmp"}, "data/p")
	f.write(t, "data/p/a.tmp")
	f.write(t, "other/outside.txt")
	time.Sleep(300 * time.Millisecond)
	if n := f.changes.Load(); n != 0 {
		t.Fatalf("%d changes reported for ignored or outside files", n)
	}
	f.write(t, "data/p/a.txt")
	eventually(t, "a write is reported", func() bool { return f.changes.Load() > 0 })
}

func TestTree_NewSubFoldersAreWatchedAsTheyAppear(t *testing.T) {
	f := newTreeFixture(t, []string{"data"}, nil, "data/p")
	f.write(t, "data/p/new/deeper/file.txt")
	eventually(t, "the new folders are watched", func() bool {
		return slices.Contains(f.tree.Watched(), filepath.Join(f.root, "data/p/new/deeper"))
	})
	before := f.changes.Load()
	f.write(t, "data/p/new/deeper/second.txt")
	eventually(t, "a write in the new folder is reported", func() bool { return f.changes.Load() > before })
}

func TestTree_ASyncFolderThatAppearsLaterIsWatched(t *testing.T) {
	f := newTreeFixture(t, []string{"models"}, nil)
	f.write(t, "models/p/ckpt.pt")
	eventually(t, "models/p is watched once created", func() bool {
		return slices.Contains(f.tree.Watched(), filepath.Join(f.root, "models/p"))
	})
}

// TestTree_ReportsEveryFolderOfATreeMadeAtOnce: mkdir -p of a checkpoint folder under a
// sync folder that did not exist yet reports each new folder inside the sync folder,
// though their events came before their watches: the watch holds such folders whole.
func TestTree_ReportsEveryFolderOfATreeMadeAtOnce(t *testing.T) {
	f := newTreeFixture(t, []string{"models"}, nil)
	if err := os.MkdirAll(filepath.Join(f.root, "models/p/run-1/step-9"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := []string{"models/p", "models/p/run-1", "models/p/run-1/step-9"}
	eventually(t, "every new folder reported", func() bool {
		got := f.newFolders()
		slices.Sort(got)
		return slices.Equal(slices.Compact(got), want)
	})
}
