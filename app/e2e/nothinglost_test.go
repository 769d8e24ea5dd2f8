package e2e

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// user edits the fleet's files as a person does, one write a second, and remembers every
// content it ever wrote, each one unique.
type user struct {
	t       *testing.T
	h       *harness
	clock   time.Time
	written map[string]string // content → where it was written
}

func newUser(t *testing.T, h *harness) *user {
	return &user{t: t, h: h, clock: t0, written: map[string]string{}}
}

// write gives rel on computer a new content, a second after the previous write.
func (u *user) write(computer, rel string) {
	u.t.Helper()
	u.clock = u.clock.Add(time.Second)
	content := fmt.Sprintf("write %d: %s on %s", len(u.written)+1, rel, computer)
	write(u.t, u.h.root(computer), rel, content, u.clock)
	u.written[content] = computer + ":" + rel
}

// remove deletes rel, a file or a folder, on computer.
func (u *user) remove(computer, rel string) {
	u.t.Helper()
	if err := os.RemoveAll(filepath.Join(u.h.root(computer), filepath.FromSlash(rel))); err != nil {
		u.t.Fatal(err)
	}
}

// rename moves rel, a file or a folder, to another path on computer.
func (u *user) rename(computer, from, to string) {
	u.t.Helper()
	root := u.h.root(computer)
	dst := filepath.Join(root, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		u.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, filepath.FromSlash(from)), dst); err != nil {
		u.t.Fatal(err)
	}
}

// held is every content the computers hold, in their project folders or in their
// versions folders.
func (u *user) held() map[string]bool {
	u.t.Helper()
	found := map[string]bool{}
	for _, n := range u.h.names() {
		for _, content := range tree(u.t, u.h.root(n)) {
			found[content] = true
		}
	}
	return found
}

// lost lists, sorted, the contents of was that now lacks, each with where it was written.
func (u *user) lost(was, now map[string]bool) []string {
	var lost []string
	for content := range was {
		if !now[content] {
			lost = append(lost, fmt.Sprintf("%q (written to %s)", content, u.written[content]))
		}
	}
	slices.Sort(lost)
	return lost
}

// TestSyncAll_NothingWrittenIsEverLost: four computers, a day of edits, deletions,
// renames and conflicts (the oldest copies on the first computer), several Sync alls and
// a Sync computer between them. Every content ever written is afterwards in some
// computer's files or versions folder, and the computers agree.
func TestSyncAll_NothingWrittenIsEverLost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 3)
	h.ok("project", "add", "p")
	u := newUser(t, h)
	steps := []struct {
		name  string
		edit  func()
		sync  []string
		files int // in each computer's project after the sync; 0 after a Sync computer, which leaves the others behind
	}{
		{"first sync: a three-way conflict, files only on some computers", func() {
			for _, n := range []string{"c1", "c2", "c3"} {
				u.write(n, "data/p/conf.txt")
			}
			u.write("c1", "data/p/notes.txt")
			for i := range 10 {
				u.write("c1", fmt.Sprintf("data/p/run/%02d", i))
			}
			for i := range 30 {
				u.write("c2", fmt.Sprintf("data/p/lib/%02d.py", i))
			}
			u.write("c2", "models/p/w.bin")
			u.write("c3", "data/p/readme.md")
			u.write("here", "data/p/todo.txt")
			u.write("here", "data/p/old/a")
			u.write("here", "data/p/old/b")
		}, []string{"sync"}, 47},
		{"a conflict after agreeing, a deletion, renames of a folder and a file", func() {
			u.write("c1", "data/p/notes.txt")
			u.write("c3", "data/p/notes.txt")
			u.remove("c2", "data/p/readme.md")
			u.rename("here", "data/p/old", "data/p/archive")
			u.rename("c3", "data/p/todo.txt", "data/p/done.txt")
			u.write("c1", "data/p/lib/00.py")
		}, []string{"sync"}, 46},
		{"sync c2 alone", func() {
			u.write("c1", "data/p/conf.txt")
			u.write("here", "models/p/w.bin")
			u.write("c3", "data/p/new.txt")
			u.remove("c1", "data/p/lib/01.py")
		}, []string{"sync", "--computer", "c2"}, 0},
		{"edits on the copies c2 received, delete vs modify, a folder deleted, a rename and edit", func() {
			u.write("c2", "data/p/conf.txt")
			u.write("c3", "data/p/conf.txt")
			u.remove("c1", "data/p/done.txt")
			u.write("here", "data/p/done.txt")
			u.remove("c3", "data/p/run")
			u.rename("c2", "data/p/lib/04.py", "data/p/lib/renamed.py")
			u.write("c2", "data/p/lib/renamed.py")
			u.write("here", "data/p/lib/02.py")
		}, []string{"sync"}, 36},
		{"a four-way conflict of a new file, a deletion racing a rename", func() {
			for _, n := range []string{"c1", "c2", "c3", "here"} {
				u.write(n, "data/p/plan.md")
			}
			u.remove("c1", "data/p/new.txt")
			u.rename("c2", "data/p/new.txt", "data/p/new2.txt")
			u.write("c3", "data/p/archive/c")
			u.rename("here", "data/p/notes.txt", "data/p/archive/notes.txt")
		}, []string{"sync"}, 38},
		{"a sync with nothing to do", func() {}, []string{"sync"}, 38},
	}
	for _, s := range steps {
		s.edit()
		before := u.held()
		res, r := h.twoWay(s.sync...)
		if r.code != 0 || res.Status != "ok" {
			t.Fatalf("%s: %v: exit %d, %s: %s\nstderr:\n%s", s.name, s.sync, r.code, res.Status, res.Summary, r.stderr)
		}
		if lost := u.lost(before, u.held()); len(lost) > 0 {
			t.Errorf("%s: %v lost %d contents:\n%s", s.name, s.sync, len(lost), strings.Join(lost, "\n"))
		}
		t.Logf("%s: %s; %d conflicts", s.name, res.Summary, len(res.Conflicts))
		if s.files == 0 {
			continue
		}
		first := projectFiles(t, h.root("here"))
		if len(first) != s.files {
			t.Errorf("%s: here holds %d files, want %d", s.name, len(first), s.files)
		}
		for _, n := range h.names()[1:] {
			if files := projectFiles(t, h.root(n)); !maps.Equal(files, first) {
				t.Errorf("%s: %s holds %d files, here %d, and they differ", s.name, n, len(files), len(first))
			}
		}
	}
	written := map[string]bool{}
	for content := range u.written {
		written[content] = true
	}
	if lost := u.lost(written, u.held()); len(lost) > 0 {
		t.Errorf("%d of %d contents written are in no computer's files or versions:\n%s", len(lost), len(u.written), strings.Join(lost, "\n"))
	} else {
		current := map[string]bool{}
		for _, n := range h.names() {
			for _, content := range projectFiles(t, h.root(n)) {
				current[content] = true
			}
		}
		t.Logf("all %d contents written were found, %d of them only in versions folders", len(u.written), len(u.lost(written, current)))
	}
}
