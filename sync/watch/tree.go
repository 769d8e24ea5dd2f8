package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/fsnotify/fsnotify"

	"filesync/sync/folders"
)

// Tree watches a project's sync folders under a root folder of this computer, recursively:
// folders created later are watched as they appear, ignored folders never are. A sync
// folder that does not exist yet is waited for.
type Tree struct {
	root     string // absolute root folder
	folders  []folders.Folder
	watcher  *fsnotify.Watcher
	onChange func(Change)
	mu       sync.Mutex
	watched  map[string]bool // absolute paths of watched folders
}

// Change is one change a Tree saw.
type Change struct {
	Path      string // relative to the root, slash-separated; "" when events were lost
	NewFolder bool   // Path is a folder that just appeared
}

// NewTree prepares a watch of fs under root; onChange is called (from Serve's goroutine)
// for every change that is not ignored. A missing root folder is created, as a sync would.
func NewTree(root string, fs []folders.Folder, onChange func(Change)) (*Tree, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create root folder %s: %w", root, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("start watching %s: %w", root, err)
	}
	t := &Tree{root: root, folders: fs, watcher: w, onChange: onChange, watched: map[string]bool{}}
	t.addAll()
	return t, nil
}

// Watched lists the folders being watched (absolute, sorted).
func (t *Tree) Watched() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for p := range t.watched {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Serve handles events until ctx ends, then stops watching.
func (t *Tree) Serve(ctx context.Context) error {
	defer t.watcher.Close()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-t.watcher.Events:
			if !ok {
				return nil
			}
			t.handle(ev)
		case err, ok := <-t.watcher.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				t.addAll() // events were lost: rescan, and sync to be sure
				t.onChange(Change{})
				continue
			}
			return fmt.Errorf("watch %s: %w", t.root, err)
		}
	}
}

func (t *Tree) handle(ev fsnotify.Event) {
	rel, inside := t.rel(ev.Name)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		t.forget(ev.Name) // inotify drops the watch with the folder; watch it again if it comes back
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			// A new sub-folder, or a sync folder that did not exist yet. Files may have been
			// written into it before its watch was added, so it counts as a change, and so
			// does each folder found below it.
			for _, dir := range t.addAll() {
				if r, in := t.rel(dir); in {
					t.onChange(Change{Path: r, NewFolder: true})
				}
			}
			if t.leadsToFolder(rel) {
				t.onChange(Change{})
			}
			if t.leadsToFolder(rel) || inside {
				return
			}
		}
	}
	if !inside || ignored(rel, t.excludes()) {
		return
	}
	if ev.Has(fsnotify.Chmod) && !ev.Has(fsnotify.Write) {
		return // atime-like noise; content changes come as Write
	}
	t.onChange(Change{Path: rel})
}

// rel returns p relative to the root and whether it lies inside one of the sync folders.
func (t *Tree) rel(p string) (string, bool) {
	r, err := filepath.Rel(t.root, p)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	for _, f := range t.folders {
		if r == f.Path || strings.HasPrefix(r, f.Path+"/") {
			return r, true
		}
	}
	return r, false
}

// leadsToFolder reports whether rel is a parent of a sync folder (which it may now hold).
func (t *Tree) leadsToFolder(rel string) bool {
	for _, f := range t.folders {
		if strings.HasPrefix(f.Path, rel+"/") {
			return true
		}
	}
	return false
}

func (t *Tree) excludes() []string {
	var all []string
	for _, f := range t.folders {
		all = append(all, f.Excludes...)
	}
	return all
}

// addAll watches every existing, not ignored folder under each sync folder; for a sync
// folder still missing it watches the nearest existing parent inside the root, to see it
// appear. It returns the folders it began to watch.
func (t *Tree) addAll() []string {
	var added []string
	for _, f := range t.folders {
		dir := filepath.Join(t.root, filepath.FromSlash(f.Path))
		if _, err := os.Stat(dir); err != nil {
			t.add(t.nearestExisting(dir))
			continue
		}
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if rel, _ := t.rel(p); ignored(rel, f.Excludes) {
				return filepath.SkipDir
			}
			if t.add(p) {
				added = append(added, p)
			}
			return nil
		})
	}
	return added
}

func (t *Tree) nearestExisting(dir string) string {
	for dir != t.root && dir != filepath.Dir(dir) {
		dir = filepath.Dir(dir)
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	return t.root
}

// add watches dir and reports whether it was not watched before.
func (t *Tree) add(dir string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.watched[dir] {
		return false
	}
	if err := t.watcher.Add(dir); err != nil {
		return false
	}
	t.watched[dir] = true
	return true
}

func (t *Tree) forget(dir string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := range t.watched {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			delete(t.watched, p)
		}
	}
}
