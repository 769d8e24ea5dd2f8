package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/plan"
	"filesync/sync/probe"
	"filesync/sync/transfer"
)

// Config sets up an Engine. Zero values take the defaults below.
type Config struct {
	Env         transfer.Env
	MaxParallel int           // transfers at once in all (default 4)
	PerComputer int           // transfers at once touching one computer (default 2)
	LockDir     string        // folder of the (computer, folder) lock files
	Tries       int           // tries of a transfer failing transiently (default 3)
	Backoff     time.Duration // pause before the second try, doubled after (default 1 s)
	IOTimeout   time.Duration // rsync --timeout: no data moving this long fails (default 60 s)
	Log         logrus.FieldLogger
	// KeepFreePercent is the share of each destination's disk a transfer must leave free
	// (default KeepFreePercent).
	KeepFreePercent float64
}

// Engine runs actions. One Engine is shared by every action of a process, so its caps and
// locks hold across concurrent runs.
type Engine struct {
	cfg     Config
	slots   *slots
	locks   folderLocks
	reached probe.Recent // computers that answered a probe lately: a watch's pushes need not probe them again
	spaces  spaceCache   // destinations' free space, measured before their transfers
	mu      sync.Mutex
	stops   map[transferKey]context.CancelCauseFunc // running transfers, for CancelTransfer
}

// New returns an Engine with cfg's caps.
func New(cfg Config) *Engine {
	cfg.MaxParallel = orDefault(cfg.MaxParallel, 4)
	cfg.PerComputer = orDefault(cfg.PerComputer, 2)
	cfg.Tries = orDefault(cfg.Tries, 3)
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Second
	}
	if cfg.IOTimeout == 0 {
		cfg.IOTimeout = 60 * time.Second
	}
	if cfg.Log == nil {
		l := logrus.New()
		l.SetLevel(logrus.PanicLevel)
		cfg.Log = l
	}
	return &Engine{cfg: cfg, slots: newSlots(cfg.MaxParallel, cfg.PerComputer), locks: folderLocks{cfg.LockDir},
		reached: probe.Recent{For: ProbeTrusted}, stops: map[transferKey]context.CancelCauseFunc{}}
}

// ProbeTrusted is how long a computer's successful probe stands for the runs that follow,
// as long as its multiplexed connection stays open.
const ProbeTrusted = 15 * time.Second

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Kind is which action a run performs.
type Kind string

// The actions.
const (
	SyncAll      Kind = "sync"          // every computer ends with the union
	SyncComputer Kind = "sync-computer" // Target downloads everything from the others
	Push         Kind = "push"          // Target sends to every other computer
)

// Action is one request to the engine.
type Action struct {
	Kind      Kind
	Target    string
	Computers []fleet.Computer // the enabled computers taking part, Target among them
	Projects  []fleet.Project
	Force     bool          // let a mirror delete more than half of a destination
	IOTimeout time.Duration // rsync --timeout for this run; 0 keeps Config.IOTimeout
	RunID     uint
	Versions  string // versions sub-folder of this run
	// Planned is a Sync all or Sync computer planned from the fleet's listings: each
	// destination's files, by the computer that sends them. Listed then says which
	// computers were listed; no probe runs, since the listing reached them.
	Planned *index.Plan
	Listed  []ComputerResult
	// Deletions are, for a push, the files and folders the sender deleted since its
	// agreed state, in projects that propagate deletions: after the push's transfers,
	// every other computer taking part moves them into its versions.
	Deletions []index.Change
	// Hold are, for a push, paths relative to the root folder (a folder stands for all in
	// it) left out of its transfers: files still being written on the sender.
	Hold []string
}

// Run performs a: it probes every computer in parallel, plans over the reachable ones and
// runs the plan round by round. It never stops at the first failure: a failing computer
// is reported and the others go on. Events go to events when it is not nil.
func (e *Engine) Run(ctx context.Context, a Action, events chan<- Event) Result {
	start := time.Now()
	r := &runState{engine: e, action: a, events: events, results: map[string]*ComputerResult{}}
	var err error
	if a.Planned != nil {
		err = r.runPlanned(ctx)
	} else {
		var p plan.Plan
		reachable := r.probeAll(ctx)
		r.guardPushSpace(ctx, reachable)
		if p, err = r.plan(reachable); err == nil {
			err = r.runPlan(ctx, p)
		}
		if err == nil && len(a.Deletions) > 0 {
			err = r.runDeletions(ctx, reachable)
		}
	}
	res := r.finish(ctx, err, time.Since(start))
	if a.Planned != nil {
		res.Conflicts, res.Halts = settled(a.Planned.Conflicts, res.Transfers, r.refused), a.Planned.Halts
	}
	r.emit(Event{Kind: RunFinished, Run: &res})
	return res
}

type runState struct {
	engine  *Engine
	action  Action
	events  chan<- Event
	mu      sync.Mutex
	results map[string]*ComputerResult
	refused map[string]bool // destinations the free-space guard failed: nothing is sent to them
	done    []TransferResult
	count   int
}

func (r *runState) emit(ev Event) {
	if r.events == nil {
		return
	}
	ev.Time, ev.RunID = time.Now(), r.action.RunID
	r.events <- ev
}

// probeAll reaches every computer at once and returns the names of those that answered.
func (r *runState) probeAll(ctx context.Context) map[string]fleet.Computer {
	var wg sync.WaitGroup
	for _, c := range r.action.Computers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			version, err := r.engine.reached.Reach(ctx, c, r.engine.cfg.Env.SSH, r.engine.cfg.Env.ProcEnv)
			cr := ComputerResult{Name: c.Name, Status: fleet.StatusOK, RsyncVersion: version}
			var pe *probe.Error
			switch {
			case errors.As(err, &pe):
				cr.Status, cr.Reason = pe.Status, pe.Error()
			case err != nil:
				cr.Status, cr.Reason = fleet.StatusFailed, fmt.Sprintf("%s: %v", c.Name, err)
			}
			r.mu.Lock()
			r.results[c.Name] = &cr
			r.mu.Unlock()
			r.emit(Event{Kind: ComputerChecked, Computer: &cr})
		}()
	}
	wg.Wait()
	ok := map[string]fleet.Computer{}
	for _, c := range r.action.Computers {
		if r.results[c.Name].Status == fleet.StatusOK {
			ok[c.Name] = c
		}
	}
	return ok
}

// plan shapes a push over the reachable computers, in the order they were given.
// Receive-only computers are never a source: they get their copy after the others. A
// Sync all or Sync computer is planned from the fleet's listings (Action.Planned).
func (r *runState) plan(reachable map[string]fleet.Computer) (plan.Plan, error) {
	var sources, receivers []string
	for _, c := range r.action.Computers {
		switch _, ok := reachable[c.Name]; {
		case !ok:
		case c.ReceiveOnly:
			receivers = append(receivers, c.Name)
		default:
			sources = append(sources, c.Name)
		}
	}
	a := r.action
	if a.Kind != Push {
		return plan.Plan{}, fmt.Errorf("a %s run needs a plan made from the fleet's listings", a.Kind)
	}
	if _, ok := reachable[a.Target]; !ok {
		return plan.Plan{}, fmt.Errorf("%s cannot take part, so nothing was transferred", a.Target)
	}
	senders := append([]string{a.Target}, without(sources, a.Target)...)
	if !r.engine.cfg.Env.Agent {
		return plan.Fan(a.Target, append(sources, receivers...)), nil
	}
	return plan.Push(a.Target, sources).Then(plan.Distribute(senders, without(receivers, a.Target))), nil
}

func without(names []string, drop string) []string {
	var out []string
	for _, n := range names {
		if n != drop {
			out = append(out, n)
		}
	}
	return out
}

func (r *runState) runPlan(ctx context.Context, p plan.Plan) error {
	for _, round := range p.Rounds {
		if err := r.runRound(ctx, round); err != nil {
			return err
		}
	}
	return nil
}

// runRound starts every transfer of the round and waits for all of them.
func (r *runState) runRound(ctx context.Context, round []plan.Step) error {
	var jobs []job
	for _, step := range round {
		js, err := r.jobs(step)
		if err != nil {
			return err
		}
		jobs = append(jobs, js...)
	}
	return r.runJobs(ctx, jobs)
}

// runJobs starts every job and waits for all of them; the caps and each destination's
// folder locks decide which run at once.
func (r *runState) runJobs(ctx context.Context, jobs []job) error {
	var wg sync.WaitGroup
	for _, j := range jobs {
		r.emit(Event{Kind: Queued, Transfer: j.shown})
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := r.engine.execute(ctx, j, r.emit)
			if res.Error == "" {
				r.engine.reached.Renew(r.computer(j.shown.From))
				r.engine.reached.Renew(r.computer(j.shown.To))
			}
			r.mu.Lock()
			r.done = append(r.done, res)
			r.mu.Unlock()
			r.emit(Event{Kind: Finished, Transfer: j.shown, Result: &res})
		}()
	}
	wg.Wait()
	return ctx.Err()
}
