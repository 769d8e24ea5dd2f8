package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"github.com/sirupsen/logrus"

	"filesync/sync/engine"
	"filesync/widgets"
)

// bridge turns one engine event into widget updates on the UI goroutine. Output lines
// reach the log pane through the logger (logPaneHook), not from here.
func (u *UI) bridge(ev engine.Event) {
	switch ev.Kind {
	case engine.ComputerChecked:
		c := *ev.Computer
		if c.Status != engine.StatusOK {
			fyne.Do(func() { u.computers.setStatus(c.Name, c.Status, c.Reason) })
		}
	case engine.Started:
		fyne.Do(func() {
			u.computers.setStatus(ev.Transfer.From, "syncing", "")
			u.computers.setStatus(ev.Transfer.To, "syncing", "")
			u.activity.add(ev.RunID, ev.Transfer)
		})
	case engine.Progress:
		fyne.Do(func() {
			u.activity.progress(ev.RunID, ev.Transfer, ev.Progress)
			u.computers.setProgress(ev.Transfer.To, float64(ev.Progress.Percent)/100)
		})
	case engine.Finished:
		fyne.Do(func() {
			u.activity.remove(ev.RunID, ev.Transfer)
			u.computers.setProgress(ev.Transfer.To, -1)
		})
	case engine.RunFinished:
		res := *ev.Run
		fyne.Do(func() {
			u.computers.applyResult(res)
			u.Reload()
			u.notify(res)
		})
	}
}

// notify tells the desktop when a run ended with failures.
func (u *UI) notify(res engine.Result) {
	if res.Status != engine.StatusFailed {
		return
	}
	u.app.SendNotification(fyne.NewNotification("FileSync: sync failed", res.Summary))
}

// logPaneHook copies every log entry into the log pane; Append is safe from any goroutine.
type logPaneHook struct{ view *widgets.LogView }

func (h *logPaneHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *logPaneHook) Fire(e *logrus.Entry) error {
	h.view.Append(widgets.LogLine{
		Time:     e.Time,
		Level:    levelName(e.Level),
		Computer: subject(e.Data),
		Project:  fmt.Sprint(orEmpty(e.Data["project"])),
		Text:     e.Message,
	})
	return nil
}

func levelName(l logrus.Level) string {
	switch {
	case l <= logrus.ErrorLevel:
		return "error"
	case l == logrus.WarnLevel:
		return "warning"
	case l == logrus.InfoLevel:
		return "info"
	}
	return "debug"
}

// subject is who a log line is about: "from → to" for a transfer, else the computer.
func subject(data logrus.Fields) string {
	if from, ok := data["from"]; ok {
		return fmt.Sprintf("%v → %v", from, data["to"])
	}
	return fmt.Sprint(orEmpty(data["computer"]))
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
