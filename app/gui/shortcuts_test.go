package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"filesync/app/service"
)

func press(t *testing.T, u *UI, key fyne.KeyName) {
	t.Helper()
	c, ok := u.Window().Canvas().(fyne.Shortcutable)
	if !ok {
		t.Fatal("the window's canvas takes no shortcuts")
	}
	c.TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

func TestShortcuts_CtrlSSyncsAll(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	press(t, f.ui, fyne.KeyS)
	if a := f.nextAction(t); a.Kind != service.SyncAll {
		t.Fatalf("Ctrl+S asked for %+v, want sync all", a)
	}
}

func TestShortcuts_CtrlFShowsTheLogAndCtrlNTheComputerForm(t *testing.T) {
	f := newFixture(t, "c1")
	press(t, f.ui, fyne.KeyF)
	if got := f.ui.tabs.Selected().Text; got != "Activity" {
		t.Errorf("Ctrl+F shows the %s tab, want Activity", got)
	}
	press(t, f.ui, fyne.KeyN)
	if got := f.ui.tabs.Selected().Text; got != "Computers" {
		t.Errorf("Ctrl+N shows the %s tab, want Computers", got)
	}
	if overlays := f.ui.Window().Canvas().Overlays().List(); len(overlays) == 0 {
		t.Error("Ctrl+N opened no Add computer dialog")
	}
}
