package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// addShortcuts binds Ctrl+S (sync all), Ctrl+N (add computer), Ctrl+F (log filter) and
// Ctrl+Q (quit).
func (u *UI) addShortcuts() {
	ctrl := func(key fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	}
	c := u.win.Canvas()
	c.AddShortcut(ctrl(fyne.KeyS), func(fyne.Shortcut) { u.SyncAll() })
	c.AddShortcut(ctrl(fyne.KeyN), func(fyne.Shortcut) {
		u.ShowTab("Computers")
		u.computers.showForm(nil)
	})
	c.AddShortcut(ctrl(fyne.KeyQ), func(fyne.Shortcut) { u.app.Quit() })
	c.AddShortcut(ctrl(fyne.KeyF), func(fyne.Shortcut) {
		u.ShowTab("Activity")
		u.logView.FocusFilter(c)
	})
}
