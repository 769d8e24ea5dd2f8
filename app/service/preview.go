package service

import (
	"context"
	"errors"
	"time"

	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/probe"
)

// Preview is what a sync or push would change, planned from one listing round of the
// fleet: a dry run. It copies nothing and records no run.
type Preview struct {
	Kind       Kind
	Target     string
	Deliveries []Delivery       // per destination, in the fleet's order
	Computers  []ComputerResult // every enabled computer: ok, or why it cannot take part
	Problem    string           // why the action could not be planned (its computer is unreachable)
	Conflicts  []Conflict       // files changed on several computers since they last agreed
	Halts      []Halt           // computers' projects the sync would leave alone

	Took time.Duration
}

// Failed reports whether the action could not be planned or a computer cannot take part.
func (p Preview) Failed() bool {
	if p.Problem != "" || len(p.Halts) > 0 {
		return true
	}
	for _, c := range p.Computers {
		if c.Status != StatusOK {
			return true
		}
	}
	return false
}

// Totals are the files, bytes and deletions of every delivery.
func (p Preview) Totals() (files int, bytes int64, deletes int) {
	for _, d := range p.Deliveries {
		files, bytes, deletes = files+d.Files, bytes+d.Bytes, deletes+d.Deletes
	}
	return files, bytes, deletes
}

// Preview plans req from the fleet's listings and reports, per destination, the files it
// would receive (from which computer) and delete: what the real run then does.
func (s *Service) Preview(ctx context.Context, req Request) (Preview, error) {
	start := time.Now()
	a, err := s.action(ctx, req)
	if err != nil {
		return Preview{}, err
	}
	f, err := s.indexComputers(ctx, a.Computers, a.Projects)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Kind: a.Kind, Target: a.Target, Computers: computerResults(f.members)}
	switch a.Kind {
	case engine.SyncAll, engine.SyncComputer:
		var pl index.Plan
		pl, err = plan(f.index, a)
		keptIn(pl.Conflicts, a.Computers, "<run>")
		p.Deliveries, p.Conflicts, p.Halts = pl.Deliveries, pl.Conflicts, pl.Halts
	case engine.Push:
		mirror := func(name string) bool {
			for _, pr := range a.Projects {
				if pr.Name == name {
					return pr.Mode == fleet.Mirror
				}
			}
			return false
		}
		p.Deliveries, err = f.index.Push(a.Target, mirror, a.Force)
	}
	if err != nil {
		p.Problem = err.Error()
	}
	if err := ctx.Err(); err != nil {
		return Preview{}, err
	}
	p.Took = time.Since(start)
	return p, nil
}

// computerResults says for each member whether it can take part, as a run's probe would.
func computerResults(members []index.Member) []ComputerResult {
	out := make([]ComputerResult, len(members))
	for i, m := range members {
		out[i] = ComputerResult{Name: m.Name, Status: StatusOK}
		var pe *probe.Error
		switch {
		case m.Err == nil:
		case errors.As(m.Err, &pe):
			out[i].Status, out[i].Reason = pe.Status, pe.Error()
		default:
			out[i].Status, out[i].Reason = StatusFailed, m.Err.Error()
		}
	}
	return out
}

// plan is what a Sync all or Sync computer does, decided from the fleet's listings.
func plan(ix *index.Index, a engine.Action) (index.Plan, error) {
	if a.Kind == engine.SyncComputer {
		return ix.SyncComputer(a.Target, a.Force)
	}
	return ix.SyncAll(a.Force), nil
}
