package gui

import (
	"context"

	"filesync/app/service"
)

// SyncAll leaves every computer with the union of every project.
func (u *UI) SyncAll() {
	u.start(service.Request{Kind: service.SyncAll})
}

// SyncComputer makes name download everything from the other computers.
func (u *UI) SyncComputer(name string) {
	u.start(service.Request{Kind: service.SyncComputer, Target: name})
}

// SyncProject syncs one project across every computer.
func (u *UI) SyncProject(name string) {
	u.start(service.Request{Kind: service.SyncAll, Projects: []string{name}})
}

// CancelAll stops every run in progress, including one that has not started a transfer yet.
func (u *UI) CancelAll() {
	u.deps.Backend.CancelAll()
}

// start starts req; the run shows through the event stream. Starting takes milliseconds
// (checks and a database row), and once it returns the run can be cancelled.
func (u *UI) start(req service.Request) {
	if _, err := u.deps.Backend.Start(context.Background(), req); err != nil {
		u.showError(err)
	}
}
