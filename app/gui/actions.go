package gui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"

	"filesync/app/runs"
	"filesync/sync/engine"
)

// SyncAll leaves every computer with the union of every project.
func (u *UI) SyncAll() {
	u.start(runs.Request{Kind: engine.SyncAll})
}

// SyncComputer makes name download everything from the other computers.
func (u *UI) SyncComputer(name string) {
	u.start(runs.Request{Kind: engine.SyncComputer, Target: name})
}

// SyncProject syncs one project across every computer.
func (u *UI) SyncProject(name string) {
	u.start(runs.Request{Kind: engine.SyncAll, Projects: []string{name}})
}

// CancelAll stops every run in progress.
func (u *UI) CancelAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, cancel := range u.cancels {
		cancel()
	}
}

// Running reports how many runs are in progress.
func (u *UI) Running() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.active
}

// start runs req in the background; its events drive the widgets.
func (u *UI) start(req runs.Request) {
	ctx, cancel := context.WithCancel(context.Background())
	u.mu.Lock()
	u.active++
	u.mu.Unlock()
	go func() {
		defer cancel()
		events := make(chan engine.Event, 256)
		bridged := make(chan uint)
		go u.bridgeAll(events, cancel, bridged)
		_, err := u.deps.Backend.Run(ctx, req, events)
		close(events)
		runID := <-bridged
		u.mu.Lock()
		u.active--
		delete(u.cancels, runID)
		u.mu.Unlock()
		if err != nil {
			fyne.Do(func() { u.showError(fmt.Errorf("could not start: %w", err)) })
		}
	}()
}

// bridgeAll hands each event to the widgets, remembering the run's cancel function under
// the run id the events carry; it sends that id on done when the events end.
func (u *UI) bridgeAll(events <-chan engine.Event, cancel context.CancelFunc, done chan<- uint) {
	var runID uint
	for ev := range events {
		if runID == 0 {
			runID = ev.RunID
			u.mu.Lock()
			u.cancels[runID] = cancel
			u.mu.Unlock()
		}
		u.bridge(ev)
	}
	done <- runID
}
