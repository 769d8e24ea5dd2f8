package engine

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/fleet"
	"filesync/sync/probe"
	"filesync/widgets/units"
)

// KeepFreePercent is the share of a destination's disk a run leaves free unless
// Config.KeepFreePercent sets another.
const KeepFreePercent = 5.0

// unknownSize stands for what a push sends: it copies whole folders, so only the
// destination's free share can be checked before it.
const unknownSize = -1

// roomFor decides whether the destination computer, whose root folder is on a disk with
// space s, can take needed bytes (unknownSize: a transfer of unknown size) and still keep
// keepPercent of that disk free. A transfer of nothing always fits. When it does not fit,
// the error names the computer, the space needed and the space free, and what to do.
func roomFor(computer, root string, needed int64, s probe.Space, keepPercent float64) error {
	if needed == 0 {
		return nil
	}
	keep := int64(math.Ceil(float64(s.Total) * keepPercent / 100))
	if s.Free-max(needed, 0) >= keep {
		return nil
	}
	const advice = "free some space or remove old versions (filesync versions prune)"
	kept := ""
	if s.Total > 0 {
		kept = fmt.Sprintf(" (keeping %s of the %s disk free)", percent(keepPercent), units.Bytes(s.Total))
	}
	if needed == unknownSize {
		return fmt.Errorf("%s: not enough free space in %s: %s is free, less than the %s (%s of the %s disk) a transfer must leave free; nothing was sent there; %s",
			computer, root, units.Bytes(s.Free), units.Bytes(keep), percent(keepPercent), units.Bytes(s.Total), advice)
	}
	return fmt.Errorf("%s: not enough free space in %s: the transfer needs %s and %s is free%s; nothing was sent there; %s",
		computer, root, units.Bytes(needed), units.Bytes(s.Free), kept, advice)
}

func percent(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + " %"
}

// keepFreePercent is the engine's share of each disk to keep free.
func (e *Engine) keepFreePercent() float64 {
	if e.cfg.KeepFreePercent > 0 {
		return e.cfg.KeepFreePercent
	}
	return KeepFreePercent
}

// guardSpace measures at once the disk of every destination in needs (the bytes each
// will receive, or unknownSize) and fails those that cannot take them, before anything
// is written there. It returns the names of the computers it failed. A disk that cannot
// be measured is not refused: rsync's own "No space left on device" still stops it.
func (r *runState) guardSpace(ctx context.Context, needs map[string]int64, fresh bool) map[string]bool {
	refused := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, needed := range needs {
		if needed == 0 {
			continue
		}
		c := r.computer(name)
		wg.Go(func() {
			s, err := r.engine.spaces.measure(ctx, r.engine, c, fresh)
			if err != nil {
				r.engine.cfg.Log.WithFields(logrus.Fields{"computer": c.Name, "run": r.action.RunID}).
					Warn("free space not checked before the transfer: " + err.Error())
				return
			}
			if err := roomFor(c.Name, c.Root, needed, s, r.engine.keepFreePercent()); err != nil {
				mu.Lock()
				refused[c.Name] = true
				mu.Unlock()
				r.refuse(c.Name, err.Error())
			}
		})
	}
	wg.Wait()
	return refused
}

// guardPushSpace fails, and takes out of reachable, every destination of a push whose
// disk already has less than the share to keep free. A push copies whole folders, so what
// each destination lacks is not known before it; the sender's listing would only bound
// it by everything the sender holds, which would refuse a nearly full disk that already
// has almost all of it. Free space measured within ProbeTrusted stands.
func (r *runState) guardPushSpace(ctx context.Context, reachable map[string]fleet.Computer) {
	needs := map[string]int64{}
	for name := range reachable {
		if name != r.action.Target {
			needs[name] = unknownSize
		}
	}
	r.refused = r.guardSpace(ctx, needs, false)
	for name := range r.refused {
		delete(reachable, name)
	}
}

// refuse fails the computer with reason (after any reason it failed with already) and
// reports it.
func (r *runState) refuse(name, reason string) {
	r.mu.Lock()
	cr := r.results[name]
	if cr.Status == fleet.StatusOK {
		cr.Status, cr.Reason = fleet.StatusFailed, reason
	} else {
		cr.Reason += "; " + reason
	}
	shown := *cr
	r.mu.Unlock()
	r.emit(Event{Kind: ComputerChecked, Computer: &shown})
}

// spaceCache keeps each computer's last measured free space for ProbeTrusted, so that a
// watch pushing every second does not start a session on every destination to measure
// it each time. Planned runs always measure afresh: they compare exact sizes.
type spaceCache struct {
	mu       sync.Mutex
	measured map[fleet.Computer]measuredSpace
}

type measuredSpace struct {
	space probe.Space
	at    time.Time
}

func (sc *spaceCache) measure(ctx context.Context, e *Engine, c fleet.Computer, fresh bool) (probe.Space, error) {
	sc.mu.Lock()
	last, ok := sc.measured[c]
	sc.mu.Unlock()
	if !fresh && ok && time.Since(last.at) < ProbeTrusted {
		return last.space, nil
	}
	s, err := probe.MeasureSpace(ctx, c, e.cfg.Env.SSH, e.cfg.Env.ProcEnv)
	if err != nil {
		return s, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.measured == nil {
		sc.measured = map[fleet.Computer]measuredSpace{}
	}
	sc.measured[c] = measuredSpace{s, time.Now()}
	return s, nil
}
