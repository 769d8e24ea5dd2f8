package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// InstallTray adds the tray menu — Sync all, Sync project ▸, Show window, Quit — and makes
// closing the window hide it. Call it only when a tray host exists: without one, Fyne's
// tray code crashes on quit under a bare X server.
func (u *UI) InstallTray() bool {
	desk, ok := u.app.(desktop.App)
	if !ok {
		return false
	}
	if u.deps.Icon != nil {
		desk.SetSystemTrayIcon(u.deps.Icon)
	}
	desk.SetSystemTrayMenu(u.trayMenu())
	desk.SetSystemTrayWindow(u.win)
	u.tray = desk
	return true
}

func (u *UI) trayMenu() *fyne.Menu {
	var projects []*fyne.MenuItem
	for _, name := range u.projects.names() {
		projects = append(projects, fyne.NewMenuItem(name, func() { u.SyncProject(name) }))
	}
	syncProject := fyne.NewMenuItem("Sync project", nil)
	syncProject.ChildMenu = fyne.NewMenu("", projects...)
	syncProject.Disabled = len(projects) == 0
	quit := fyne.NewMenuItem("Quit", u.app.Quit)
	quit.IsQuit = true
	return fyne.NewMenu("FileSync",
		fyne.NewMenuItem("Sync all", u.SyncAll),
		syncProject,
		fyne.NewMenuItem("Show window", func() { u.win.Show(); u.win.RequestFocus() }),
		fyne.NewMenuItemSeparator(),
		quit)
}

// refreshTray rebuilds the project submenu after projects change.
func (u *UI) refreshTray() {
	if u.tray != nil {
		u.tray.SetSystemTrayMenu(u.trayMenu())
	}
}
