package gui

import (
	"errors"

	"fyne.io/fyne/v2/dialog"

	"filesync/app/service"
)

// showError shows what failed and, where there is one, what to do about it in the window.
func (u *UI) showError(err error) {
	dialog.ShowError(errors.New(message(err)), u.win)
}

// message is err as the window shows it.
func message(err error) string {
	if hint := hintText(service.HintOf(err)); hint != "" {
		return err.Error() + ". " + hint
	}
	return err.Error()
}

// hintText words a hint as what to do in this window.
func hintText(h service.Hint) string {
	switch h.Do {
	case service.AddComputer:
		return "Add one with Add computer on the Computers tab."
	case service.AddProject:
		return "Add one on the Projects tab."
	case service.EditComputer:
		return "To change " + h.Name + ", press Edit on its row."
	case service.EditProject:
		return "To change " + h.Name + ", select it on the Projects tab."
	case service.EnableComputer:
		return "Press Edit on its row and tick \"Takes part in syncs\"."
	case service.TrustComputer:
		return "Press Check on " + h.Name + "'s row to compare its fingerprint and trust it."
	case service.NameComputer:
		return "Add this computer as a local one (Add computer, \"A folder on this machine\")."
	case service.GiveCommand:
		return "Type the command to run."
	}
	return ""
}
