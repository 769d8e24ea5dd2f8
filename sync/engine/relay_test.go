package engine

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
	"filesync/sync/testfleet"
	"filesync/sync/transfer"
)

// writeRandom writes size random bytes (nothing for rsync or ssh to squeeze) to path.
func writeRandom(t *testing.T, path string, size int) {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.NewChaCha8([32]byte{}).Read(data)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRun_RelayedTransferReportsProgressWhileDataMoves pushes 24 MiB from one test
// computer to another without an ssh agent, so through the relay stage here, at 8 MB/s:
// a small file and a big one, each leg about 3 s. The progress of the whole relay grows
// in both legs, never falls back, its ETA never drops faster than time passes, and it
// ends at 100 % with the bytes of both legs.
func TestRun_RelayedTransferReportsProgressWhileDataMoves(t *testing.T) {
	f := testfleet.Start(t, 2)
	var pcs []fleet.Computer
	for _, c := range f.Computers {
		pcs = append(pcs, fleet.Computer{Name: c.Name, Host: c.Host, Port: c.Port, User: f.User, Root: c.Root,
			Enabled: true, Identity: f.ClientKey, InsecureSkipHostKeyCheck: true, BWLimitKBps: 8000})
	}
	const small, big = 4 << 20, 20 << 20
	writeRandom(t, filepath.Join(pcs[0].Root, "data/P/small.bin"), small)
	writeRandom(t, filepath.Join(pcs[0].Root, "data/P/big.bin"), big)
	// No ControlDir: the sockets' paths under this test's long TempDir would be too long.
	env := transfer.Env{StageDir: t.TempDir(), SSH: sshcmd.Config{KnownHostsFile: filepath.Join(t.TempDir(), "known_hosts"),
		ConnectTimeout: 5 * time.Second}}
	res, events := runWith(t, Config{Env: env, LockDir: t.TempDir(), IOTimeout: 10 * time.Second}, Action{
		Kind: Push, Target: "c1", Computers: pcs,
		Projects: []fleet.Project{{Name: "P", SyncFolders: []string{"data"}, Mode: fleet.Merge}},
	})
	if res.Failed() || len(res.Transfers) != 1 || !strings.Contains(res.Transfers[0].Command, env.StageDir) {
		t.Fatalf("result %s: %s, transfers %+v; want one relayed transfer", res.Status, res.Summary, res.Transfers)
	}

	var progress []Event
	onward := -1 // index in progress of the first report of the second leg
	for _, ev := range events {
		switch {
		case ev.Kind == Output && ev.Stream == string(transfer.OnwardStream):
			onward = len(progress)
		case ev.Kind == Progress:
			progress = append(progress, ev)
		}
	}
	if onward < 1 || onward >= len(progress)-1 {
		t.Fatalf("%d progress reports, the second leg starting at %d: want reports in both legs", len(progress), onward)
	}
	moving := func(evs []Event, below int) bool {
		for _, ev := range evs {
			if ev.Progress.Bytes > 0 && ev.Progress.Percent > 0 && ev.Progress.Percent < below {
				return true
			}
		}
		return false
	}
	if !moving(progress[:onward], 50) || !moving(progress[onward:len(progress)-1], 100) {
		t.Errorf("no growing report in each leg before the end: %+v", progress)
	}
	if last := progress[len(progress)-1].Progress; last.Percent != 100 || last.Bytes != 2*(small+big) || last.ETA != 0 {
		t.Errorf("last report %+v, want 100 %% of %d bytes (both legs), no time left", last, 2*(small+big))
	}
	checkProgressNeverFallsBack(t, progress)
}

// checkProgressNeverFallsBack: bytes and percent never shrink, and a known ETA never
// drops by more than the time since the last known one (plus a little for the events'
// trip through the run's channel).
func checkProgressNeverFallsBack(t *testing.T, progress []Event) {
	t.Helper()
	const slack = 250 * time.Millisecond
	known := -1
	for i, ev := range progress {
		p := ev.Progress
		if i > 0 {
			if prev := progress[i-1].Progress; p.Bytes < prev.Bytes || p.Percent < prev.Percent {
				t.Errorf("report %d %+v falls back from %+v", i, p, prev)
			}
		}
		if p.ETA < 0 || p.Percent == 100 {
			continue
		}
		if known >= 0 {
			before := progress[known]
			if elapsed := ev.Time.Sub(before.Time); p.ETA < before.Progress.ETA-elapsed-slack {
				t.Errorf("report %d: ETA %s, %s after an ETA of %s", i, p.ETA, elapsed, before.Progress.ETA)
			}
		}
		known = i
	}
}
