package gui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
)

// PollInterval is how often the window looks for changes made by the command line (or
// another window) in the shared database.
const PollInterval = 2 * time.Second

// Watch reloads the window whenever the database changes under it, until ctx ends.
func (u *UI) Watch(ctx context.Context) {
	last := u.snapshot()
	ticker := time.NewTicker(PollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if now := u.snapshot(); now != last {
			last = now
			fyne.Do(u.Reload)
		}
	}
}

// snapshot summarises what the window shows from the store: computers and projects
// (every column) and the newest runs' states.
func (u *UI) snapshot() string {
	dump, err := u.deps.Store.Dump()
	if err != nil {
		return ""
	}
	runs, err := u.deps.Store.Runs(20)
	if err != nil {
		return dump
	}
	for _, r := range runs {
		dump += fmt.Sprintf("|%d %s %d", r.ID, r.Status, r.Files)
	}
	return dump
}
