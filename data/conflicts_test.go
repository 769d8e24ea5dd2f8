package data

import (
	"errors"
	"reflect"
	"testing"

	"filesync/sync/fleet"
)

func mustStartRun(t *testing.T, store *Store) Run {
	t.Helper()
	run, err := store.StartRun(fleet.TriggerSync, "all")
	if err != nil {
		t.Fatal(err)
	}
	return *run
}

func TestAddConflictsAndHalts_RunDetailListsThemInTheOrderGiven(t *testing.T) {
	store := openTemp(t)
	run, other := mustStartRun(t, store), mustStartRun(t, store)
	conflicts := []RunConflict{
		{Project: "p", Path: "data/p/z.txt", Winner: "gpu-1", WinnerSize: 10, WinnerMTime: 1764645300, Losers: []ConflictLoser{
			{Computer: "gpu-2", Size: 9, MTime: 1764645000, Kept: "gpu-2:~/mlcomp/.filesync/versions/r7/data/p/z.txt"},
			{Computer: "nas", Size: 8, MTime: 1764644000},
		}},
		{Project: "p", Path: "data/p/a.txt", Winner: "nas", Losers: []ConflictLoser{{Computer: "gpu-1"}}},
	}
	halts := []RunHalt{
		{Computer: "nas", Project: "p", Reason: "its folder data/p is missing"},
		{Computer: "gpu-2", Project: "q", Reason: "deletions skipped"},
	}
	if err := store.AddConflictsAndHalts(run.ID, conflicts, halts); err != nil {
		t.Fatal(err)
	}
	if err := store.AddConflictsAndHalts(other.ID, []RunConflict{{Project: "x", Path: "x"}}, nil); err != nil {
		t.Fatal(err)
	}

	got, err := store.RunDetail(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Conflicts, conflicts) {
		t.Errorf("conflicts %+v\nwant %+v", got.Conflicts, conflicts)
	}
	if !reflect.DeepEqual(got.Halts, halts) {
		t.Errorf("halts %+v\nwant %+v", got.Halts, halts)
	}
}

func TestAddConflictsAndHalts_OfAnUnknownRunSavesNothing(t *testing.T) {
	store := openTemp(t)
	run := mustStartRun(t, store)
	for _, tc := range []struct {
		name      string
		conflicts []RunConflict
		halts     []RunHalt
	}{
		{"conflicts", []RunConflict{{Project: "p", Path: "a"}}, nil},
		{"halts", nil, []RunHalt{{Computer: "nas", Project: "p"}}},
		{"both", []RunConflict{{Project: "p", Path: "a"}}, []RunHalt{{Computer: "nas", Project: "p"}}},
	} {
		err := store.AddConflictsAndHalts(run.ID+100, tc.conflicts, tc.halts)
		var notFound *NotFoundError
		if !errors.As(err, &notFound) {
			t.Errorf("%s of an unknown run: %v, want a NotFoundError", tc.name, err)
		}
	}
	var conflicts, halts int64
	store.db.Model(&RunConflict{}).Count(&conflicts)
	store.db.Model(&RunHalt{}).Count(&halts)
	if conflicts != 0 || halts != 0 {
		t.Errorf("stored %d conflicts and %d halts, want none", conflicts, halts)
	}
}

func TestDeletingARun_DeletesItsConflictsAndHalts(t *testing.T) {
	store := openTemp(t)
	run, kept := mustStartRun(t, store), mustStartRun(t, store)
	for _, id := range []uint{run.ID, kept.ID} {
		if err := store.AddConflictsAndHalts(id, []RunConflict{{Project: "p", Path: "a"}}, []RunHalt{{Computer: "nas", Project: "p"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.db.Delete(&Run{}, run.ID).Error; err != nil {
		t.Fatal(err)
	}
	for _, model := range []any{&RunConflict{}, &RunHalt{}} {
		var left []uint
		store.db.Model(model).Pluck("run_id", &left)
		if !reflect.DeepEqual(left, []uint{kept.ID}) {
			t.Errorf("%T rows left belong to runs %v, want only %d", model, left, kept.ID)
		}
	}
}
