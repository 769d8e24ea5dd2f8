package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
)

// showTaskForm asks for a command and a project, runs the command on the computer, and on
// exit 0 pushes the project from there to every other computer.
func (u *UI) showTaskForm(computer string) {
	command := widget.NewEntry()
	command.SetPlaceHolder("python train.py --epochs 10")
	project := widget.NewSelect(u.projects.names(), nil)
	if len(project.Options) > 0 {
		project.SetSelected(project.Options[0])
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Command", command),
		widget.NewFormItem("Then push", project),
	}
	d := dialog.NewForm("Run a task on "+computer, "Run", "Cancel", items, func(ok bool) {
		if ok && strings.TrimSpace(command.Text) != "" && project.Selected != "" {
			u.runTask(computer, command.Text, project.Selected)
		}
	}, u.win)
	d.Resize(fyne.NewSize(600, 0))
	d.Show()
}

// runTask runs the command line through the computer's shell (it is the user's own
// command, typed as in a terminal); the service pushes the project when it exits 0.
func (u *UI) runTask(computer, command, project string) {
	req := service.TaskRequest{Computer: computer, Command: []string{"sh", "-c", command}, Projects: []string{project}}
	var res service.TaskResult
	var err error
	u.inBackground(func() { res, err = u.deps.Backend.RunTask(context.Background(), req) }, func() {
		switch {
		case err != nil:
			u.showError(err)
		case res.Push == nil:
			u.app.SendNotification(fyne.NewNotification("FileSync: task failed",
				fmt.Sprintf("%q on %s exited with code %d; nothing was pushed", command, computer, res.ExitCode)))
		}
	})
}
