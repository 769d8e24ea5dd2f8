package engine

import (
	"testing"
	"time"

	"filesync/sync/rsync"
)

// TestTransferProgress_FoldsTheLegsOfARelay feeds the reports of a relay of a 5 MiB and a
// 30 MiB file, each leg one rsync. The folded progress never falls back, gives each leg
// half, counts the bytes of both legs, and adds to the first leg's time left the time the
// second should take.
func TestTransferProgress_FoldsTheLegsOfARelay(t *testing.T) {
	const mib = 1 << 20
	leg := []string{ // one a second
		"              0   0%    0.00kB/s    0:00:00 (xfr#0, to-chk=2/4)",
		"      5,242,880  14%    4.47MB/s    0:00:01 (xfr#1, to-chk=1/4)",
		"     20,971,520  57%    7.84MB/s    0:00:02  ",
		"     36,700,160 100%    7.93MB/s    0:00:04 (xfr#2, to-chk=0/4)",
	}
	want := []rsync.Progress{
		// into the stage: half of the relay; 3 s into the leg with 2 s left, the second leg
		// should take 3+2 s more, so 7 s in all
		{ETA: rsync.UnknownETA},
		{Bytes: 5242880, Percent: 7, Rate: 4.47 * mib, ETA: rsync.UnknownETA},
		{Bytes: 20971520, Percent: 28, Rate: 7.84 * mib, ETA: 7 * time.Second},
		{Bytes: 36700160, Percent: 50, Rate: 7.93 * mib, ETA: rsync.UnknownETA},
		// out of the stage: the second half, rsync's time left as is
		{Bytes: 36700160, Percent: 50, ETA: rsync.UnknownETA},
		{Bytes: 41943040, Percent: 57, Rate: 4.47 * mib, ETA: rsync.UnknownETA},
		{Bytes: 57671680, Percent: 78, Rate: 7.84 * mib, ETA: 2 * time.Second},
		{Bytes: 73400320, Percent: 99, Rate: 7.93 * mib, ETA: rsync.UnknownETA}, // 100 only once the transfer has ended
	}
	t0 := time.Unix(1_700_000_000, 0)
	tp := newTransferProgress(2, t0)
	var got []rsync.Progress
	now := t0
	for _, legStart := range []bool{false, true} {
		if legStart {
			tp.nextLeg(now)
		}
		for _, line := range leg {
			now = now.Add(time.Second)
			p, ok := rsync.ParseProgress(line)
			if !ok {
				t.Fatalf("not a report: %q", line)
			}
			got = append(got, tp.report(p, now))
		}
	}
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || got[i] != want[i] {
			t.Errorf("report %d: got %+v, want %+v", i, at(got, i), at(want, i))
		}
	}
	if end := tp.done(); end != (rsync.Progress{Bytes: 73400320, Percent: 100, Rate: 7.93 * mib}) {
		t.Errorf("done = %+v, want 100 %% of both legs' bytes, no time left", end)
	}
}

func at(ps []rsync.Progress, i int) any {
	if i < len(ps) {
		return ps[i]
	}
	return "nothing"
}
