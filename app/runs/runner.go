package runs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/hostkeys"
	"filesync/sync/rsync"
)

// Runner starts runs. KnownHosts is the app-owned known_hosts file it rewrites from the
// pinned keys in the store before each run.
type Runner struct {
	Store      *data.Store
	Engine     *engine.Engine
	KnownHosts string
	Log        logrus.FieldLogger
}

// Request is one action as a user asks for it, by names.
type Request struct {
	Kind     engine.Kind
	Target   string   // the computer that syncs (SyncComputer) or sends (Push)
	Projects []string // project names; none means every project
	DryRun   bool
	Force    bool
	Trigger  string // how it was started: "sync", "push", "task", …
	// IOTimeout fails a transfer when no data moves this long (rsync --timeout);
	// 0 keeps the engine's default.
	IOTimeout time.Duration
}

// InputError is a request that names something that does not exist or cannot take part;
// nothing was changed.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// Run performs req and records it. Events, when not nil, receives every engine event.
// The error is only for requests that could not start; a run whose transfers failed
// returns its Result with Status "failed".
func (r *Runner) Run(ctx context.Context, req Request, events chan<- engine.Event) (engine.Result, error) {
	action, err := r.action(req)
	if err != nil {
		return engine.Result{}, err
	}
	if err := r.PinKnownHosts(); err != nil {
		return engine.Result{}, err
	}
	run, err := r.Store.StartRun(trigger(req), scope(req, action))
	if err != nil {
		return engine.Result{}, err
	}
	action.RunID = run.ID
	action.Versions = rsync.VersionsName(run.ID, run.StartedAt)
	res := r.runRecorded(ctx, action, events)
	r.settle(res, req.DryRun)
	return res, nil
}

func trigger(req Request) string {
	if req.DryRun {
		return "dry-run"
	}
	if req.Trigger != "" {
		return req.Trigger
	}
	return string(req.Kind)
}

func scope(req Request, a engine.Action) string {
	var who string
	switch req.Kind {
	case engine.SyncComputer:
		who = req.Target + " from every other computer"
	case engine.Push:
		who = "from " + req.Target + " to every other computer"
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
func (r *Runner) action(req Request) (engine.Action, error) {
	computers, err := r.enabledComputers()
	if err != nil {
		return engine.Action{}, err
	}
	if req.Kind != engine.SyncAll {
		if err := r.checkTarget(req.Target, computers); err != nil {
			return engine.Action{}, err
		}
	}
	projects, err := r.projects(req.Projects)
	if err != nil {
		return engine.Action{}, err
	}
	return engine.Action{Kind: req.Kind, Target: req.Target, Computers: computers, Projects: projects, DryRun: req.DryRun, Force: req.Force,
		IOTimeout: req.IOTimeout}, nil
}

func (r *Runner) enabledComputers() ([]fleet.Computer, error) {
	stored, err := r.Store.Computers()
	if err != nil {
		return nil, err
	}
	var out []fleet.Computer
	for _, c := range stored {
		if c.Enabled {
			out = append(out, Computer(c))
		}
	}
	if len(out) < 2 {
		return nil, &InputError{fmt.Sprintf("a sync needs at least two enabled computers, and %d is enabled; add one with \"filesync computer add\"", len(out))}
	}
	return out, nil
}

func (r *Runner) checkTarget(name string, enabled []fleet.Computer) error {
	if _, ok := fleet.ByName(enabled, name); ok {
		return nil
	}
	if _, err := r.Store.Computer(name); err != nil {
		return &InputError{err.Error()}
	}
	return &InputError{fmt.Sprintf("computer %q is disabled; enable it with \"filesync computer edit %s --enabled\"", name, name)}
}

func (r *Runner) projects(names []string) ([]fleet.Project, error) {
	var stored []data.Project
	if len(names) == 0 {
		all, err := r.Store.Projects()
		if err != nil {
			return nil, err
		}
		stored = all
	}
	for _, name := range names {
		p, err := r.Store.Project(name)
		if errors.Is(err, data.ErrNotFound) {
			return nil, &InputError{err.Error()}
		} else if err != nil {
			return nil, err
		}
		stored = append(stored, p)
	}
	if len(stored) == 0 {
		return nil, &InputError{"there are no projects yet; add one with \"filesync project add NAME\""}
	}
	out := make([]fleet.Project, len(stored))
	for i, p := range stored {
		out[i] = Project(p)
		if _, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore); err != nil {
			return nil, &InputError{fmt.Sprintf("project %s: %v; fix it with \"filesync project edit %s\"", p.Name, err, p.Name)}
		}
	}
	return out, nil
}

// PinKnownHosts rewrites the app's known_hosts from the keys pinned in the store, so the
// file can never disagree with what the user trusted.
func (r *Runner) PinKnownHosts() error {
	stored, err := r.Store.Computers()
	if err != nil {
		return err
	}
	pinned := map[string]string{}
	for _, c := range stored {
		if c.HostKeys != "" {
			pinned[Computer(c).HostKeyAlias()] = c.HostKeys
		}
	}
	return hostkeys.WriteKnownHosts(r.KnownHosts, pinned)
}

// runRecorded runs the action while a recorder stores each finished transfer and logs
// every event, then hands events on to the caller.
func (r *Runner) runRecorded(ctx context.Context, a engine.Action, events chan<- engine.Event) engine.Result {
	ch := make(chan engine.Event, 256)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev := range ch {
			r.record(ev)
			logEvent(r.Log, ev)
			if events != nil {
				events <- ev
			}
		}
	}()
	res := r.Engine.Run(ctx, a, ch)
	close(ch)
	wg.Wait()
	return res
}

func (r *Runner) record(ev engine.Event) {
	if ev.Kind != engine.Finished {
		return
	}
	t := ev.Result
	err := r.Store.AddTransfer(&data.Transfer{
		RunID: ev.RunID, From: t.From, To: t.To, Folders: strings.Join(t.Folders, ", "),
		Argv: t.Command, ExitCode: t.ExitCode, Bytes: t.Bytes, Files: t.Files,
		DurationMS: t.Duration.Milliseconds(), OutputTail: strings.Join(t.Tail, "\n"),
		Error: t.Error, StartedAt: ev.Time.Add(-t.Duration),
	})
	if err != nil {
		r.Log.WithError(err).Warn("could not record a transfer in the history")
	}
}

// settle stores the run's end and each computer's status.
func (r *Runner) settle(res engine.Result, dryRun bool) {
	now := time.Now()
	for _, c := range res.Computers {
		var synced *time.Time
		if c.Status == engine.StatusOK && !dryRun {
			synced = &now
		}
		if dryRun && c.Status == engine.StatusOK {
			continue
		}
		if err := r.Store.SetComputerStatus(c.Name, c.Status, c.Reason, synced); err != nil {
			r.Log.WithError(err).Warn("could not store a computer's status")
		}
	}
	errText := ""
	if res.Failed() {
		errText = res.Summary
	}
	if err := r.Store.FinishRun(res.RunID, res.Status, res.Bytes, res.Files, errText); err != nil {
		r.Log.WithError(err).Warn("could not record the end of the run")
	}
}

// CancelTransfer stops one transfer of a run in progress.
func (r *Runner) CancelTransfer(run uint, index int) bool {
	return r.Engine.CancelTransfer(run, index)
}

// ThisComputer is the computer a push or task starts from when none is named: the one
// enabled local computer.
func (r *Runner) ThisComputer() (string, error) {
	stored, err := r.Store.Computers()
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
		return "", &InputError{fmt.Sprintf("cannot tell which computer is this one (%d enabled local computers); name it with --from or --computer", len(local))}
	}
	return local[0], nil
}
