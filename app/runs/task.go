package runs

import (
	"context"
	"fmt"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/process"
	"filesync/sync/sshcmd"
)

// Task is a command to run on a computer before pushing a project from it.
type Task struct {
	Computer string
	Command  []string
	SSH      sshcmd.Config
}

// RunTask runs t.Command on t.Computer (locally for a local computer, else over ssh, quoted
// so each argument arrives as typed), streams its output to the log and records it in the
// history. It returns the command's exit code.
func (r *Runner) RunTask(ctx context.Context, t Task) (int, error) {
	stored, err := r.Store.Computer(t.Computer)
	if err != nil {
		return -1, &InputError{err.Error()}
	}
	c := Computer(stored)
	argv, err := taskArgv(c, t)
	if err != nil {
		return -1, err
	}
	if err := r.PinKnownHosts(); err != nil {
		return -1, err
	}
	run, err := r.Store.StartRun("task", fmt.Sprintf("on %s: %s", c.Name, sshcmd.Quote(t.Command)))
	if err != nil {
		return -1, err
	}
	log := r.Log.WithField("run", run.ID).WithField("computer", c.Name)
	log.Info("$ " + sshcmd.Quote(argv))
	code, runErr := process.Run(ctx, process.Spec{Argv: argv, OnLine: func(s process.Stream, line string) {
		log.WithField("stream", string(s)).Info(line)
	}})
	status, errText := "ok", ""
	switch {
	case ctx.Err() != nil:
		status, errText = "cancelled", "the task was stopped; nothing was pushed"
	case runErr != nil:
		status, errText = "failed", fmt.Sprintf("the task exited with code %d; nothing was pushed", code)
	}
	if err := r.Store.FinishRun(run.ID, status, 0, 0, errText); err != nil {
		log.WithError(err).Warn("could not record the task's end")
	}
	if errText != "" {
		log.Error(errText)
	}
	return code, nil
}

// taskArgv is how to start the task: as given on a local computer, or through ssh with
// the command quoted for the remote shell.
func taskArgv(c fleet.Computer, t Task) ([]string, error) {
	if len(t.Command) == 0 || strings.TrimSpace(t.Command[0]) == "" {
		return nil, &InputError{"run needs a command after --, e.g. filesync run --project P -- python train.py"}
	}
	if c.Local {
		return t.Command, nil
	}
	return sshcmd.Command(c, t.SSH, false, t.Command), nil
}
