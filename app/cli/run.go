package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"filesync/app/runs"
	"filesync/sync/engine"
)

// taskExit carries a failed task's own exit code out of the command line.
type taskExit struct{ code int }

func (e *taskExit) Error() string {
	return fmt.Sprintf("the task exited with code %d; nothing was pushed", e.code)
}

func newRunCmd(a *appContext) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "run --project P [--computer X] -- CMD [ARGS…]",
		Short: "Run a task on a computer; when it exits 0, push the project from there to every other computer",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(f.projects) == 0 {
				return badInput("run needs --project: name the project to push after the task")
			}
			r, err := a.runner()
			if err != nil {
				return err
			}
			if f.computer == "" {
				if f.computer, err = r.ThisComputer(); err != nil {
					return err
				}
			}
			if _, err := r.Store.Computer(f.computer); err != nil {
				return err
			}
			for _, p := range f.projects {
				if _, err := r.Store.Project(p); err != nil {
					return err
				}
			}
			code, err := r.RunTask(cmd.Context(), runs.Task{Computer: f.computer, Command: args, SSH: a.sshConfig()})
			if err != nil {
				return err
			}
			if code != 0 {
				return &taskExit{code}
			}
			req := runs.Request{Kind: engine.Push, Target: f.computer, Projects: f.projects, Trigger: "task", Force: f.force}
			return a.run(cmd, req, f.asJSON)
		},
	}
	cmd.Flags().StringArrayVar(&f.projects, "project", nil, "project to push after the task succeeds (repeat for several)")
	cmd.Flags().StringVar(&f.computer, "computer", "", "computer to run the task on (default: this computer)")
	cmd.Flags().BoolVar(&f.force, "force", false, "let a mirror delete more than half of a destination's files")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the push result as JSON")
	return cmd
}
