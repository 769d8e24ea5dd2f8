package watch

import (
	"context"
	"sync"
)

// Trigger says why a project runs.
type Trigger string

// The triggers of automatic runs.
const (
	Changed  Trigger = "watch"    // files changed under a watched folder
	Interval Trigger = "interval" // the project's interval elapsed
	Retry    Trigger = "retry"    // the last push failed, or the safety-net timer fired
)

// RunFunc performs one run of a project; it returns when the run is over.
type RunFunc func(ctx context.Context, project string, why Trigger) error

// Coalescer runs at most one run per project at a time. A trigger arriving while the
// project runs is remembered, and any number of them make exactly one follow-up run.
type Coalescer struct {
	run     RunFunc
	onError func(project string, err error)
	mu      sync.Mutex
	state   map[string]*projectRuns
	wg      sync.WaitGroup
}

type projectRuns struct {
	running bool
	pending bool
	why     Trigger // of the pending follow-up
}

// NewCoalescer returns a Coalescer running run; onError (may be nil) hears of failed runs.
func NewCoalescer(run RunFunc, onError func(project string, err error)) *Coalescer {
	return &Coalescer{run: run, onError: onError, state: map[string]*projectRuns{}}
}

// Trigger asks for a run of project; it never blocks.
func (c *Coalescer) Trigger(ctx context.Context, project string, why Trigger) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.state[project]
	if !ok {
		s = &projectRuns{}
		c.state[project] = s
	}
	if s.running {
		s.pending = true
		if s.why == "" || why == Interval {
			s.why = why // an interval (a full sync) covers a push; keep the stronger one
		}
		return
	}
	s.running = true
	c.wg.Add(1)
	go c.loop(ctx, project, why)
}

// loop runs project until no follow-up is pending.
func (c *Coalescer) loop(ctx context.Context, project string, why Trigger) {
	defer c.wg.Done()
	for {
		if err := c.run(ctx, project, why); err != nil && c.onError != nil {
			c.onError(project, err)
		}
		c.mu.Lock()
		s := c.state[project]
		if !s.pending || ctx.Err() != nil {
			s.running, s.pending, s.why = false, false, ""
			c.mu.Unlock()
			return
		}
		why, s.pending, s.why = s.why, false, ""
		c.mu.Unlock()
	}
}

// Wait blocks until every run started so far has ended.
func (c *Coalescer) Wait() { c.wg.Wait() }
