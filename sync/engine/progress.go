package engine

import (
	"time"

	"filesync/sync/rsync"
)

// transferProgress folds the progress2 reports of a transfer's rsync processes into the
// progress of the whole transfer. A transfer is one rsync, or two when it is relayed (into
// the stage folder here, then out of it): its legs. Every process counts from zero, so
// rsync's own numbers would fall back to 0 at the second leg, and a relay would reach
// 100 % halfway.
//
// What the folded report means:
//   - Bytes: what all the processes moved so far. A relay moves its data twice through
//     this computer and counts it twice: relaying 30 MB ends at 60 MB.
//   - Percent: each leg is an equal share (relayed: 0-50 % into the stage, 50-100 % out
//     of it), in which rsync's percent counts. Percent never falls back and stays at 99
//     at most until the transfer has ended (done).
//   - Rate: the running process's.
//   - ETA: the running process's time left. While a relay fills its stage, the second leg
//     is taken to last as long as the first: the first leg's time so far plus twice its
//     time left. UnknownETA when rsync gives no time left.
type transferProgress struct {
	legs     int       // 1, or 2 for a relay
	leg      int       // the leg running, from 0
	legStart time.Time // when the running leg started
	moved    int64     // bytes of the legs that ended
	last     rsync.Progress
	percent  int // the last folded percent
}

func newTransferProgress(legs int, now time.Time) *transferProgress {
	return &transferProgress{legs: legs, legStart: now}
}

// nextLeg notes that a relay's second leg starts: the first is complete.
func (t *transferProgress) nextLeg(now time.Time) {
	t.moved += t.last.Bytes
	t.last = rsync.Progress{}
	t.leg, t.legStart = t.leg+1, now
	t.percent = max(t.percent, 100*t.leg/t.legs)
}

// report folds in the running process's report p.
func (t *transferProgress) report(p rsync.Progress, now time.Time) rsync.Progress {
	t.last = p
	t.percent = min(max(t.percent, (100*t.leg+p.Percent)/t.legs), 99)
	eta := p.ETA
	if eta >= 0 {
		eta += time.Duration(t.legs-1-t.leg) * (now.Sub(t.legStart) + p.ETA)
	}
	return rsync.Progress{Bytes: t.moved + p.Bytes, Percent: t.percent, Rate: p.Rate, ETA: eta}
}

// done is the report of the transfer that ended.
func (t *transferProgress) done() rsync.Progress {
	return rsync.Progress{Bytes: t.moved + t.last.Bytes, Percent: 100, Rate: t.last.Rate}
}
