package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/listing"
	"filesync/sync/testfiles"
	"filesync/sync/transfer"
)

// planned lists a's computers and plans a from the listings, as the app does.
func planned(t *testing.T, a Action) Action {
	t.Helper()
	var projects []index.Project
	var all []folders.Folder
	for _, p := range a.Projects {
		res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
		if err != nil {
			t.Fatal(err)
		}
		projects = append(projects, index.Project{Name: p.Name, Folders: res.Folders, Propagate: p.Deletes == fleet.Propagate})
		all = append(all, res.Folders...)
	}
	var members []index.Member
	for _, c := range a.Computers {
		l, err := listing.List(context.Background(), c, all, transfer.Env{}, listing.Timeouts{IO: 10 * time.Second, Answer: 10 * time.Second}, nil)
		members = append(members, index.Member{Name: c.Name, ReceiveOnly: c.ReceiveOnly, Listing: l, Err: err})
		cr := ComputerResult{Name: c.Name, Status: fleet.StatusOK}
		if err != nil {
			cr.Status, cr.Reason = fleet.StatusFailed, err.Error()
		}
		a.Listed = append(a.Listed, cr)
	}
	ix := index.Build(members, projects)
	pl := ix.SyncAll(a.Force)
	if a.Kind == SyncComputer {
		pl, _ = ix.SyncComputer(a.Target, a.Force)
	}
	a.Planned = &pl
	return a
}

// TestRun_PlannedDeletionMovesAFolderIntoVersionsInOneLogLine: a folder deleted as a whole
// is one change; the log names the folder once, its files sit in the versions folder.
func TestRun_PlannedDeletionMovesAFolderIntoVersionsInOneLogLine(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	testfiles.Write(t, filepath.Join(a.Root, "data/P/keep"), "k")
	for _, root := range []string{a.Root, b.Root} {
		for i := range 50 {
			testfiles.Write(t, filepath.Join(root, "data/P/shards", "s"+strings.Repeat("x", i)), "s")
		}
	}
	testfiles.Write(t, filepath.Join(b.Root, "data/P/keep"), "k")
	project := fleet.Project{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge, Deletes: fleet.Propagate}
	first := planned(t, Action{Kind: SyncAll, Computers: []fleet.Computer{a, b}, Projects: []fleet.Project{project}})
	if len(first.Planned.Deliveries[0].Changes)+len(first.Planned.Deliveries[1].Changes) != 0 {
		t.Fatalf("the two computers should start identical: %+v", first.Planned.Deliveries)
	}
	if err := os.RemoveAll(filepath.Join(a.Root, "data/P/shards")); err != nil {
		t.Fatal(err)
	}
	act := Action{Kind: SyncAll, Computers: []fleet.Computer{a, b}, Projects: []fleet.Project{project}, Versions: "v1"}
	pl := index.Plan{Deliveries: []index.Delivery{{To: "b", Changes: []index.Change{
		{Project: "P", Path: "data/P/shards", From: "a", Delete: true, Folder: true, Files: 50}}}}}
	act.Planned, act.Listed = &pl, []ComputerResult{{Name: "a", Status: fleet.StatusOK}, {Name: "b", Status: fleet.StatusOK}}
	res, events := run(t, act)
	if res.Status != fleet.StatusOK || len(res.Transfers) != 1 {
		t.Fatalf("result %s: %s, %d transfers", res.Status, res.Summary, len(res.Transfers))
	}
	if _, err := os.Stat(filepath.Join(b.Root, "data/P/shards")); !os.IsNotExist(err) {
		t.Errorf("b still holds the deleted folder: %v", err)
	}
	if n := countFiles(t, filepath.Join(b.Root, ".filesync/versions/v1/data/P/shards")); n != 50 {
		t.Errorf("b's versions hold %d of the 50 deleted files", n)
	}
	deleting := 0
	for _, ev := range events {
		if ev.Kind == Output && strings.HasPrefix(ev.Line, "*deleting") {
			deleting++
		}
	}
	if deleting != 1 {
		t.Errorf("%d *deleting lines in the log, want 1 (the folder)", deleting)
	}
}

// TestRun_PlannedFileChangedSinceTheListingIsNotOverwrittenAndSaidSo: a destination's copy
// written after the listing, newer than the planned one, is kept (rsync --update), and the
// log says the file was not sent and why.
func TestRun_PlannedFileChangedSinceTheListingIsNotOverwrittenAndSaidSo(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	old := time.Now().Add(-time.Hour)
	testfiles.Write(t, filepath.Join(a.Root, "data/P/x"), "from a")
	if err := os.Chtimes(filepath.Join(a.Root, "data/P/x"), old, old); err != nil {
		t.Fatal(err)
	}
	testfiles.Write(t, filepath.Join(a.Root, "data/P/y"), "from a")
	act := planned(t, Action{Kind: SyncAll, Computers: []fleet.Computer{a, b}, Versions: "v1",
		Projects: []fleet.Project{{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge}}})
	testfiles.Write(t, filepath.Join(b.Root, "data/P/x"), "written on b after the listing")
	res, events := run(t, act)
	if res.Status != fleet.StatusOK {
		t.Fatalf("result %s: %s", res.Status, res.Summary)
	}
	if got := testfiles.Read(t, filepath.Join(b.Root, "data/P/x")); got != "written on b after the listing" {
		t.Errorf("b's newer x was overwritten: %q", got)
	}
	said := false
	for _, ev := range events {
		said = said || ev.Kind == Output && ev.LineKind == LineProblem && strings.HasPrefix(ev.Line, "1 of the 2 files planned were not sent")
	}
	if !said {
		t.Error("the log does not say that a planned file was not sent")
	}
}

// TestRun_PlannedLargeFilesManyNeedGoThroughARelayTree: a 65 MiB checkpoint that four
// computers lack reaches them all in three rounds, one of them from a computer that
// received it first: a→b; a→c, b→d; a→e.
func TestRun_PlannedLargeFilesManyNeedGoThroughARelayTree(t *testing.T) {
	cs := []fleet.Computer{localPC(t, "a"), localPC(t, "b"), localPC(t, "c"), localPC(t, "d"), localPC(t, "e")}
	big := filepath.Join(cs[0].Root, "models/P/ckpt.pt")
	testfiles.Write(t, big, "")
	if err := os.Truncate(big, fanOutBytes+1<<20); err != nil {
		t.Fatal(err)
	}
	act := planned(t, Action{Kind: SyncAll, Computers: cs, Projects: []fleet.Project{{Name: "P", Mode: fleet.Merge}}})
	res, _ := runWith(t, Config{LockDir: t.TempDir(), IOTimeout: 30 * time.Second, Env: transfer.Env{Agent: true}}, act)
	if res.Status != fleet.StatusOK || len(res.Transfers) != 4 {
		t.Fatalf("result %s: %s; %d transfers, want 4", res.Status, res.Summary, len(res.Transfers))
	}
	fromReceivers := 0
	for _, tr := range res.Transfers {
		if tr.From != "a" {
			fromReceivers++
		}
	}
	if fromReceivers != 1 {
		t.Errorf("%d transfers from computers that received the file first, want 1 (a→b; a→c, b→d; a→e)", fromReceivers)
	}
	for _, c := range cs[1:] {
		if info, err := os.Stat(filepath.Join(c.Root, "models/P/ckpt.pt")); err != nil || info.Size() != fanOutBytes+1<<20 {
			t.Errorf("%s: %v, want the whole checkpoint", c.Name, err)
		}
	}
}

func TestSettled_KeepsOnlyTheLosersThatWereOverwritten(t *testing.T) {
	conflicts := []index.Conflict{
		{Path: "a", Losers: []index.Version{{Computer: "ok"}, {Computer: "down"}}},
		{Path: "b", Losers: []index.Version{{Computer: "down"}}},
	}
	got := settled(conflicts, []TransferResult{
		{TransferInfo: TransferInfo{From: "w", To: "ok"}}, {TransferInfo: TransferInfo{From: "w", To: "down"}, Error: "w → down: exit 11"},
		{TransferInfo: TransferInfo{From: "x", To: "down"}},
	}, nil)
	if len(got) != 1 || got[0].Path != "a" || len(got[0].Losers) != 1 || got[0].Losers[0].Computer != "ok" {
		t.Errorf("settled %+v, want a, lost on ok alone", got)
	}
	if len(conflicts[0].Losers) != 2 {
		t.Error("settled changed the plan's conflicts")
	}
}
