package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/rsync"
)

// finish settles every computer's status and the run's.
func (r *runState) finish(ctx context.Context, planErr error, took time.Duration) Result {
	res := Result{RunID: r.action.RunID, Duration: took}
	sort.Slice(r.done, func(i, j int) bool { return r.done[i].Index < r.done[j].Index })
	res.Transfers = r.done
	cancelled := false
	for _, t := range r.done {
		res.Bytes += t.Bytes
		res.Files += t.Files
		if t.Error != "" {
			r.blame(t)
		}
		cancelled = cancelled || t.Cancelled
	}
	for _, c := range r.action.Computers {
		res.Computers = append(res.Computers, *r.results[c.Name])
	}
	res.Status = fleet.StatusOK
	var problems []string
	if planErr != nil && ctx.Err() == nil {
		problems = append(problems, planErr.Error())
	}
	onlyCancelled := true
	for _, c := range res.Computers {
		if c.Status != fleet.StatusOK {
			problems = append(problems, c.Reason)
			onlyCancelled = onlyCancelled && c.Status == fleet.StatusCancelled
		}
	}
	switch {
	case ctx.Err() != nil, cancelled && onlyCancelled:
		res.Status = fleet.StatusCancelled
	case len(problems) > 0:
		res.Status = fleet.StatusFailed
	}
	res.Summary = summary(res, problems)
	return res
}

// blame marks the computer a failed transfer points at: the destination (the writer),
// or the remote source when the destination is this computer and the link failed.
func (r *runState) blame(t TransferResult) {
	name := t.To
	if r.computer(t.To).Local && !r.computer(t.From).Local && rsync.Transient(t.ExitCode) {
		name = t.From
	}
	cr := r.results[name]
	switch {
	case cr.Status != fleet.StatusOK:
	case t.Cancelled:
		cr.Status, cr.Reason = fleet.StatusCancelled, t.Error
	default:
		cr.Status, cr.Reason = fleet.StatusFailed, t.Error
	}
}

func summary(res Result, problems []string) string {
	ok := 0
	for _, c := range res.Computers {
		if c.Status == fleet.StatusOK {
			ok++
		}
	}
	s := fmt.Sprintf("%d/%d computers ok", ok, len(res.Computers))
	if res.Status == fleet.StatusCancelled {
		s += "; cancelled"
	}
	if len(problems) > 0 {
		s += "; " + strings.Join(problems, "; ")
	}
	return s
}
