package gui

import (
	"strings"

	"fyne.io/fyne/v2"

	"filesync/app/service"
	"filesync/widgets/units"
)

// notify tells the desktop when a run ended with failures, conflicts or halts.
func (u *UI) notify(res service.Result) {
	if n := runNotice(res); n != nil {
		u.app.SendNotification(n)
	}
}

// runNotice is the notification a run's end deserves, or nil when it went as asked.
func runNotice(res service.Result) *fyne.Notification {
	var title string
	var lines []string
	switch {
	case res.Status == service.StatusFailed:
		title, lines = "FileSync: sync failed", []string{res.Summary}
	case len(res.Conflicts) > 0:
		title = "FileSync: " + units.Count(len(res.Conflicts), "conflict")
	case len(res.Halts) > 0:
		title = "FileSync: " + units.Count(len(res.Halts), "project") + " held back"
	default:
		return nil
	}
	for _, line := range []string{service.ConflictSummary(res.Conflicts), service.HaltSummary(res.Halts)} {
		if line != "" {
			lines = append(lines, line)
		}
	}
	return fyne.NewNotification(title, strings.Join(lines, "\n"))
}
