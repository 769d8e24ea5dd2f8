// Package desktop starts the FileSync window: it creates the Fyne app (the only package
// that imports fyne.io/fyne/v2/app, which needs cgo and a display), opens the store and the
// engine, and installs the tray when the desktop has a tray host.
package desktop

import (
	"context"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/godbus/dbus/v5"

	"filesync/app/autosync"
	"filesync/app/gui"
	"filesync/app/logging"
	"filesync/app/paths"
	"filesync/app/runs"
	"filesync/data"
)

// AppID identifies FileSync to the desktop (preferences, notifications).
const AppID = "io.github.filesync"

// Run opens the window and returns the process exit code when it closes.
func Run(icon []byte) int {
	db, err := data.DefaultPath()
	if err != nil {
		return fail(err)
	}
	p, err := paths.For(db)
	if err != nil {
		return fail(err)
	}
	log, closeLog := logging.New(logging.Options{File: p.Log, Stderr: os.Stderr})
	defer closeLog()
	store, err := data.Open(db, log)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	runner, err := runs.NewRunner(store, p, log)
	if err != nil {
		return fail(err)
	}
	a := app.NewWithID(AppID)
	res := fyne.NewStaticResource("Icon.png", icon)
	a.SetIcon(res)
	ui := gui.New(a, gui.Deps{Store: store, Backend: runner, SSH: runs.SSHConfig(p), Log: log, Icon: res})
	if !trayHostPresent() || !ui.InstallTray() {
		ui.Window().SetMaster()
	}
	ctx, stop := context.WithCancel(context.Background())
	go ui.Watch(ctx)
	go (&autosync.Service{Store: store, Runner: runner, Log: log}).Serve(ctx)
	ui.Window().ShowAndRun()
	stop()
	finishRuns(ui)
	return 0
}

// finishRuns cancels runs still in progress and gives them a moment to stop their rsync
// processes and record themselves as cancelled.
func finishRuns(ui *gui.UI) {
	ui.CancelAll()
	deadline := time.Now().Add(10 * time.Second)
	for ui.Running() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
}

// trayHostPresent reports whether a system tray host (a StatusNotifierWatcher) owns its
// name on the session bus. Without D-Bus, or without a host, there is no tray.
func trayHostPresent() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var owned bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned)
	return err == nil && owned
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "filesync: "+err.Error())
	return 1
}
