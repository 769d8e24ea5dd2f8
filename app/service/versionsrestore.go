package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/rsync"
	"filesync/sync/versions"
)

// TriggerRestore is the trigger of a run that restores a kept copy.
const TriggerRestore Trigger = "restore"

// RestoreRequest names one kept copy to put back.
type RestoreRequest struct {
	Computer string // the computer that keeps it
	Run      uint   // the run that kept it
	Path     string // the file, relative to the root folder
}

// RestoreVersion puts a kept copy back at its path on every enabled computer, as one run
// in the history: first on the computer that keeps it (an rsync there, from its versions
// folder to its root), then sent from there to the others. Every computer keeps the file
// it replaces in the run's own versions folder. A computer, run or path that names no
// kept copy is bad input, and nothing is changed.
func (s *Service) RestoreVersion(ctx context.Context, req RestoreRequest) (Result, error) {
	computers, from, kept, project, err := s.findRestore(ctx, req)
	if err != nil {
		return Result{}, err
	}
	projects, err := s.syncedProjects([]string{project})
	if err != nil {
		return Result{}, err
	}
	scope := fmt.Sprintf("restore %s from run %d on %s to every computer", kept.Path, kept.RunID, from.Name)
	run, err := s.startRun(ctx, TriggerRestore, scope)
	if err != nil {
		return Result{}, err
	}
	a := engine.Action{Kind: engine.Push, Target: from.Name, Computers: computers, Projects: projects, RunID: run.ID,
		Versions: rsync.VersionsName(run.ID, run.started)}
	res := s.restore(run, a, from, kept, project)
	res.RunID, res.Duration = run.ID, time.Since(run.started)
	s.settle(res)
	s.logRunFinished(res)
	s.endRun(run, res)
	return res, nil
}

// findRestore checks req: the enabled computers, the one that keeps the copy, the copy
// and the project whose folders hold its path.
func (s *Service) findRestore(ctx context.Context, req RestoreRequest) ([]fleet.Computer, fleet.Computer, versions.Kept, string, error) {
	var none versions.Kept
	if err := s.pinKnownHosts(); err != nil {
		return nil, fleet.Computer{}, none, "", err
	}
	computers, err := s.versionComputers(ctx, "")
	if err != nil {
		return nil, fleet.Computer{}, none, "", err
	}
	from, ok := computerNamed(computers, req.Computer)
	if !ok {
		return nil, fleet.Computer{}, none, "", s.checkTarget(req.Computer, nil)
	}
	path := cleanPath(req.Path)
	projects, err := s.versionProjects("")
	if err != nil {
		return nil, fleet.Computer{}, none, "", err
	}
	project := projectOf(projects, path)
	if path == "" || project == "" {
		return nil, fleet.Computer{}, none, "", badInputf(Hint{}, "%q is in no project's sync folders: give the path of a kept file as \"filesync versions\" lists it", req.Path)
	}
	sc := s.scanVersions(ctx, []fleet.Computer{from}, projects, false)[0]
	if sc.err != nil {
		return nil, fleet.Computer{}, none, "", fmt.Errorf("list the versions on %s: %w", from.Name, sc.err)
	}
	for _, k := range sc.folders.Kept {
		if k.RunID == req.Run && k.Path == path {
			return computers, from, k, project, nil
		}
	}
	return nil, fleet.Computer{}, none, "", badInputf(Hint{}, "%s keeps no copy of %s from run %d; \"filesync versions --computer %s %s\" lists the copies it keeps",
		from.Name, path, req.Run, from.Name, path)
}

func computerNamed(cs []fleet.Computer, name string) (fleet.Computer, bool) {
	for _, c := range cs {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return fleet.Computer{}, false
}

// restore copies kept back on from, then sends it to the other computers of a.
func (s *Service) restore(run *Run, a engine.Action, from fleet.Computer, kept versions.Kept, project string) Result {
	local := s.restoreOn(run, from, kept, project, a.Versions)
	results := make([]ComputerResult, len(a.Computers))
	for i, c := range a.Computers {
		results[i] = ComputerResult{Name: c.Name, Status: StatusOK}
		if c.Name == from.Name && local.Error != "" {
			results[i].Status, results[i].Reason = StatusFailed, local.Error
		}
	}
	if local.Error != "" {
		return Result{Status: StatusFailed, Summary: local.Error, Computers: results, Transfers: []TransferResult{local}}
	}
	var pl index.Plan
	for _, c := range a.Computers {
		if c.Name != from.Name {
			// Overwrites: the copy each destination holds goes into its versions, even in a
			// project that keeps none.
			pl.Deliveries = append(pl.Deliveries, index.Delivery{To: c.Name, Files: 1, Bytes: kept.Size, Changes: []index.Change{{
				Project: project, Path: kept.Path, From: from.Name, Size: kept.Size, MTime: time.Now().Unix(), Overwrites: true}}})
		}
	}
	a.Planned, a.Listed = &pl, results
	res := s.runEngine(run, a)
	res.Transfers = append([]TransferResult{local}, res.Transfers...)
	res.Files, res.Bytes = res.Files+local.Files, res.Bytes+local.Bytes
	return res
}

// restoreOn copies kept back to its path on c, recorded as the run's first transfer.
func (s *Service) restoreOn(run *Run, c fleet.Computer, kept versions.Kept, project, runVersions string) TransferResult {
	env := s.transferEnv()
	argv, _ := versions.RestoreCommand(c, kept, runVersions, env, listTimeouts.IO)
	t := TransferResult{TransferInfo: TransferInfo{From: c.Name, To: c.Name, Folders: []string{kept.Path}, Projects: []string{project},
		Command: ShellQuote(argv...)}, Files: 1, Bytes: kept.Size}
	start := time.Now()
	s.log.WithField("run", run.ID).WithField("computer", c.Name).Debug("$ " + t.Command)
	code, out, err := versions.Restore(run.ctx, c, kept, runVersions, env, listTimeouts.IO)
	t.ExitCode, t.Duration, t.Tail = code, time.Since(start), out
	s.record(engine.Event{Kind: engine.Finished, RunID: run.ID, Time: time.Now(), Result: &t})
	log := s.log.WithField("run", run.ID).WithField("computer", c.Name).WithField("project", project)
	if err != nil {
		t.Error, t.Files, t.Bytes = err.Error(), 0, 0
		log.Warn(t.Error)
		return t
	}
	log.Infof("restored %s as run %d kept it on %s", kept.Path, kept.RunID, kept.Time.Local().Format("2006-01-02 15:04"))
	return t
}
