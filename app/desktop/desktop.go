// Package desktop starts the FileSync window: it creates the Fyne app (the only package
// that imports fyne.io/fyne/v2/app, which needs cgo and a display), opens the store and the
// application layer, runs the long-running services under one supervisor, and installs
// the tray when the desktop has a tray host.
package desktop

import (
	"context"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/godbus/dbus/v5"
	"github.com/sirupsen/logrus"

	"filesync/app/autosync"
	"filesync/app/gui"
	"filesync/app/paths"
	"filesync/app/service"
	"filesync/data"
)

// AppID identifies FileSync to the desktop (preferences, notifications).
const AppID = "io.github.filesync"

// quitTimeout is how long quitting waits for runs in progress to stop their rsync
// processes and record themselves as cancelled.
const quitTimeout = 10 * time.Second

// Run opens the window on the app whose files are at p, logging to log, and returns the
// process exit code when it closes.
func Run(p paths.Paths, log *logrus.Logger, icon []byte) int {
	store, err := data.Open(p.DB, log)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	svc, err := service.New(service.Config{Store: store, Paths: p, Log: log})
	if err != nil {
		return fail(err)
	}
	a := app.NewWithID(AppID)
	res := fyne.NewStaticResource("Icon.png", icon)
	a.SetIcon(res)
	ui := gui.New(a, gui.Deps{Backend: svc, Icon: res})
	defer ui.Close()
	if !trayHostPresent() || !ui.InstallTray() {
		ui.Window().SetMaster()
	}
	ctx, stop := context.WithCancel(context.Background())
	supervisor := &service.Supervisor{Log: log}
	supervisor.Go(ctx, "the database watch", svc.WatchStore)
	supervisor.Go(ctx, "automatic sync", (&autosync.Service{Runs: svc, Log: log}).Serve)
	ui.Window().ShowAndRun()
	stop()
	quit, cancel := context.WithTimeout(context.Background(), quitTimeout)
	defer cancel()
	if err := svc.Close(quit); err != nil {
		log.Warnf("runs still stopping after %s; they will be marked interrupted at the next start", quitTimeout)
	}
	supervisor.Wait()
	return 0
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
