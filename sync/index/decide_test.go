package index

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"filesync/sync/listing"
)

// agreedAt gives m an agreed state of project P taken at second at.
func agreedAt(m Member, at int64, entries ...listing.Entry) Member {
	m.Agreed = map[string]listing.Listing{"P": holding("", entries...).Listing}
	m.AgreedAt = map[string]time.Time{"P": time.Unix(at, 0)}
	return m
}

func dir(path string) listing.Entry { return listing.Entry{Path: path, Kind: listing.Dir} }

func propagating() Project {
	p := projectP
	p.Propagate = true
	return p
}

// with is entries followed by more.
func with(entries []listing.Entry, more ...listing.Entry) []listing.Entry {
	return append(append([]listing.Entry{}, entries...), more...)
}

// shards is a folder data/P/shards of k files, its folder entry first.
func shards(k int) []listing.Entry {
	out := []listing.Entry{dir("data/P/shards")}
	for i := range k {
		out = append(out, file(fmt.Sprintf("data/P/shards/%03d", i), 1, 1))
	}
	return out
}

func TestSyncAll_DecidesEachPathAsATwoWaySync(t *testing.T) {
	a, b := file("data/P/a", 1, 1), file("data/P/b", 1, 1)
	c, d := file("data/P/c", 1, 1), file("data/P/d", 1, 1)
	bNewer := file("data/P/b", 2, 20)
	tests := []struct {
		name    string
		members []Member
		keep    bool // the project keeps deleted files
		force   bool
		want    map[string]string
		halts   int
	}{
		{name: "a deletion reaches every other computer",
			members: []Member{agreedAt(holding("c1", a), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b), agreedAt(holding("c3", a, b), 1, a, b)},
			want:    map[string]string{"c1": "", "c2": "-b", "c3": "-b"}},
		{name: "a modification wins over a deletion and comes back",
			members: []Member{agreedAt(holding("c1", a), 1, a, b), agreedAt(holding("c2", a, bNewer), 1, a, b), agreedAt(holding("c3", a, b), 1, a, b)},
			want:    map[string]string{"c1": "b<c2", "c2": "", "c3": "b<c2"}},
		{name: "keep: a deleted file comes back",
			members: []Member{agreedAt(holding("c1", a), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b)},
			keep:    true, want: map[string]string{"c1": "b<c2", "c2": ""}},
		{name: "a first sync never deletes",
			members: []Member{holding("c1", a), holding("c2", a, b)},
			want:    map[string]string{"c1": "b<c2", "c2": ""}},
		{name: "a computer back after missing the deletion loses the file too",
			members: []Member{agreedAt(holding("c1", a), 5, a), agreedAt(holding("c2", a), 5, a), agreedAt(holding("c3", a, b), 1, a, b)},
			want:    map[string]string{"c1": "", "c2": "", "c3": "-b"}},
		{name: "a computer that missed a new file receives it",
			members: []Member{agreedAt(holding("c1", a, b), 5, a, b), agreedAt(holding("c2", a), 1, a)},
			want:    map[string]string{"c1": "", "c2": "b<c1"}},
		{name: "a folder deleted as a whole is one change",
			members: []Member{agreedAt(holding("c1", a, b, c), 1, with(shards(2), a, b, c)...), agreedAt(holding("c2", with(shards(2), a, b, c)...), 1, with(shards(2), a, b, c)...)},
			want:    map[string]string{"c1": "", "c2": "-shards/(2)"}},
		{name: "a folder still held empty is deleted file by file",
			members: []Member{agreedAt(holding("c1", a, b, c, dir("data/P/shards")), 1, with(shards(2), a, b, c)...), agreedAt(holding("c2", with(shards(2), a, b, c)...), 1, with(shards(2), a, b, c)...)},
			want:    map[string]string{"c1": "", "c2": "-000 -001"}},
		{name: "deleting more than half of a computer's files halts there",
			members: []Member{agreedAt(holding("c1", a), 1, a, b, c, d), agreedAt(holding("c2", a, b, c, d), 1, a, b, c, d)},
			want:    map[string]string{"c1": "", "c2": ""}, halts: 1},
		{name: "forced, more than half is deleted",
			members: []Member{agreedAt(holding("c1", a), 1, a, b, c, d), agreedAt(holding("c2", a, b, c, d), 1, a, b, c, d)},
			force:   true, want: map[string]string{"c1": "", "c2": "-b -c -d"}},
		{name: "a computer whose folders emptied is halted, nothing deleted",
			members: []Member{agreedAt(holding("c1"), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b), agreedAt(holding("c3", a, b), 1, a, b)},
			want:    map[string]string{"c1": "", "c2": "", "c3": ""}, halts: 1},
		{name: "forced, an emptied computer is filled again",
			members: []Member{agreedAt(holding("c1"), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b)},
			force:   true, want: map[string]string{"c1": "a<c2 b<c2", "c2": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := propagating()
			p.Propagate = !tt.keep
			pl := Build(tt.members, []Project{p}).SyncAll(tt.force)
			if got := deliveries(pl); !maps.Equal(got, tt.want) {
				t.Errorf("deliveries %v, want %v", got, tt.want)
			}
			if len(pl.Halts) != tt.halts {
				t.Errorf("halts %+v, want %d", pl.Halts, tt.halts)
			}
		})
	}
}

func TestSyncAll_AMissingFolderHaltsThatComputerAndSaysHowToResume(t *testing.T) {
	a := file("data/P/a", 1, 1)
	gone := Member{Name: "c2"} // its listing holds nothing: data/P is missing
	pl := Build([]Member{agreedAt(holding("c1", a), 1, a), agreedAt(gone, 1, a)}, []Project{propagating()}).SyncAll(false)
	if got := deliveries(pl); got["c1"] != "" || got["c2"] != "" {
		t.Errorf("deliveries %v, want none: a missing folder is no deletion", got)
	}
	if len(pl.Halts) != 1 || pl.Halts[0].Computer != "c2" || !strings.Contains(pl.Halts[0].Reason, "data/P is missing") ||
		!strings.Contains(pl.Halts[0].Reason, "--force") {
		t.Errorf("halts %+v, want c2's, naming the folder and how to resume", pl.Halts)
	}
}

func TestSyncAll_RecordsAThreeWayConflictWithEveryLosingCopy(t *testing.T) {
	v0 := file("data/P/conf.txt", 1, 1)
	members := []Member{
		agreedAt(holding("c1", file("data/P/conf.txt", 11, 10)), 1, v0),
		agreedAt(holding("c2", file("data/P/conf.txt", 22, 20)), 1, v0),
		agreedAt(holding("c3", file("data/P/conf.txt", 33, 30)), 1, v0),
	}
	pl := Build(members, []Project{propagating()}).SyncAll(false)
	if got, want := deliveries(pl), map[string]string{"c1": "conf.txt<c3", "c2": "conf.txt<c3", "c3": ""}; !maps.Equal(got, want) {
		t.Errorf("deliveries %v, want %v", got, want)
	}
	if len(pl.Conflicts) != 1 {
		t.Fatalf("conflicts %+v, want one", pl.Conflicts)
	}
	if cell, _ := Build(members, []Project{propagating()}).Cell("c1", "P"); len(cell.Files) != 1 || !cell.Files[0].Conflict {
		t.Errorf("c1's cell %+v does not show the conflict", cell)
	}
	c := pl.Conflicts[0]
	if c.Winner.Computer != "c3" || len(c.Losers) != 2 || c.Losers[0] != (Version{Computer: "c1", Size: 11, MTime: 10}) ||
		c.Losers[1] != (Version{Computer: "c2", Size: 22, MTime: 20}) {
		t.Errorf("conflict %+v, want c3 winning over c1 (v1) and c2 (v2)", c)
	}
	for _, d := range pl.Deliveries {
		for _, ch := range d.Changes {
			if !ch.Overwrites {
				t.Errorf("%s: change %+v does not say it overwrites a conflict's copy", d.To, ch)
			}
		}
	}
}

func TestSyncComputer_DoesNotBringBackWhatTheComputerDeleted(t *testing.T) {
	a, b := file("data/P/a", 1, 1), file("data/P/b", 1, 1)
	ix := Build([]Member{agreedAt(holding("c1", a), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b)}, []Project{propagating()})
	pl, err := ix.SyncComputer("c1", false)
	if got := deliveries(pl); err != nil || got["c1"] != "" {
		t.Errorf("SyncComputer(c1) = %v, %v; want nothing to receive", got, err)
	}
	if pl, _ = ix.SyncComputer("c2", false); deliveries(pl)["c2"] != "-b" {
		t.Errorf("SyncComputer(c2) = %v, want b deleted", deliveries(pl))
	}
}

func TestCell_ShowsFilesASyncWouldRemoveAndHaltedComputers(t *testing.T) {
	a, b := file("data/P/a", 1, 1), file("data/P/b", 3, 1)
	ix := Build([]Member{agreedAt(holding("c1", a), 1, a, b), agreedAt(holding("c2", a, b), 1, a, b), agreedAt(holding("c3"), 1, a)},
		[]Project{propagating()})
	if c, _ := ix.Cell("c2", "P"); c.State != OutOfSync || c.Removed != (Count{Files: 1, Bytes: 3}) || c.Files[0].Direction != Remove {
		t.Errorf("c2: %+v, want b to be removed", c)
	}
	if c, _ := ix.Cell("c3", "P"); c.State != Halted || !strings.Contains(c.Reason, "empty") {
		t.Errorf("c3: %+v, want halted: its folders are empty", c)
	}
}

func TestSyncAll_ADeletionOfTheCopyItReceivedWinsOverThatCopy(t *testing.T) {
	v0, v1 := file("data/P/w", 1, 1), file("data/P/w", 2, 2)
	renamed := file("data/P/w2", 2, 2)
	members := []Member{
		agreedAt(holding("here", v1), 1, v0),                   // edited after its agreed state
		agreedAt(holding("c2", renamed), 5, v1),                // received here's edit (Sync computer), then renamed it
		agreedAt(holding("c1", v0), 1, v0),                     // never saw the edit
		agreedAt(holding("c3", file("data/P/w", 3, 3)), 1, v0), // its own, newer edit: that one comes back
	}
	pl := Build(members[:3], []Project{propagating()}).SyncAll(false)
	if got, want := deliveries(pl), map[string]string{"here": "-w w2<c2", "c1": "-w w2<c2", "c2": ""}; !maps.Equal(got, want) {
		t.Errorf("deliveries %v, want %v: c2 deleted the very copy here holds", got, want)
	}
	pl = Build(members, []Project{propagating()}).SyncAll(false)
	if got := deliveries(pl)["c2"]; got != "w<c3" {
		t.Errorf("c2 receives %q, want c3's unseen edit of w back", got)
	}
}

func TestSyncAll_AConflictsLosersAreOnlyTheCopiesThatChanged(t *testing.T) {
	v0 := file("data/P/conf.txt", 1, 1)
	members := []Member{
		agreedAt(holding("c1", file("data/P/conf.txt", 11, 10)), 1, v0),
		agreedAt(holding("c2", file("data/P/conf.txt", 22, 20)), 1, v0),
		agreedAt(holding("here", v0), 1, v0),
	}
	pl := Build(members, []Project{propagating()}).SyncAll(false)
	if len(pl.Conflicts) != 1 || len(pl.Conflicts[0].Losers) != 1 || pl.Conflicts[0].Losers[0].Computer != "c1" {
		t.Errorf("conflicts %+v, want c2 winning over c1 alone: here never changed its copy", pl.Conflicts)
	}
}
