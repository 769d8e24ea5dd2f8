package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/sync/engine"
)

var (
	aConflict = service.Conflict{Project: "proj", Path: "data/proj/conf.txt",
		Winner: service.Version{Computer: "here", Size: 1200, MTime: 1764645300},
		Losers: []service.Version{{Computer: "nas", Size: 900, MTime: 1764645000,
			Kept: "nas:~/mlcomp/.filesync/versions/20261202-031500-run7/data/proj/conf.txt"}}}
	aHalt = service.Halt{Computer: "nas", Project: "other", Reason: "nas: its folder data/other is missing"}
)

func localTime(unix int64) string { return time.Unix(unix, 0).Local().Format(time.DateTime) }

// conflictLines is how sync and history show aConflict and aHalt.
func conflictLines() string {
	return "1 conflict — older copies kept in nas:~/mlcomp/.filesync/versions/20261202-031500-run7\n" +
		"  data/proj/conf.txt (project proj): here's copy (modified " + localTime(1764645300) + ", 1.2 kB) won\n" +
		"    nas's copy (modified " + localTime(1764645000) + ", 900 B): kept in nas:~/mlcomp/.filesync/versions/20261202-031500-run7/data/proj/conf.txt\n" +
		"1 project held back: other on nas\n" +
		"  project other: nas: its folder data/other is missing\n"
}

func TestPrintResult_ListsConflictsAndHaltsAfterTheSummary(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  service.Result
		want string
	}{
		{"none", service.Result{Status: service.StatusOK, Summary: "all computers ok"}, "ok: all computers ok; 0 files, 0 B in 0s\n"},
		{"some", service.Result{Status: service.StatusOK, Summary: "all computers ok",
			Conflicts: []service.Conflict{aConflict}, Halts: []service.Halt{aHalt}},
			"ok: all computers ok; 0 files, 0 B in 0s\n" + conflictLines()},
	} {
		var out bytes.Buffer
		(&appContext{stdout: &out}).printResult(tc.res)
		if out.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, out.String(), tc.want)
		}
	}
}

func TestResultView_HasConflictsAndHaltsArrays(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  service.Result
		want string
	}{
		{"none", service.Result{}, `"conflicts":[],"halts":[]`},
		{"some", service.Result{Conflicts: []service.Conflict{aConflict}, Halts: []service.Halt{aHalt}},
			`"conflicts":[{"project":"proj","path":"data/proj/conf.txt","winner":{"computer":"here","size":1200,"mtime":1764645300},` +
				`"losers":[{"computer":"nas","size":900,"mtime":1764645000,"kept":"nas:~/mlcomp/.filesync/versions/20261202-031500-run7/data/proj/conf.txt"}]}],` +
				`"halts":[{"computer":"nas","project":"other","reason":"nas: its folder data/other is missing"}]`},
	} {
		encoded, err := json.Marshal(resultView(tc.res))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(encoded), tc.want) {
			t.Errorf("%s: %s\nlacks %s", tc.name, encoded, tc.want)
		}
	}
}

func TestShowRun_ListsTheRunsConflictsAndHalts(t *testing.T) {
	f := servicetest.New(t)
	f.AddLocal(t, "here")
	f.AddLocal(t, "nas")
	f.AddProject(t, "proj")
	f.Engine.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		res := servicetest.AllOK(a)
		res.Conflicts, res.Halts = []service.Conflict{aConflict}, []service.Halt{aHalt}
		return res
	}
	res, err := f.Service.Sync(context.Background(), service.Request{Kind: service.SyncAll})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := (&appContext{stdout: &out}).showRun(f.Service, strconv.FormatUint(uint64(res.RunID), 10), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\n"+conflictLines()) {
		t.Errorf("history of the run:\n%s\nlacks\n%s", out.String(), conflictLines())
	}
}
