package engine

import (
	"testing"
	"time"

	"filesync/sync/rsync"
)

// TestTransferProgress_FoldsPassesAndLegsOfARelay feeds the reports rsync 3.5 printed in a
// relay of a 5 MiB and a 30 MiB file: in each leg a main pass, then a resume pass for the
// big file. The folded progress never falls back, gives each leg half, counts the bytes
// of both legs, and adds to the first leg's time left the time the second should take.
func TestTransferProgress_FoldsPassesAndLegsOfARelay(t *testing.T) {
	const mib = 1 << 20
	leg := []string{ // one a second
		"              0   0%    0.00kB/s    0:00:00 (xfr#0, to-chk=2/4)",
		"      4,816,896  13%    4.50MB/s    0:00:06  ",
		"      5,242,880  14%    4.47MB/s    0:00:01 (xfr#1, to-chk=0/4)",
		"resume",
		"              0   0%    0.00kB/s    0:00:00 (xfr#0, to-chk=2/3)",
		"     15,728,640  50%    7.84MB/s    0:00:02  ",
		"     31,457,280 100%    7.93MB/s    0:00:03 (xfr#1, to-chk=0/3)",
	}
	want := []rsync.Progress{
		// into the stage: half of the relay; 2 s into the leg with 6 s left, the second leg
		// should take 2+6 s more, so 14 s in all
		{ETA: rsync.UnknownETA},
		{Bytes: 4816896, Percent: 6, Rate: 4.5 * mib, ETA: 14 * time.Second},
		{Bytes: 5242880, Percent: 7, Rate: 4.47 * mib, ETA: rsync.UnknownETA},
		{Bytes: 5242880, Percent: 7, ETA: rsync.UnknownETA}, // the resume pass starts from the main pass's 14 % of the leg
		{Bytes: 20971520, Percent: 28, Rate: 7.84 * mib, ETA: 10 * time.Second},
		{Bytes: 36700160, Percent: 50, Rate: 7.93 * mib, ETA: rsync.UnknownETA},
		// out of the stage: the second half, rsync's time left as is
		{Bytes: 36700160, Percent: 50, ETA: rsync.UnknownETA},
		{Bytes: 41517056, Percent: 56, Rate: 4.5 * mib, ETA: 6 * time.Second},
		{Bytes: 41943040, Percent: 57, Rate: 4.47 * mib, ETA: rsync.UnknownETA},
		{Bytes: 41943040, Percent: 57, ETA: rsync.UnknownETA},
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
			if line == "resume" {
				tp.resumePass()
				continue
			}
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
