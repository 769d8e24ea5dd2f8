package watch

import (
	"reflect"
	"testing"
	"time"

	"filesync/sync/folders"
)

func TestHolds_HoldWhatMayStillBeWritten(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	const quiet = time.Second
	type change struct {
		c  Change
		at time.Duration // after t0
	}
	cases := []struct {
		name    string
		open    []string
		late    bool // the files are opened after the push
		changes []change
		pushed  time.Duration // a push that started this long after t0 succeeded; 0: none
		now     time.Duration
		want    []string
	}{
		{name: "nothing open, nothing recent", changes: []change{{Change{Path: "models/p/a.pt"}, 0}}, now: 2 * time.Second},
		{name: "a file open for writing", open: []string{"models/p/a.pt"}, now: time.Second,
			want: []string{"models/p/a.pt"}},
		{name: "a file changed within the quiet time", changes: []change{{Change{Path: "models/p/a.pt"}, 500 * time.Millisecond}},
			now: time.Second, want: []string{"models/p/a.pt"}},
		{name: "a file changed a quiet time ago", changes: []change{{Change{Path: "models/p/a.pt"}, 0}}, now: time.Second},
		{name: "an open shard holds its new folder",
			open:    []string{"models/p/ckpt-5/shard-1.bin"},
			changes: []change{{Change{Path: "models/p/ckpt-5", NewFolder: true}, 0}, {Change{Path: "models/p/ckpt-5/shard-0.bin"}, 0}},
			now:     5 * time.Second, want: []string{"models/p/ckpt-5"}},
		{name: "a new folder with a file written within the folder quiet time",
			changes: []change{{Change{Path: "models/p/ckpt-5", NewFolder: true}, 0}, {Change{Path: "models/p/ckpt-5/shard-0.bin"}, time.Second}},
			now:     3 * time.Second, want: []string{"models/p/ckpt-5"}},
		{name: "a new folder quiet for the folder quiet time",
			changes: []change{{Change{Path: "models/p/ckpt-5", NewFolder: true}, 0}, {Change{Path: "models/p/ckpt-5/shard-0.bin"}, time.Second}},
			now:     4 * time.Second},
		{name: "the outermost new folder is held",
			open:    []string{"models/p/run/ckpt-5/shard-1.bin"},
			changes: []change{{Change{Path: "models/p/run", NewFolder: true}, 0}, {Change{Path: "models/p/run/ckpt-5", NewFolder: true}, 0}},
			now:     5 * time.Second, want: []string{"models/p/run"}},
		{name: "a folder pushed before is no longer new: only the open file is held",
			open: []string{"models/p/logs/train.log"}, late: true,
			changes: []change{{Change{Path: "models/p/logs", NewFolder: true}, 0}},
			pushed:  time.Second, now: 5 * time.Second, want: []string{"models/p/logs/train.log"}},
		{name: "a held folder stays new after a push",
			open:    []string{"models/p/ckpt-5/shard-1.bin"},
			changes: []change{{Change{Path: "models/p/ckpt-5", NewFolder: true}, 0}},
			pushed:  time.Second, now: 5 * time.Second, want: []string{"models/p/ckpt-5"}},
		{name: "a new sync folder is not held whole",
			open:    []string{"models/p/a.pt"},
			changes: []change{{Change{Path: "models/p", NewFolder: true}, 0}},
			now:     5 * time.Second, want: []string{"models/p/a.pt"}},
		{name: "open files outside the sync folders or ignored are not held",
			open: []string{"elsewhere/x.pt", "models/p/cache/x.pt", "models/p.pt"}, now: time.Second},
	}
	p := Project{Name: "p", Root: "/r", Folders: []folders.Folder{{Path: "models/p", Excludes: []string{"/models/p/cache"}}, {Path: "data/p"}}}
	for _, c := range cases {
		open := map[string]bool{}
		openAll := func() {
			for _, o := range c.open {
				open[o] = true
			}
		}
		if !c.late {
			openAll()
		}
		h := newHolds(p, quiet, 3*time.Second, func(string) (map[string]bool, error) { return open, nil })
		for _, ch := range c.changes {
			h.note(ch.c, t0.Add(ch.at))
		}
		if c.pushed > 0 {
			start := t0.Add(c.pushed)
			h.pushed(start, h.held(start))
		}
		openAll()
		if got := h.held(t0.Add(c.now)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: held = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestHolds_OnlyHeldWhenEveryChangeIsHeld(t *testing.T) {
	t0 := time.Now()
	p := Project{Name: "p", Root: "/r", Folders: []folders.Folder{{Path: "models/p"}}}
	none := func(string) (map[string]bool, error) { return nil, nil }
	cases := []struct {
		name    string
		changes []Change
		held    []string
		want    bool
	}{
		{"only the held file changed", []Change{{Path: "models/p/a.pt"}}, []string{"models/p/a.pt"}, true},
		{"a file in a held folder changed", []Change{{Path: "models/p/ckpt/1.bin"}}, []string{"models/p/ckpt"}, true},
		{"another file changed too", []Change{{Path: "models/p/a.pt"}, {Path: "models/p/b.txt"}}, []string{"models/p/a.pt"}, false},
		{"events were lost", []Change{{Path: "models/p/a.pt"}, {}}, []string{"models/p/a.pt"}, false},
	}
	for _, c := range cases {
		h := newHolds(p, time.Second, 0, none)
		for _, ch := range c.changes {
			h.note(ch, t0)
		}
		if got := h.onlyHeld(c.held); got != c.want {
			t.Errorf("%s: onlyHeld(%q) = %v, want %v", c.name, c.held, got, c.want)
		}
	}
}

func TestReleased(t *testing.T) {
	cases := []struct {
		before, now []string
		want        bool
	}{
		{[]string{"a/x"}, []string{"a/x"}, false},
		{[]string{"a/x"}, nil, true},
		{[]string{"a/x", "a/y"}, []string{"a/y"}, true},
		{[]string{"a/x"}, []string{"a"}, false}, // now held as part of its folder
	}
	for _, c := range cases {
		if got := released(c.before, c.now); got != c.want {
			t.Errorf("released(%q, %q) = %v, want %v", c.before, c.now, got, c.want)
		}
	}
}

func TestHolds_ChangedSinceSeesOnlyLaterChangesToHeldPaths(t *testing.T) {
	t0 := time.Now()
	h := newHolds(Project{Name: "p", Root: "/r", Folders: []folders.Folder{{Path: "models/p"}}}, time.Second, 0,
		func(string) (map[string]bool, error) { return nil, nil })
	h.note(Change{Path: "models/p/ckpt/1.bin"}, t0.Add(time.Second))
	h.note(Change{Path: "models/p/other.txt"}, t0.Add(3*time.Second))
	held := []string{"models/p/ckpt"}
	cases := []struct {
		since time.Duration
		want  bool
	}{{0, true}, {time.Second, false}, {2 * time.Second, false}}
	for _, c := range cases {
		if got := h.changedSince(t0.Add(c.since), held); got != c.want {
			t.Errorf("changedSince(t0+%s, %q) = %v, want %v", c.since, held, got, c.want)
		}
	}
}
