package service

import (
	"context"
	"fmt"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/process"
	"filesync/sync/sshcmd"
)

// TaskRequest is a command to run on a computer, then, when it exits 0, a push of
// projects from that computer to every other one.
type TaskRequest struct {
	Computer string   // "" means this computer
	Command  []string // the argv; on a remote computer each argument arrives as typed
	Projects []string // pushed after the task succeeds; at least one
	Force    bool     // the push may delete (or mirror away) more than half of a destination
}

// TaskResult is how a task and its push ended.
type TaskResult struct {
	Computer string
	ExitCode int     // the task's own exit code; -1 when it could not start or was stopped
	Push     *Result // nil when the task did not succeed
}

// RunTask runs the task, recorded in the history and streamed to the log, and pushes
// its projects when it exits 0. The error is for requests that could not start.
func (s *Service) RunTask(ctx context.Context, req TaskRequest) (TaskResult, error) {
	c, argv, err := s.taskTarget(ctx, &req)
	if err != nil {
		return TaskResult{}, err
	}
	if err := s.pinKnownHosts(); err != nil {
		return TaskResult{}, err
	}
	run, err := s.startRun(ctx, TriggerTask, fmt.Sprintf("on %s: %s", c.Name, sshcmd.Quote(req.Command)))
	if err != nil {
		return TaskResult{}, err
	}
	code := s.runTask(run, c, argv)
	out := TaskResult{Computer: c.Name, ExitCode: code}
	if code != 0 || ctx.Err() != nil {
		return out, nil
	}
	res, err := s.Sync(ctx, Request{Kind: Push, Target: c.Name, Projects: req.Projects, Trigger: TriggerTask, Force: req.Force})
	if err != nil {
		return out, err
	}
	out.Push = &res
	return out, nil
}

// taskTarget checks req and returns its computer and how to start the command there.
func (s *Service) taskTarget(ctx context.Context, req *TaskRequest) (fleet.Computer, []string, error) {
	if len(req.Command) == 0 || strings.TrimSpace(req.Command[0]) == "" {
		return fleet.Computer{}, nil, BadInput(fmt.Errorf("a task needs a command to run"), Hint{GiveCommand, ""})
	}
	if len(req.Projects) == 0 {
		return fleet.Computer{}, nil, BadInput(fmt.Errorf("a task needs a project to push after it succeeds"), Hint{})
	}
	for _, p := range req.Projects {
		if _, err := s.Project(p); err != nil {
			return fleet.Computer{}, nil, err
		}
	}
	if req.Computer == "" {
		name, err := s.ThisComputer()
		if err != nil {
			return fleet.Computer{}, nil, err
		}
		req.Computer = name
	}
	stored, err := s.Computer(req.Computer)
	if err != nil {
		return fleet.Computer{}, nil, err
	}
	c, err := s.resolve(ctx, stored)
	if err != nil {
		return fleet.Computer{}, nil, err
	}
	if c.Local {
		return c, req.Command, nil
	}
	return c, sshcmd.Command(c, s.sshConfig(), false, req.Command), nil
}

// runTask runs argv for run, logging each line, and records the run's end.
func (s *Service) runTask(run *Run, c fleet.Computer, argv []string) int {
	log := s.log.WithField("run", run.ID).WithField("computer", c.Name)
	log.Debug("$ " + sshcmd.Quote(argv))
	code, runErr := process.Run(run.ctx, process.Spec{Argv: argv, OnLine: func(st process.Stream, line string) {
		log.WithField("stream", string(st)).Info(line)
	}})
	res := Result{RunID: run.ID, Status: StatusOK, Summary: fmt.Sprintf("the task on %s exited with code 0", c.Name)}
	switch {
	case run.ctx.Err() != nil:
		res.Status, res.Summary, code = StatusCancelled, "the task was stopped; nothing was pushed", -1
	case runErr != nil:
		res.Status, res.Summary = StatusFailed, fmt.Sprintf("the task exited with code %d; nothing was pushed", code)
	}
	if err := s.store.FinishRun(run.ID, res.Status, 0, 0, errorText(res)); err != nil {
		log.WithError(err).Warn("could not record the task's end")
	}
	if res.Failed() {
		log.Error(res.Summary)
	}
	s.endRun(run, res)
	return code
}

func errorText(res Result) string {
	if res.Failed() {
		return res.Summary
	}
	return ""
}
