package cli

import (
	"github.com/spf13/cobra"

	"filesync/app/service"
)

func newRunCmd(a *appContext) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "run --project P [--computer X] -- CMD [ARGS…]",
		Short: "Run a task on a computer; when it exits 0, push the project from there to every other computer",
		Long: `Runs CMD on the computer (this one, or --computer X over ssh, each argument arriving as
typed) with its output in the log; when it exits 0, pushes the projects from there to
every other computer.

Exit status: when the task fails, its own exit code, and nothing is pushed; otherwise 0
when the push succeeded, 1 when it failed, 2 on bad input. A script that must tell
FileSync's failure from its task's uses --json: the document always says the task's
exit code ("task_exit_code") and, when the task succeeded, the push's result ("push").`,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			res, err := b.RunTask(cmd.Context(), service.TaskRequest{Computer: f.computer, Command: args, Projects: f.projects, Force: f.force})
			if err != nil {
				return err
			}
			if f.asJSON {
				err = a.printJSON(taskView(res))
			} else if res.Push != nil {
				a.printResult(*res.Push)
			}
			switch {
			case err != nil:
				return err
			case res.Push == nil && res.ExitCode > 0:
				return &taskExit{res.ExitCode}
			case res.Push == nil, res.Push.Failed():
				return errFailed
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.projects, "project", nil, "project to push after the task succeeds (repeat for several)")
	cmd.Flags().StringVar(&f.computer, "computer", "", "computer to run the task on (default: this computer)")
	cmd.Flags().BoolVar(&f.force, "force", false, "let the push's deletions (or a mirror) remove more than half of a computer's files")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the task's exit code and the push's result as JSON")
	return cmd
}

type taskJSON struct {
	Computer     string      `json:"computer"`
	TaskExitCode int         `json:"task_exit_code"`
	Push         *resultJSON `json:"push"` // null when the task did not succeed
}

func taskView(res service.TaskResult) taskJSON {
	v := taskJSON{Computer: res.Computer, TaskExitCode: res.ExitCode}
	if res.Push != nil {
		push := resultView(*res.Push)
		v.Push = &push
	}
	return v
}
