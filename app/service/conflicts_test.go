package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/sync/engine"
)

var (
	kept      = "nas:~/mlcomp/.filesync/versions/20261202-031500-run7/data/proj/conf.txt"
	aConflict = service.Conflict{Project: "proj", Path: "data/proj/conf.txt",
		Winner: service.Version{Computer: "here", Size: 1200, MTime: 1764645300},
		Losers: []service.Version{{Computer: "nas", Size: 900, MTime: 1764645000, Kept: kept}, {Computer: "gpu-2", Size: 5, MTime: 1764600000}}}
	aHalt = service.Halt{Computer: "nas", Project: "proj", Reason: "nas: its folder data/proj is missing while its last agreed state held 1,000 files"}
)

func TestSync_StoresTheRunsConflictsAndHaltsBeforeItsEnd(t *testing.T) {
	f := twoLocal(t)
	f.Engine.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		res := servicetest.AllOK(a)
		res.Conflicts, res.Halts = []service.Conflict{aConflict}, []service.Halt{aHalt}
		return res
	}
	sub := f.Service.Events(service.RunFinished)
	defer sub.Close()
	if _, err := f.Service.Start(context.Background(), service.Request{Kind: service.SyncAll}); err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub, service.RunFinished)
	run, err := f.Service.RunDetail(ev.RunID)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, halts := service.StoredConflicts(run)
	if !reflect.DeepEqual(conflicts, ev.Run.Conflicts) || !reflect.DeepEqual(halts, ev.Run.Halts) {
		t.Errorf("when RunFinished arrived the history held\n%+v\n%+v\nwant\n%+v\n%+v", conflicts, halts, ev.Run.Conflicts, ev.Run.Halts)
	}
}

func TestConflictSummary_CountsConflictsAndNamesWhereOlderCopiesAreKept(t *testing.T) {
	other := service.Conflict{Project: "proj", Path: "b", Losers: []service.Version{
		{Computer: "nas", Kept: "nas:~/mlcomp/.filesync/versions/20261202-031500-run7/b"},
		{Computer: "gpu-2", Kept: "gpu-2:/srv/m/.filesync/versions/20261202-031500-run7/b"}}}
	unkept := service.Conflict{Project: "proj", Path: "c", Losers: []service.Version{{Computer: "nas"}}}
	for _, tc := range []struct {
		conflicts []service.Conflict
		want      string
	}{
		{nil, ""},
		{[]service.Conflict{unkept}, "1 conflict — 1 overwritten file not kept"},
		{[]service.Conflict{other}, "1 conflict — older copies kept in nas:~/mlcomp/.filesync/versions/20261202-031500-run7, " +
			"gpu-2:/srv/m/.filesync/versions/20261202-031500-run7"},
		{[]service.Conflict{aConflict, other, unkept}, "3 conflicts — older copies kept in nas:~/mlcomp/.filesync/versions/20261202-031500-run7, " +
			"gpu-2:/srv/m/.filesync/versions/20261202-031500-run7; 2 overwritten files not kept"},
		{[]service.Conflict{{Project: "proj", Path: "d"}}, "1 conflict"},
	} {
		if got := service.ConflictSummary(tc.conflicts); got != tc.want {
			t.Errorf("ConflictSummary(%d conflicts) = %q\nwant %q", len(tc.conflicts), got, tc.want)
		}
	}
}

func TestHaltSummary_ListsEachProjectAndComputer(t *testing.T) {
	for _, tc := range []struct {
		halts []service.Halt
		want  string
	}{
		{nil, ""},
		{[]service.Halt{aHalt}, "1 project held back: proj on nas"},
		{[]service.Halt{aHalt, {Computer: "gpu-2", Project: "q"}}, "2 projects held back: proj on nas, q on gpu-2"},
	} {
		if got := service.HaltSummary(tc.halts); got != tc.want {
			t.Errorf("HaltSummary(%+v) = %q, want %q", tc.halts, got, tc.want)
		}
	}
}

func TestConflictReport_SaysWhichCopyWonWhereEachOlderOneIsKeptAndWhatWasHeldBack(t *testing.T) {
	local := func(unix int64) string { return time.Unix(unix, 0).Local().Format(time.DateTime) }
	for _, tc := range []struct {
		name      string
		conflicts []service.Conflict
		halts     []service.Halt
		want      string
	}{
		{"neither", nil, nil, ""},
		{"both", []service.Conflict{aConflict}, []service.Halt{aHalt},
			"1 conflict — older copies kept in nas:~/mlcomp/.filesync/versions/20261202-031500-run7; 1 overwritten file not kept\n" +
				"  data/proj/conf.txt (project proj): here's copy (modified " + local(1764645300) + ", 1.2 kB) won\n" +
				"    nas's copy (modified " + local(1764645000) + ", 900 B): kept in " + kept + "\n" +
				"    gpu-2's copy (modified " + local(1764600000) + ", 5 B): not kept\n" +
				"1 project held back: proj on nas\n" +
				"  project proj: " + aHalt.Reason + "\n"},
		{"halts only", nil, []service.Halt{aHalt}, "1 project held back: proj on nas\n  project proj: " + aHalt.Reason + "\n"},
	} {
		if got := service.ConflictReport(tc.conflicts, tc.halts); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
