package index

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"filesync/sync/folders"
	"filesync/sync/listing"
)

var projectP = Project{Name: "P", Folders: []folders.Folder{{Path: "data/P"}, {Path: "models/P"}}}

// file is a file of project P with a size and an mtime.
func file(path string, size, mtime int64) listing.Entry {
	return listing.Entry{Path: path, Kind: listing.File, Size: size, MTime: mtime}
}

func holding(name string, entries ...listing.Entry) Member {
	l := listing.Listing{{Path: "data/P", Kind: listing.Dir}}
	l = append(l, entries...)
	slices.SortFunc(l, func(a, b listing.Entry) int { return strings.Compare(a.Path, b.Path) })
	return Member{Name: name, Listing: l}
}

// summary is a cell in one line: "receive 2/30 send 1/10 [a<c3 b>]".
func summary(c Cell) string {
	if c.State == Unreachable {
		return "unreachable"
	}
	var files []string
	for _, f := range c.Files {
		mark := "<" + f.Newest
		if f.Direction == Send {
			mark = ">"
		}
		files = append(files, f.Path[strings.LastIndex(f.Path, "/")+1:]+mark)
	}
	return fmt.Sprintf("receive %d/%d send %d/%d [%s]", c.Receive.Files, c.Receive.Bytes, c.NewerHere.Files, c.NewerHere.Bytes, strings.Join(files, " "))
}

func TestCells(t *testing.T) {
	tests := []struct {
		name    string
		members []Member
		want    map[string]string
	}{
		{
			name: "the oldest copy on the first computer: the newest, on the last, wins",
			members: []Member{
				holding("c1", file("data/P/conf.txt", 2, 100)),
				holding("c2", file("data/P/conf.txt", 2, 200)),
				holding("c3", file("data/P/conf.txt", 2, 300)),
			},
			want: map[string]string{"c1": "receive 1/2 send 0/0 [conf.txt<c3]", "c2": "receive 1/2 send 0/0 [conf.txt<c3]", "c3": "receive 0/0 send 1/2 [conf.txt>]"},
		},
		{
			name: "each lacks another file",
			members: []Member{
				holding("c1", file("data/P/a", 10, 1), file("models/P/m", 1000, 1)),
				holding("c2", file("data/P/b", 20, 1), file("models/P/m", 1000, 1)),
			},
			want: map[string]string{"c1": "receive 1/20 send 1/10 [a> b<c2]", "c2": "receive 1/10 send 1/20 [a<c1 b>]"},
		},
		{
			name: "in sync",
			members: []Member{
				holding("c1", file("data/P/a", 10, 1)),
				holding("c2", file("data/P/a", 10, 1)),
			},
			want: map[string]string{"c1": "receive 0/0 send 0/0 []", "c2": "receive 0/0 send 0/0 []"},
		},
		{
			name: "same mtime, other size: the larger copy wins, as the first of equals would not be told apart",
			members: []Member{
				holding("c1", file("data/P/a", 10, 5)),
				holding("c2", file("data/P/a", 12, 5)),
			},
			want: map[string]string{"c1": "receive 1/12 send 0/0 [a<c2]", "c2": "receive 0/0 send 1/12 [a>]"},
		},
		{
			name: "a receive-only computer never sends, and keeps its newer copy (rsync --update)",
			members: []Member{
				holding("c1", file("data/P/a", 10, 5)),
				{Name: "nas", ReceiveOnly: true, Listing: holding("", file("data/P/a", 11, 9), file("data/P/only-nas", 1, 1)).Listing},
			},
			want: map[string]string{"c1": "receive 0/0 send 0/0 []", "nas": "receive 0/0 send 0/0 []"},
		},
		{
			name: "a receive-only computer receives what it lacks",
			members: []Member{
				holding("c1", file("data/P/a", 10, 5)),
				{Name: "nas", ReceiveOnly: true, Listing: holding("").Listing},
			},
			want: map[string]string{"c1": "receive 0/0 send 1/10 [a>]", "nas": "receive 1/10 send 0/0 [a<c1]"},
		},
		{
			name: "an unreachable computer takes no part: nobody sends to it",
			members: []Member{
				holding("c1", file("data/P/a", 10, 5)),
				holding("c2", file("data/P/a", 10, 5)),
				{Name: "down", Err: errors.New("down: unreachable")},
			},
			want: map[string]string{"c1": "receive 0/0 send 0/0 []", "c2": "receive 0/0 send 0/0 []", "down": "unreachable"},
		},
		{
			name: "files outside the project's folders are not compared",
			members: []Member{
				holding("c1", file("data/P2/x", 1, 1), file("data/Px", 1, 1)),
				holding("c2"),
			},
			want: map[string]string{"c1": "receive 0/0 send 0/0 []", "c2": "receive 0/0 send 0/0 []"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := Build(tc.members, []Project{projectP})
			for _, c := range ix.Cells() {
				if got := summary(c); got != tc.want[c.Computer] {
					t.Errorf("%s: %s, want %s", c.Computer, got, tc.want[c.Computer])
				}
				if inSync := c.State == InSync; inSync != (len(c.Files) == 0 && c.State != Unreachable) {
					t.Errorf("%s: state %s with %d files", c.Computer, c.State, len(c.Files))
				}
			}
		})
	}
}

func TestCell_CountsChangesSinceTheLastAgreedState(t *testing.T) {
	agreed := holding("", file("data/P/kept", 1, 1), file("data/P/changed", 1, 1), file("data/P/removed", 1, 1)).Listing
	now := holding("c1", file("data/P/kept", 1, 1), file("data/P/changed", 5, 2), file("data/P/added", 7, 3))
	now.Agreed = map[string]listing.Listing{"P": agreed}
	ix := Build([]Member{now, holding("c2")}, []Project{projectP})
	c, _ := ix.Cell("c1", "P")
	if !c.Synced || c.Changed != (Count{Files: 3, Bytes: 12}) {
		t.Errorf("synced %v, changed %+v; want 3 files (changed, added, removed), 12 bytes", c.Synced, c.Changed)
	}
	if c2, _ := ix.Cell("c2", "P"); c2.Synced {
		t.Error("c2 has no agreed state but counts as synced")
	}
}

// deliveries sums up each destination: "c2: a<c1 -b".
func deliveries(pl Plan) map[string]string {
	ds := pl.Deliveries
	out := map[string]string{}
	for _, d := range ds {
		var parts []string
		for _, c := range d.Changes {
			name := c.Path[strings.LastIndex(c.Path, "/")+1:]
			switch {
			case c.Folder:
				parts = append(parts, fmt.Sprintf("-%s/(%d)", name, c.Files))
			case c.Delete:
				parts = append(parts, "-"+name)
			default:
				parts = append(parts, name+"<"+c.From)
			}
		}
		out[d.To] = strings.Join(parts, " ")
		if d.Halted != "" {
			out[d.To] += " HALTED"
		}
	}
	return out
}

func TestPlans(t *testing.T) {
	c1 := holding("c1", file("data/P/a", 1, 10), file("data/P/b", 1, 10), file("data/P/c", 1, 10))
	c2 := holding("c2", file("data/P/a", 1, 20), file("data/P/x", 1, 10), file("data/P/y", 1, 10), file("data/P/z", 1, 10), file("data/P/w", 1, 10))
	c3 := holding("c3", file("data/P/b", 1, 10))
	ix := Build([]Member{c1, c2, c3}, []Project{projectP})
	mirror := func(string) bool { return true }
	merge := func(string) bool { return false }

	if got, want := deliveries(ix.SyncAll(false)), map[string]string{
		"c1": "a<c2 w<c2 x<c2 y<c2 z<c2",
		"c2": "b<c1 c<c1",
		"c3": "a<c2 c<c1 w<c2 x<c2 y<c2 z<c2",
	}; !maps.Equal(got, want) {
		t.Errorf("SyncAll: %v, want %v", got, want)
	}
	one, err := ix.SyncComputer("c3", false)
	if got, want := deliveries(one), map[string]string{"c3": "a<c2 c<c1 w<c2 x<c2 y<c2 z<c2"}; err != nil || !maps.Equal(got, want) {
		t.Errorf("SyncComputer(c3): %v, %v; want %v", got, err, want)
	}
	push, _ := ix.Push("c1", merge, false)
	if got, want := deliveries(Plan{Deliveries: push}), map[string]string{"c2": "b<c1 c<c1", "c3": "a<c1 c<c1"}; !maps.Equal(got, want) {
		t.Errorf("merge push from c1: %v, want %v (c2's newer a is kept)", got, want)
	}
	push, _ = ix.Push("c1", mirror, false)
	if got, want := deliveries(Plan{Deliveries: push}), map[string]string{"c2": "a<c1 b<c1 c<c1 -w -x -y -z HALTED", "c3": "a<c1 c<c1"}; !maps.Equal(got, want) {
		t.Errorf("mirror push from c1: %v, want %v (c2 would lose 4 of 5 files)", got, want)
	}
	push, _ = ix.Push("c1", mirror, true)
	if got := deliveries(Plan{Deliveries: push})["c2"]; strings.Contains(got, "HALTED") {
		t.Errorf("forced mirror push halted: %s", got)
	}
	if _, err := ix.Push("ghost", merge, false); err == nil {
		t.Error("a push from an unknown computer was planned")
	}
}

func TestPlans_AComputerThatCannotBeListedIsNoDestination(t *testing.T) {
	ix := Build([]Member{holding("c1", file("data/P/a", 1, 1)), {Name: "down", Err: errors.New("down: refused")}}, []Project{projectP})
	if got := deliveries(ix.SyncAll(false)); len(got) != 1 || got["c1"] != "" {
		t.Errorf("SyncAll %v, want c1 alone with nothing to receive", got)
	}
	if _, err := ix.SyncComputer("down", false); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("SyncComputer(down): %v, want why it cannot take part", err)
	}
}
