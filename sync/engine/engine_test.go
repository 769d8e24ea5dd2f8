package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/rsync"
	"filesync/sync/testfiles"
	"filesync/sync/transfer"
)

func localPC(t *testing.T, name string) fleet.Computer {
	return fleet.Computer{Name: name, Local: true, Enabled: true, Root: filepath.Join(t.TempDir(), name)}
}

// run performs a with a fresh engine and returns the result and every event, in order.
func run(t *testing.T, a Action) (Result, []Event) {
	t.Helper()
	return runWith(t, Config{LockDir: t.TempDir(), Backoff: time.Millisecond, IOTimeout: 10 * time.Second}, a)
}

// runWith is run with an engine of cfg.
func runWith(t *testing.T, cfg Config, a Action) (Result, []Event) {
	t.Helper()
	e := New(cfg)
	events := make(chan Event)
	var got []Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			got = append(got, ev)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res := e.Run(ctx, a, events)
	close(events)
	<-done
	return res, got
}

func kinds(events []Event) []EventKind {
	var k []EventKind
	for _, ev := range events {
		k = append(k, ev.Kind)
	}
	return k
}

// TestRun_SyncAllOverTwoLocalComputers runs a real Sync all between two folders of this
// machine: both end with the union, and the events tell the story in order.
func TestRun_SyncAllOverTwoLocalComputers(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	testfiles.Write(t, filepath.Join(a.Root, "data/P/from a.txt"), "a")
	testfiles.Write(t, filepath.Join(b.Root, "data/P/sub/from-b.txt"), "b")
	testfiles.Write(t, filepath.Join(b.Root, "data/Other/not synced"), "other project")
	res, events := run(t, planned(t, Action{
		Kind: SyncAll, Computers: []fleet.Computer{a, b}, RunID: 42,
		Projects: []fleet.Project{{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge}},
	}))

	if res.Status != fleet.StatusOK || res.Summary != "2/2 computers ok" || res.Failed() {
		t.Fatalf("result %s: %s", res.Status, res.Summary)
	}
	for _, root := range []string{a.Root, b.Root} {
		if testfiles.Read(t, filepath.Join(root, "data/P/from a.txt")) != "a" || testfiles.Read(t, filepath.Join(root, "data/P/sub/from-b.txt")) != "b" {
			t.Errorf("%s does not hold the union", root)
		}
	}
	if _, err := os.Stat(filepath.Join(a.Root, "data/Other")); err == nil {
		t.Errorf("a folder of no project was copied")
	}
	if len(res.Transfers) != 2 {
		t.Fatalf("transfers %+v, want b→a and a→b", res.Transfers)
	}
	for i, want := range [][2]string{{"b", "a"}, {"a", "b"}} {
		tr := res.Transfers[i]
		if tr.From != want[0] || tr.To != want[1] || tr.Index != i+1 || tr.Error != "" || tr.Tries != 1 || tr.ExitCode != 0 || tr.Files != 1 {
			t.Errorf("transfer %d = %+v, want %s → %s, one try, one file", i+1, tr, want[0], want[1])
		}
		if len(tr.Projects) != 1 || tr.Projects[0] != "P" || len(tr.Folders) != 1 || tr.Folders[0] != "data/P" {
			t.Errorf("transfer %d copies projects %q, folders %q; want P, data/P", i+1, tr.Projects, tr.Folders)
		}
		if !strings.HasPrefix(tr.Command, "rsync ") || !strings.Contains(tr.Command, " -- ") {
			t.Errorf("transfer command %q", tr.Command)
		}
	}
	if res.Files != 2 || res.RunID != 42 {
		t.Errorf("files %d run %d", res.Files, res.RunID)
	}
	for _, c := range res.Computers {
		if c.Status != fleet.StatusOK {
			t.Errorf("computer %+v", c)
		}
	}

	// Events: both computers, then per transfer Queued, Started, Output…, Finished; RunFinished last.
	k := kinds(events)
	if len(k) < 8 || k[0] != ComputerChecked || k[1] != ComputerChecked {
		t.Fatalf("events %v should start with two ComputerChecked", k)
	}
	if last := events[len(events)-1]; last.Kind != RunFinished || last.Run == nil || last.Run.Summary != res.Summary {
		t.Errorf("last event %+v, want RunFinished with the result", last)
	}
	for _, ev := range events {
		if ev.RunID != 42 || ev.Time.IsZero() {
			t.Errorf("event %s lacks its run id or time", ev.Kind)
		}
	}
	for index := 1; index <= 2; index++ {
		var seq []EventKind
		var outputs int
		for _, ev := range events {
			if ev.Transfer.Index != index || ev.Kind == ComputerChecked || ev.Kind == RunFinished {
				continue
			}
			switch ev.Kind {
			case Output:
				outputs++
				continue
			case Progress:
				continue
			case Finished:
				if ev.Result == nil || ev.Result.Error != "" {
					t.Errorf("transfer %d finished with %+v", index, ev.Result)
				}
			}
			seq = append(seq, ev.Kind)
		}
		if want := []EventKind{Queued, Started, Finished}; !slices.Equal(seq, want) {
			t.Errorf("transfer %d events %v, want %v (outputs between)", index, seq, want)
		}
		if outputs == 0 {
			t.Errorf("transfer %d printed no output", index)
		}
	}
	for i, ev := range events {
		if ev.Kind == Output || ev.Kind == Progress {
			started, finished := false, false
			for _, before := range events[:i] {
				if before.Transfer.Index == ev.Transfer.Index {
					started = started || before.Kind == Started
					finished = finished || before.Kind == Finished
				}
			}
			if !started || finished {
				t.Errorf("event %d (%s %q) outside its transfer's Started…Finished", i, ev.Kind, ev.Line)
			}
		}
	}
}

// TestRun_BrokenComputerDoesNotBlockOthers: a computer whose root cannot be created is
// reported with its reason; the others still sync.
func TestRun_BrokenComputerDoesNotBlockOthers(t *testing.T) {
	a, b, c := localPC(t, "a"), localPC(t, "b"), localPC(t, "c")
	blocker := filepath.Join(t.TempDir(), "file")
	testfiles.Write(t, blocker, "")
	c.Root = filepath.Join(blocker, "root")
	testfiles.Write(t, filepath.Join(a.Root, "data/P/x"), "x")
	res, _ := run(t, planned(t, Action{Kind: SyncAll, Computers: []fleet.Computer{a, b, c},
		Projects: []fleet.Project{{Name: "P", Mode: fleet.Merge}}}))
	if res.Status != fleet.StatusFailed || !strings.HasPrefix(res.Summary, "2/3 computers ok; c: listing failed") {
		t.Errorf("result %s: %s", res.Status, res.Summary)
	}
	if testfiles.Read(t, filepath.Join(b.Root, "data/P/x")) != "x" {
		t.Errorf("b did not get a's file")
	}
	for _, cr := range res.Computers {
		if (cr.Name == "c") == (cr.Status == fleet.StatusOK) {
			t.Errorf("computer %+v", cr)
		}
	}
}

func TestRun_PushFromUnusableTargetTransfersNothing(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	blocker := filepath.Join(t.TempDir(), "file")
	testfiles.Write(t, blocker, "")
	a.Root = filepath.Join(blocker, "root")
	res, _ := run(t, Action{Kind: Push, Target: "a", Computers: []fleet.Computer{a, b},
		Projects: []fleet.Project{{Name: "P"}}})
	if res.Status != fleet.StatusFailed || len(res.Transfers) != 0 || !strings.Contains(res.Summary, "a cannot take part, so nothing was transferred") {
		t.Errorf("result %s, %d transfers: %s", res.Status, len(res.Transfers), res.Summary)
	}
}

// mirrorFleet makes A with 2 files and B with the same 2 plus 10 that A lacks.
func mirrorFleet(t *testing.T) (fleet.Computer, fleet.Computer) {
	a, b := localPC(t, "a"), localPC(t, "b")
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"shared1", "shared2"} {
		for _, root := range []string{a.Root, b.Root} {
			p := filepath.Join(root, "data/P", name)
			testfiles.Write(t, p, name)
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < 10; i++ {
		testfiles.Write(t, filepath.Join(b.Root, "data/P", "extra"+string(rune('a'+i))), "only on b")
	}
	return a, b
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRun_MirrorGuardRefusesMassDeletionUnlessForced(t *testing.T) {
	project := fleet.Project{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Mirror}
	cases := []struct {
		name      string
		force     bool
		wantOK    bool
		wantErr   string
		wantFiles int
	}{
		{name: "refused", wantErr: "a → b: mirror would delete 10 of 12 files on b (more than half); nothing was deleted", wantFiles: 12},
		{name: "forced", force: true, wantOK: true, wantFiles: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := mirrorFleet(t)
			res, _ := run(t, Action{Kind: Push, Target: "a", Computers: []fleet.Computer{a, b},
				Projects: []fleet.Project{project}, Force: tc.force})
			if got := countFiles(t, filepath.Join(b.Root, "data/P")); got != tc.wantFiles {
				t.Errorf("b holds %d files, want %d", got, tc.wantFiles)
			}
			if len(res.Transfers) != 1 {
				t.Fatalf("transfers %+v", res.Transfers)
			}
			tr := res.Transfers[0]
			if tc.wantOK {
				if res.Status != fleet.StatusOK || tr.Error != "" {
					t.Errorf("result %s: %s; transfer error %q", res.Status, res.Summary, tr.Error)
				}
			} else {
				if res.Status != fleet.StatusFailed || !strings.Contains(tr.Error, tc.wantErr) {
					t.Errorf("result %s; transfer error %q, want %q", res.Status, tr.Error, tc.wantErr)
				}
				if !strings.Contains(res.Summary, "1/2 computers ok; ") || !strings.Contains(res.Summary, "mirror would delete") {
					t.Errorf("summary %q should blame b with the reason", res.Summary)
				}
			}
		})
	}
}

// TestRun_SyncAllNeverMirrors: a mirror project syncs as a merge in Sync all, so B's extra
// files survive and A receives them.
func TestRun_SyncAllNeverMirrors(t *testing.T) {
	a, b := mirrorFleet(t)
	res, _ := run(t, planned(t, Action{Kind: SyncAll, Computers: []fleet.Computer{a, b},
		Projects: []fleet.Project{{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Mirror}}}))
	if res.Status != fleet.StatusOK {
		t.Fatalf("result %s: %s", res.Status, res.Summary)
	}
	if na, nb := countFiles(t, filepath.Join(a.Root, "data/P")), countFiles(t, filepath.Join(b.Root, "data/P")); na != 12 || nb != 12 {
		t.Errorf("a holds %d files, b %d; want 12 each", na, nb)
	}
}

func TestRun_VersionsKeepOverwrittenFiles(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	testfiles.Write(t, filepath.Join(b.Root, "data/P/x"), "old")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(b.Root, "data/P/x"), old, old); err != nil {
		t.Fatal(err)
	}
	testfiles.Write(t, filepath.Join(a.Root, "data/P/x"), "new")
	res, _ := run(t, Action{Kind: Push, Target: "a", Computers: []fleet.Computer{a, b}, Versions: "v1",
		Projects: []fleet.Project{{Name: "P", SyncFolders: []string{"data"}, Versions: true}}})
	if res.Status != fleet.StatusOK {
		t.Fatalf("result %s: %s", res.Status, res.Summary)
	}
	if testfiles.Read(t, filepath.Join(b.Root, "data/P/x")) != "new" || testfiles.Read(t, filepath.Join(b.Root, ".filesync/versions/v1/data/P/x")) != "old" {
		t.Errorf("the overwritten file was not kept under .filesync/versions/v1")
	}
}

// TestExecute_RelayMirrorGuardCountsOnlyTheDestination runs a relayed mirror between two
// folders of this machine: the guard must judge the destination alone, not the stage's
// files too. B holds 8 files, none of them on A, so the mirror would delete all of B's.
func TestExecute_RelayMirrorGuardCountsOnlyTheDestination(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	stage := t.TempDir()
	for i := 0; i < 10; i++ {
		name := "from-a-" + string(rune('0'+i))
		testfiles.Write(t, filepath.Join(a.Root, "data/P", name), "a")
	}
	for i := 0; i < 8; i++ {
		testfiles.Write(t, filepath.Join(b.Root, "data/P", "only-b-"+string(rune('0'+i))), "b")
	}
	e := New(Config{LockDir: t.TempDir(), IOTimeout: 10 * time.Second})
	tj := transfer.Job{From: a, To: b, Folders: []folders.Folder{{Path: "data/P"}},
		Options: rsync.Options{Mode: fleet.Mirror, Timeout: 10 * time.Second}}
	j := job{info: tj, shown: TransferInfo{Index: 1, From: "a", To: "b", Folders: []string{"data/P"}},
		executor: transfer.Relay{Env: transfer.Env{StageDir: stage}}}
	res := e.execute(context.Background(), j, func(Event) {})
	if !strings.Contains(res.Error, "mirror would delete 8 of 8 files on b") {
		t.Errorf("error %q, want the guard to refuse deleting 8 of 8", res.Error)
	}
	if n := countFiles(t, filepath.Join(b.Root, "data/P")); n != 8 {
		t.Errorf("b holds %d files, want its 8 untouched", n)
	}
}
