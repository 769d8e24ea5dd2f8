package service

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"filesync/sync/index"
)

func TestYoungChanges_AreTheFilesChangedLatelyBySender(t *testing.T) {
	listed := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	at := func(ago time.Duration) int64 { return listed.Add(-ago).Unix() }
	pl := index.Plan{Deliveries: []index.Delivery{
		{To: "c2", Changes: []index.Change{
			{Path: "models/p/new.pt", From: "c1", MTime: at(2 * time.Second)},
			{Path: "models/p/old.pt", From: "c1", MTime: at(time.Hour)},
			{Path: "models/p/gone.pt", Delete: true, MTime: at(0)},
			{Path: "models/p/future.pt", From: "c3", MTime: at(-time.Minute)}, // a sender's clock ahead
		}},
		{To: "c3", Changes: []index.Change{{Path: "models/p/new.pt", From: "c1", MTime: at(2 * time.Second)}}},
	}}
	got := youngChanges(pl, listed)
	paths := map[string][]string{}
	for from, cs := range got {
		for _, c := range cs {
			paths[from] = append(paths[from], c.Path)
		}
	}
	want := map[string][]string{"c1": {"models/p/new.pt"}, "c3": {"models/p/future.pt"}}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("youngChanges = %v, want %v (each sender's file once, no deletions, none an hour old)", paths, want)
	}
}

func TestDropBusy_LeavesOutTheBusyFilesAndTheConflictsTheyWin(t *testing.T) {
	pl := index.Plan{
		Deliveries: []index.Delivery{
			{To: "c2", Changes: []index.Change{
				{Project: "p", Path: "models/p/busy.pt", From: "c1", Size: 10},
				{Project: "p", Path: "models/p/done.pt", From: "c1", Size: 5},
				{Project: "p", Path: "models/p/old.pt", Delete: true},
			}},
			{To: "c3", Changes: []index.Change{{Project: "p", Path: "models/p/busy.pt", From: "c1", Size: 10, Overwrites: true}}},
		},
		Conflicts: []index.Conflict{
			{Project: "p", Path: "models/p/busy.pt", Winner: index.Version{Computer: "c1"}, Losers: []index.Version{{Computer: "c3"}}},
			{Project: "p", Path: "models/p/other.pt", Winner: index.Version{Computer: "c2"}},
		},
	}
	got := dropBusy(&pl, map[string]map[string]bool{"c1": {"models/p/busy.pt": true}})
	if want := []StillWriting{{Computer: "c1", Project: "p", Path: "models/p/busy.pt"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("dropBusy reported %+v, want %+v (once, though two computers were to receive it)", got, want)
	}
	c2 := pl.Deliveries[0]
	if len(c2.Changes) != 2 || c2.Files != 1 || c2.Bytes != 5 || c2.Deletes != 1 {
		t.Errorf("c2's delivery = %+v, want done.pt (1 file, 5 bytes) and the deletion", c2)
	}
	if len(pl.Deliveries[1].Changes) != 0 || pl.Deliveries[1].Files != 0 {
		t.Errorf("c3's delivery = %+v, want nothing", pl.Deliveries[1])
	}
	if len(pl.Conflicts) != 1 || pl.Conflicts[0].Path != "models/p/other.pt" {
		t.Errorf("conflicts = %+v, want only other.pt: busy.pt's is settled by the next sync", pl.Conflicts)
	}
}

func TestStillWritingNote(t *testing.T) {
	files := []StillWriting{{Computer: "c1", Project: "p", Path: "a.pt"}, {Computer: "c1", Project: "p", Path: "b.pt"}, {Computer: "c2", Project: "p", Path: "c.pt"}, {Computer: "c2", Project: "p", Path: "d.pt"}}
	cases := []struct {
		n    int
		want string
	}{
		{1, "1 file still being written, left for the next sync (c1:a.pt)"},
		{3, "3 files still being written, left for the next sync (c1:a.pt, c1:b.pt, c2:c.pt)"},
		{4, "4 files still being written, left for the next sync (c1:a.pt, c1:b.pt, c2:c.pt and 1 more)"},
	}
	for _, c := range cases {
		if got := stillWritingNote(files[:c.n]); got != c.want {
			t.Errorf("stillWritingNote(%d files) = %q, want %q", c.n, got, c.want)
		}
	}
	if s := files[0].String(); !strings.HasPrefix(s, "still being written on c1: a.pt") {
		t.Errorf("String() = %q", s)
	}
}
