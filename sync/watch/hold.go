package watch

import (
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// OpenFilesFunc returns the files under root (relative, slash-separated) that a process
// on this computer holds open for writing.
type OpenFilesFunc func(root string) (map[string]bool, error)

// holds decides which paths of one project a push leaves out for now, because they may
// still be being written: a file held open for writing, a file changed less than the
// quiet time ago, and — so that a folder of shards arrives whole — any folder created
// since the last push that holds one of those or a file changed less than the folder
// quiet time ago (a writer closing one shard and opening the next leaves no file open for
// a moment).
type holds struct {
	root     string
	folders  []string // the project's sync folders, relative to root
	excludes []string
	quiet    time.Duration
	// folderQuiet is how long a new folder stays held after a change in it.
	folderQuiet time.Duration
	open        OpenFilesFunc

	mu      sync.Mutex
	changed map[string]time.Time // path → its last change not yet pushed
	created map[string]time.Time // folder → when it appeared, until a push takes it whole
	unknown bool                 // events were lost since the last push
}

func newHolds(p Project, quiet, folderQuiet time.Duration, open OpenFilesFunc) *holds {
	h := &holds{root: p.Root, quiet: quiet, folderQuiet: folderQuiet, open: open,
		changed: map[string]time.Time{}, created: map[string]time.Time{}}
	for _, f := range p.Folders {
		h.folders = append(h.folders, f.Path)
		h.excludes = append(h.excludes, f.Excludes...)
	}
	return h
}

// note records a change the tree saw at time at.
func (h *holds) note(c Change, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.Path == "" {
		h.unknown = true
		return
	}
	h.changed[c.Path] = at
	if c.NewFolder {
		h.created[c.Path] = at
	}
}

// held returns the paths to leave out of a push starting at now, outermost first: a
// folder stands for everything in it.
func (h *holds) held(now time.Time) []string {
	open, _ := h.open(h.root) // unreadable /proc: only the quiet time holds files back
	h.mu.Lock()
	defer h.mu.Unlock()
	var busy []string
	for p := range open {
		if h.inside(p) {
			busy = append(busy, p)
		}
	}
	for p, at := range h.changed {
		age := now.Sub(at)
		if age < h.quiet || age < h.folderQuiet && h.outermostCreated(p) != p {
			busy = append(busy, p)
		}
	}
	out := map[string]bool{}
	for _, p := range busy {
		out[h.outermostCreated(p)] = true
	}
	return outermost(out)
}

// inside reports whether p is in one of the sync folders and not ignored.
func (h *holds) inside(p string) bool {
	for _, f := range h.folders {
		if p == f || strings.HasPrefix(p, f+"/") {
			return !ignored(p, h.excludes)
		}
	}
	return false
}

// outermostCreated is the outermost folder above p, below its sync folder, created since
// the last push; or p. A new sync folder is not held whole: it is the project's.
func (h *holds) outermostCreated(p string) string {
	out := p
	for d := path.Dir(p); d != "." && d != "/" && !h.syncFolderOrAbove(d); d = path.Dir(d) {
		if _, ok := h.created[d]; ok {
			out = d
		}
	}
	return out
}

func (h *holds) syncFolderOrAbove(d string) bool {
	for _, f := range h.folders {
		if f == d || strings.HasPrefix(f, d+"/") {
			return true
		}
	}
	return false
}

// changedSince reports whether a path in held changed after t.
func (h *holds) changedSince(t time.Time, held []string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for p, at := range h.changed {
		if at.After(t) && within(p, held) {
			return true
		}
	}
	return false
}

// onlyHeld reports whether every change since the last push lies in held: a push now
// would send nothing.
func (h *holds) onlyHeld(held []string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.unknown {
		return false
	}
	for p := range h.changed {
		if !within(p, held) {
			return false
		}
	}
	return true
}

// pushed forgets, after a push that started at start succeeded, the changes it took:
// those before start, except the held paths and what lies in them.
func (h *holds) pushed(start time.Time, held []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unknown = false
	for _, m := range []map[string]time.Time{h.changed, h.created} {
		for p, at := range m {
			if !at.After(start) && !within(p, held) {
				delete(m, p)
			}
		}
	}
}

// within reports whether p is one of paths or lies in one of them.
func within(p string, paths []string) bool {
	for _, q := range paths {
		if p == q || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}

// outermost drops from set every path inside another, and sorts the rest.
func outermost(set map[string]bool) []string {
	all := keys(set)
	var out []string
	for p := range set {
		if !within(path.Dir(p), all) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func keys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	return out
}
