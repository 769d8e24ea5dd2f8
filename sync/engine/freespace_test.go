package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/probe"
	"filesync/sync/testfiles"
)

func TestRoomFor_RefusesWhatWouldLeaveLessThanTheShareToKeepFree(t *testing.T) {
	const mb = 1_000_000
	disk := int64(20 * mb) // 5 % of it is 1 MB
	for _, tc := range []struct {
		name    string
		needed  int64
		space   probe.Space
		percent float64
		want    []string // in the error; none: it fits
	}{
		{"fits with room to spare", 5 * mb, probe.Space{Free: 18 * mb, Total: disk}, 5, nil},
		{"leaves exactly 5 %", 17 * mb, probe.Space{Free: 18 * mb, Total: disk}, 5, nil},
		{"leaves one byte under 5 %", 17*mb + 1, probe.Space{Free: 18 * mb, Total: disk}, 5,
			[]string{"small: not enough free space in /mnt/small/root", "needs 17.0 MB and 18.0 MB is free", "keeping 5 % of the 20.0 MB disk free", "filesync versions prune"}},
		{"more than is free", 52_400_000, probe.Space{Free: 18_100_000, Total: disk}, 5,
			[]string{"small:", "/mnt/small/root", "needs 52.4 MB and 18.1 MB is free", "keeping 5 % of the 20.0 MB disk free"}},
		{"nothing to send to a full disk", 0, probe.Space{Free: 0, Total: disk}, 5, nil},
		{"another share", 10 * mb, probe.Space{Free: 18 * mb, Total: disk}, 50,
			[]string{"needs 10.0 MB and 18.0 MB is free", "keeping 50 % of the 20.0 MB disk free"}},
		{"disk size unknown: only what is free counts", 18 * mb, probe.Space{Free: 18 * mb}, 5, nil},
		{"disk size unknown, more than is free", 18*mb + 1, probe.Space{Free: 18 * mb}, 5,
			[]string{"needs 18.0 MB and 18.0 MB is free;"}},
		{"size unknown, disk has its share free", unknownSize, probe.Space{Free: 1 * mb, Total: disk}, 5, nil},
		{"size unknown, disk just under its share", unknownSize, probe.Space{Free: 1*mb - 1, Total: disk}, 5, []string{"small:"}},
		{"size unknown, disk under its share", unknownSize, probe.Space{Free: mb / 2, Total: disk}, 5,
			[]string{"small: not enough free space in /mnt/small/root: 500.0 kB is free, less than the 1.0 MB (5 % of the 20.0 MB disk) a transfer must leave free", "filesync versions prune"}},
		{"size unknown, disk size unknown", unknownSize, probe.Space{Free: 0}, 5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := roomFor("small", "/mnt/small/root", tc.needed, tc.space, tc.percent)
			switch {
			case len(tc.want) == 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case len(tc.want) > 0 && err == nil:
				t.Fatalf("let through; want a refusal saying %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
}

// TestRun_PlannedRefusesADestinationWithoutRoomAndGoesOnWithTheOthers: with every disk
// too small (keep 100 % free), the destination that would receive a file is failed before
// anything is written there; one that only loses a file (nothing to write) goes ahead.
func TestRun_PlannedRefusesADestinationWithoutRoomAndGoesOnWithTheOthers(t *testing.T) {
	a, b, c := localPC(t, "a"), localPC(t, "b"), localPC(t, "c")
	testfiles.Write(t, filepath.Join(a.Root, "data/P/big"), strings.Repeat("x", 4096))
	testfiles.Write(t, filepath.Join(c.Root, "data/P/old"), "old")
	for _, pc := range []fleet.Computer{a, b} {
		if err := os.MkdirAll(pc.Root, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	project := fleet.Project{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge, Deletes: fleet.Propagate}
	act := Action{Kind: SyncAll, Computers: []fleet.Computer{a, b, c}, Projects: []fleet.Project{project}, Versions: "v1"}
	pl := index.Plan{
		Deliveries: []index.Delivery{
			{To: "b", Bytes: 4096, Files: 1, Changes: []index.Change{{Project: "P", Path: "data/P/big", From: "a", Size: 4096, New: true}}},
			{To: "c", Deletes: 1, Changes: []index.Change{{Project: "P", Path: "data/P/old", From: "a", Delete: true}}},
		},
		Conflicts: []index.Conflict{{Project: "P", Path: "data/P/big", Losers: []index.Version{{Computer: "b"}}}},
	}
	act.Planned = &pl
	for _, n := range []string{"a", "b", "c"} {
		act.Listed = append(act.Listed, ComputerResult{Name: n, Status: fleet.StatusOK})
	}
	res, events := runWith(t, Config{LockDir: t.TempDir(), KeepFreePercent: 100}, act)
	byName := map[string]ComputerResult{}
	for _, cr := range res.Computers {
		byName[cr.Name] = cr
	}
	if got := byName["b"]; got.Status != fleet.StatusFailed || !strings.Contains(got.Reason, "b: not enough free space in "+b.Root+": the transfer needs 4.1 kB and ") {
		t.Errorf("b: %s (%s), want failed for lack of space", got.Status, got.Reason)
	}
	for _, n := range []string{"a", "c"} {
		if got := byName[n]; got.Status != fleet.StatusOK {
			t.Errorf("%s: %s (%s), want ok", n, got.Status, got.Reason)
		}
	}
	if res.Status != fleet.StatusFailed || !strings.Contains(res.Summary, "not enough free space") {
		t.Errorf("run %s: %s; want failed, saying why", res.Status, res.Summary)
	}
	for _, tr := range res.Transfers {
		if tr.To == "b" {
			t.Errorf("a transfer to b ran: %+v", tr)
		}
	}
	if _, err := os.Stat(filepath.Join(b.Root, "data")); !os.IsNotExist(err) {
		t.Errorf("something was written to b: %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Root, "data/P/old")); !os.IsNotExist(err) {
		t.Errorf("c still holds the file deleted elsewhere: %v", err)
	}
	if len(res.Conflicts) != 0 {
		t.Errorf("the conflict lost on b counts as settled: %+v", res.Conflicts)
	}
	reported := false
	for _, ev := range events {
		reported = reported || ev.Kind == ComputerChecked && ev.Computer.Name == "b" && ev.Computer.Status == fleet.StatusFailed
	}
	if !reported {
		t.Error("no event reports b's refusal")
	}
}

// TestRun_PushRefusesADestinationUnderItsShareOfFreeSpace: a push's size is not known, so
// a destination is refused only when its disk already has less free than the share to
// keep; here no disk can have 100 % free.
func TestRun_PushRefusesADestinationUnderItsShareOfFreeSpace(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	testfiles.Write(t, filepath.Join(a.Root, "data/P/f"), "f")
	project := fleet.Project{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge}
	act := Action{Kind: Push, Target: "a", Computers: []fleet.Computer{a, b}, Projects: []fleet.Project{project}}
	res, _ := runWith(t, Config{LockDir: t.TempDir(), KeepFreePercent: 100}, act)
	if len(res.Computers) != 2 || res.Computers[1].Status != fleet.StatusFailed ||
		!strings.Contains(res.Computers[1].Reason, "b: not enough free space in "+b.Root+": ") ||
		!strings.Contains(res.Computers[1].Reason, "(100 % of the") {
		t.Fatalf("computers %+v, want b failed for lack of space", res.Computers)
	}
	if res.Computers[0].Status != fleet.StatusOK || len(res.Transfers) != 0 {
		t.Errorf("a: %s, %d transfers; want ok and none", res.Computers[0].Status, len(res.Transfers))
	}
	if _, err := os.Stat(filepath.Join(b.Root, "data")); !os.IsNotExist(err) {
		t.Errorf("something was written to b: %v", err)
	}
	res, _ = run(t, act)
	if res.Status != fleet.StatusOK {
		t.Errorf("with the default share: %s (%s), want ok", res.Status, res.Summary)
	}
}
