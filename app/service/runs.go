package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/rsync"
)

// Request is one run as a user asks for it, by names.
type Request struct {
	Kind     Kind
	Target   string   // the computer that syncs (SyncComputer) or sends (Push); a push without one starts from this computer
	Projects []string // project names; none means every project
	Force    bool
	Trigger  Trigger // what started it; the zero value names the action
	// IOTimeout fails a transfer when no data moves this long (rsync --timeout);
	// 0 keeps the engine's default.
	IOTimeout time.Duration
	// Hold are paths (relative to the root folder) a push leaves out this time: files the
	// watch sees still being written on the sender.
	Hold []string
}

// Run is a run in progress.
type Run struct {
	ID      uint
	started time.Time
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	result  Result
}

// Wait returns the run's result once it has been stored and published.
func (r *Run) Wait() Result {
	<-r.done
	return r.result
}

// Start checks req, records the run and starts it in the background. By the time Start
// returns, the run can be cancelled (CancelAll) and RunStarted is published;
// RunFinished follows once its results are stored. The run stops when ctx ends.
func (s *Service) Start(ctx context.Context, req Request) (*Run, error) {
	action, err := s.action(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := s.pinKnownHosts(); err != nil {
		return nil, err
	}
	trigger := triggerOf(req)
	scope := scopeOf(action)
	run, err := s.startRun(ctx, trigger, scope)
	if err != nil {
		return nil, err
	}
	action.RunID = run.ID
	action.Versions = rsync.VersionsName(run.ID, run.started)
	go s.execute(run, action)
	return run, nil
}

// Sync performs req and waits for its end; the error is only for requests that could
// not start: a run whose transfers failed returns its Result with status failed.
func (s *Service) Sync(ctx context.Context, req Request) (Result, error) {
	run, err := s.Start(ctx, req)
	if err != nil {
		return Result{}, err
	}
	return run.Wait(), nil
}

// startRun records a run, registers its cancel function and publishes RunStarted.
func (s *Service) startRun(ctx context.Context, trigger Trigger, scope string) (*Run, error) {
	stored, err := s.store.StartRun(trigger, scope)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	run := &Run{ID: stored.ID, started: stored.StartedAt, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	s.mu.Lock()
	s.active[run.ID] = cancel
	s.wg.Add(1)
	s.mu.Unlock()
	s.bus.Publish(Event{Event: engine.Event{Kind: RunStarted, RunID: run.ID}, Trigger: trigger, Scope: scope})
	return run, nil
}

// endRun publishes the run's end; its result must be stored already.
func (s *Service) endRun(run *Run, res Result) {
	run.result = res
	s.mu.Lock()
	delete(s.active, run.ID)
	s.mu.Unlock()
	run.cancel()
	s.bus.Publish(Event{Event: engine.Event{Kind: RunFinished, RunID: run.ID, Run: &res}})
	close(run.done)
	s.wg.Done()
}

// execute runs the action; every event is recorded, logged and published, and the run's
// end is published after its results and the computers' statuses are stored. A Sync all
// or Sync computer starts with one listing round of the fleet, and its plan decides each
// file once.
func (s *Service) execute(run *Run, a engine.Action) {
	var res Result
	var f indexedFleet
	var pd pushDeletions
	var busy []StillWriting
	var err error
	switch {
	case planned(a.Kind):
		f, busy, err = s.planRun(run.ctx, &a)
	case a.Kind == engine.Push:
		pd, err = s.planPushDeletions(run.ctx, &a)
	}
	if err == nil {
		res = s.runEngine(run, a)
	} else {
		res = Result{Status: StatusFailed, Summary: err.Error()}
	}
	res.RunID, res.Duration = run.ID, time.Since(run.started) // the listing round included
	s.reportStillWriting(&res, busy)
	switch {
	case err != nil:
	case planned(a.Kind):
		s.recordAgreed(run.ctx, a, f, res)
	case a.Kind == engine.Push:
		s.settlePushDeletions(&res, a, pd)
	}
	s.settle(res)
	s.logRunFinished(res)
	if err == nil {
		s.pruneAfter(run.ctx, a, res)
	}
	s.endRun(run, res)
}

// runEngine runs a with the engine; its events are recorded, logged and published as a
// sync's are.
func (s *Service) runEngine(run *Run, a engine.Action) Result {
	events := make(chan engine.Event, 256)
	relayed := make(chan struct{})
	go func() {
		defer close(relayed)
		for ev := range events {
			if ev.Kind == engine.RunFinished {
				continue
			}
			s.record(ev)
			s.logEvent(ev)
			s.bus.Publish(Event{Event: ev})
		}
	}()
	res := s.engine.Run(run.ctx, a, events)
	close(events)
	<-relayed
	return res
}

// settlePushDeletions reports a push's halts, and forgets the deletions it delivered from
// the sender's agreed state.
func (s *Service) settlePushDeletions(res *Result, a engine.Action, pd pushDeletions) {
	if len(pd.halts) > 0 {
		res.Halts = append(res.Halts, pd.halts...)
		res.Status = StatusFailed
		for _, h := range pd.halts {
			res.Summary += "; " + h.Reason
		}
	}
	if len(a.Deletions) > 0 && res.Status == StatusOK {
		s.forgetDeleted(a.Target, pd, a.Deletions)
	}
}

func planned(k Kind) bool { return k == engine.SyncAll || k == engine.SyncComputer }

// planRun lists the fleet and plans a from the listings, leaving out (and returning) the
// files still being written on their senders. A computer that could not be listed takes
// no part, as one whose probe failed; a Sync computer of such a computer gets an empty
// plan, which the engine reports.
func (s *Service) planRun(ctx context.Context, a *engine.Action) (indexedFleet, []StillWriting, error) {
	f, err := s.indexComputers(ctx, a.Computers, a.Projects)
	if err != nil {
		return f, nil, err
	}
	listedAt := time.Now()
	a.Listed = computerResults(f.members)
	pl, err := plan(f.index, *a)
	if err != nil {
		pl = index.Plan{}
	}
	busy := s.dropStillWriting(ctx, &pl, a.Computers, allFolders(f.resolved), listedAt)
	keptIn(pl.Conflicts, a.Computers, a.Versions)
	a.Planned = &pl
	return f, busy, nil
}

// reportStillWriting adds the files a run left for the next one to its result and log.
func (s *Service) reportStillWriting(res *Result, busy []StillWriting) {
	if len(busy) == 0 {
		return
	}
	res.StillWriting = busy
	res.Summary += "; " + stillWritingNote(busy)
	for _, b := range busy {
		s.log.WithFields(logrus.Fields{"computer": b.Computer, "project": b.Project, "run": res.RunID}).Warn(b.String() + "; the next sync takes it")
	}
}

// keptIn says where each conflict's losing copies are kept: in the run's versions folder
// of the computer that held them.
func keptIn(conflicts []Conflict, computers []fleet.Computer, versions string) {
	for i := range conflicts {
		c := &conflicts[i]
		for j := range c.Losers {
			l := &c.Losers[j]
			if pc, ok := fleet.ByName(computers, l.Computer); ok {
				l.Kept = fmt.Sprintf("%s:%s/%s/%s/%s", pc.Name, strings.TrimSuffix(pc.Root, "/"), rsync.VersionsDir, versions, c.Path)
			}
		}
	}
}

func (s *Service) record(ev engine.Event) {
	if ev.Kind != engine.Finished {
		return
	}
	t := ev.Result
	err := s.store.AddTransfer(&data.Transfer{
		RunID: ev.RunID, From: t.From, To: t.To, Folders: strings.Join(t.Folders, ", "),
		Argv: t.Command, ExitCode: t.ExitCode, Bytes: t.Bytes, Files: t.Files,
		DurationMS: t.Duration.Milliseconds(), OutputTail: strings.Join(t.Tail, "\n"),
		Error: t.Error, StartedAt: ev.Time.Add(-t.Duration),
	})
	if err != nil {
		s.log.WithError(err).Warn("could not record a transfer in the history")
	}
}

// settle stores the run's end, its conflicts and halts, and each computer's status.
func (s *Service) settle(res Result) {
	s.storeConflicts(res)
	now := time.Now()
	for _, c := range res.Computers {
		var synced *time.Time
		if c.Status == StatusOK {
			synced = &now
		}
		if err := s.store.SetComputerStatus(c.Name, c.Status, c.Reason, synced); err != nil {
			s.log.WithError(err).Warn("could not store a computer's status")
		}
	}
	if err := s.store.FinishRun(res.RunID, res.Status, res.Bytes, res.Files, errorText(res)); err != nil {
		s.log.WithError(err).Warn("could not record the end of the run")
	}
}

// CancelAll stops every run in progress.
func (s *Service) CancelAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cancel := range s.active {
		cancel()
	}
}

// Running is how many runs of this process are in progress.
func (s *Service) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.active)
}

// CancelTransfer stops one transfer of a run in progress.
func (s *Service) CancelTransfer(run uint, index int) bool {
	return s.engine.CancelTransfer(run, index)
}

func triggerOf(req Request) Trigger {
	if req.Trigger != "" {
		return req.Trigger
	}
	return Trigger(req.Kind)
}

func scopeOf(a engine.Action) string {
	var who string
	switch a.Kind {
	case engine.SyncComputer:
		who = a.Target + " from every other computer"
	case engine.Push:
		who = "from " + a.Target + " to every other computer"
	default:
		who = "all computers"
	}
	names := make([]string, len(a.Projects))
	for i, p := range a.Projects {
		names[i] = p.Name
	}
	return who + "; projects: " + strings.Join(names, ", ")
}

// action loads what req names from the store and checks it.
func (s *Service) action(ctx context.Context, req Request) (engine.Action, error) {
	computers, err := s.enabledComputers(ctx)
	if err != nil {
		return engine.Action{}, err
	}
	if req.Kind == engine.Push && req.Target == "" {
		if req.Target, err = s.ThisComputer(); err != nil {
			return engine.Action{}, err
		}
	}
	if req.Kind != engine.SyncAll {
		if err := s.checkTarget(req.Target, computers); err != nil {
			return engine.Action{}, err
		}
	}
	projects, err := s.syncedProjects(req.Projects)
	if err != nil {
		return engine.Action{}, err
	}
	return engine.Action{Kind: req.Kind, Target: req.Target, Computers: computers, Projects: projects, Force: req.Force,
		IOTimeout: req.IOTimeout, Hold: req.Hold}, nil
}

func (s *Service) enabledComputers(ctx context.Context) ([]fleet.Computer, error) {
	stored, err := s.store.Computers()
	if err != nil {
		return nil, err
	}
	var out []fleet.Computer
	for _, c := range stored {
		if !c.Enabled {
			continue
		}
		rc, err := s.resolve(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	if len(out) < 2 {
		return nil, badInputf(Hint{AddComputer, ""}, "a sync needs at least two enabled computers, and %d is enabled", len(out))
	}
	return out, nil
}

func (s *Service) checkTarget(name string, enabled []fleet.Computer) error {
	if _, ok := fleet.ByName(enabled, name); ok {
		return nil
	}
	if _, err := s.Computer(name); err != nil {
		return err
	}
	return badInputf(Hint{EnableComputer, name}, "computer %q is disabled", name)
}

func (s *Service) syncedProjects(names []string) ([]fleet.Project, error) {
	var stored []data.Project
	if len(names) == 0 {
		all, err := s.store.Projects()
		if err != nil {
			return nil, err
		}
		stored = all
	}
	for _, name := range names {
		p, err := s.Project(name)
		if err != nil {
			return nil, err
		}
		stored = append(stored, p)
	}
	if len(stored) == 0 {
		return nil, BadInput(errors.New("there are no projects yet"), Hint{AddProject, ""})
	}
	out := make([]fleet.Project, len(stored))
	for i, p := range stored {
		out[i] = engineProject(p)
		if _, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore); err != nil {
			return nil, BadInput(fmt.Errorf("project %s: %w", p.Name, err), Hint{EditProject, p.Name})
		}
	}
	return out, nil
}

// ThisComputer is the computer a push or task starts from when none is named: the one
// enabled local computer.
func (s *Service) ThisComputer() (string, error) {
	stored, err := s.store.Computers()
	if err != nil {
		return "", err
	}
	var local []string
	for _, c := range stored {
		if c.Local && c.Enabled {
			local = append(local, c.Name)
		}
	}
	if len(local) != 1 {
		return "", badInputf(Hint{NameComputer, ""}, "cannot tell which computer is this one (%d enabled local computers)", len(local))
	}
	return local[0], nil
}
