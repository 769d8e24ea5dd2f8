package gui

import (
	"fyne.io/fyne/v2"

	"filesync/app/service"
	"filesync/widgets"
)

// followed are the kinds of event the window shows. Raw output lines are not among
// them: they reach the log pane as log entries.
var followed = []service.EventKind{
	service.RunStarted, service.ComputerChecked, service.Started, service.ProgressMade,
	service.Finished, service.RunFinished, service.LogEntry, service.StoreChanged, service.Listed,
}

// follow applies the process's events to the window until the subscription closes,
// whoever started the runs: a button, the tray, automatic sync, a task; in between it
// shows what background work (inBackground) found. It is the one place where events and
// results cross to the UI goroutine, so that they cross in one order (the test driver
// runs fyne.Do inline, on this goroutine).
func (u *UI) follow(sub *service.Subscription) {
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			if ev.Kind == service.LogEntry {
				u.logView.Append(logLine(ev.Log)) // safe from any goroutine; refreshes in batches
				continue
			}
			fyne.Do(func() { u.apply(ev) })
		case show := <-u.shows:
			fyne.Do(show)
		}
	}
}

func logLine(l *service.LogLine) widgets.LogLine {
	return widgets.LogLine{Time: l.Time, Level: l.Level, Computer: l.Computer, Project: l.Project, Text: l.Text}
}

// apply shows one event. UI goroutine only.
func (u *UI) apply(ev service.Event) {
	switch ev.Kind {
	case service.RunStarted:
		u.setRunning(ev.RunID, true)
		u.history.reload()
	case service.ComputerChecked:
		if c := ev.Computer; c.Status != service.StatusOK {
			u.computers.setStatus(c.Name, c.Status, c.Reason)
		}
	case service.Started:
		u.computers.setStatus(ev.Transfer.From, service.StatusSyncing, "")
		u.computers.setStatus(ev.Transfer.To, service.StatusSyncing, "")
		u.activity.add(ev.RunID, ev.Transfer)
	case service.ProgressMade:
		u.activity.progress(ev.RunID, ev.Transfer, ev.Progress)
		u.computers.setProgress(ev.Transfer.To, float64(ev.Progress.Percent)/100)
	case service.Finished:
		u.activity.remove(ev.RunID, ev.Transfer)
		u.computers.setProgress(ev.Transfer.To, -1)
	case service.RunFinished:
		u.setRunning(ev.RunID, false)
		u.computers.applyResult(*ev.Run)
		u.Reload()
		u.fleet.afterRun()
		u.notify(*ev.Run)
	case service.StoreChanged:
		u.Reload()
	case service.Listed:
		u.fleet.listed(*ev.Listing)
	}
	if u.applied != nil {
		u.applied(ev)
	}
}

func (u *UI) setRunning(id uint, running bool) {
	if running {
		u.running[id] = true
	} else {
		delete(u.running, id)
	}
	u.activity.showRuns(len(u.running))
}

// inBackground runs work off the UI goroutine, then show on it through follow: for
// checks, host-key scans, tasks and fleet listings, which take seconds. Once the window
// is closed, show is dropped.
func (u *UI) inBackground(work func(), show func()) {
	go func() {
		work()
		select {
		case u.shows <- show:
		case <-u.closed:
		}
	}()
}
