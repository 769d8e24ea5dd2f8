package gui

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/data"
)

// computerForm adds or edits a computer. Problems show in red inside the dialog, which
// stays open until the input is right.
type computerForm struct {
	tab                                          *computersTab
	old                                          *data.Computer // nil when adding
	name, host, port, user, root, identity, bw   *widget.Entry
	local, relay, receiveOnly, enabled, insecure *widget.Check
	problem                                      *widget.Label
	dlg                                          *dialog.CustomDialog
}

// showForm opens the dialog that adds a computer (old nil) or edits old. A new computer's
// port, user and root are left empty, to be taken from ~/.ssh/config or the defaults.
func (t *computersTab) showForm(old *data.Computer) *computerForm {
	f := &computerForm{tab: t, old: old}
	c := data.NewComputer("")
	c.Root = ""
	if old != nil {
		c = *old
	}
	f.build(c)
	title := "Add computer"
	if old != nil {
		title = "Edit " + old.Name
	}
	save := widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), f.save)
	save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dlg.Hide() })
	f.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(f.formWidget(), f.problem, container.NewHBox(cancel, save)), t.ui.win)
	f.dlg.Resize(fyne.NewSize(560, 0))
	f.dlg.Show()
	return f
}

func (f *computerForm) build(c data.Computer) {
	entry := func(text, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(hint)
		return e
	}
	f.name = entry(c.Name, "gpu-1")
	f.host = entry(c.Host, "IP, DNS name or ~/.ssh/config alias")
	f.port = entry(blankZero(c.Port), "22, or from ~/.ssh/config")
	f.user = entry(c.User, "your login name, or from ~/.ssh/config")
	f.root = entry(c.Root, service.DefaultRoot)
	f.identity = entry(c.Identity, "optional: ~/.ssh/id_ed25519, or from ~/.ssh/config")
	f.bw = entry(strconv.Itoa(c.BWLimitKBps), "0 = unlimited")
	f.local = widget.NewCheck("A folder on this machine (this computer, a mounted disk or NAS)", f.localChanged)
	f.relay = widget.NewCheck("Relay through this computer (when others cannot reach it)", nil)
	f.receiveOnly = widget.NewCheck("Receive only (never copied from, e.g. a backup disk)", nil)
	f.enabled = widget.NewCheck("Takes part in syncs", nil)
	f.insecure = widget.NewCheck("Skip host key checks (unsafe)", nil)
	f.local.SetChecked(c.Local)
	f.relay.SetChecked(c.Relay)
	f.receiveOnly.SetChecked(!c.SyncWithOthers)
	f.enabled.SetChecked(c.Enabled)
	f.insecure.SetChecked(c.InsecureSkipHostKeyCheck)
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.localChanged(c.Local)
}

func (f *computerForm) formWidget() fyne.CanvasObject {
	return widget.NewForm(
		widget.NewFormItem("Name", f.name),
		widget.NewFormItem("", f.local),
		widget.NewFormItem("Host", f.host),
		widget.NewFormItem("SSH port", f.port),
		widget.NewFormItem("User", f.user),
		widget.NewFormItem("Root folder", f.root),
		widget.NewFormItem("Identity file", f.identity),
		widget.NewFormItem("Bandwidth KB/s", f.bw),
		widget.NewFormItem("", f.enabled),
		widget.NewFormItem("", f.receiveOnly),
		widget.NewFormItem("", f.relay),
		widget.NewFormItem("", f.insecure),
	)
}

// localChanged greys out what a local computer does not have.
func (f *computerForm) localChanged(local bool) {
	for _, w := range []fyne.Disableable{f.host, f.port, f.user, f.identity, f.relay, f.insecure} {
		if local {
			w.Disable()
		} else {
			w.Enable()
		}
	}
}

// computer reads the fields; a number that is not one is a problem of its own.
func (f *computerForm) computer() (data.Computer, error) {
	c := data.NewComputer(strings.TrimSpace(f.name.Text))
	if f.old != nil {
		c = *f.old
		c.Name = strings.TrimSpace(f.name.Text)
	}
	port, err := strconv.Atoi(strings.TrimSpace(orZero(f.port.Text)))
	if err != nil && !f.local.Checked {
		return c, &service.FieldError{Field: "port", Value: f.port.Text, Reason: "must be a number between 1 and 65535"}
	}
	bw, err := strconv.Atoi(strings.TrimSpace(orZero(f.bw.Text)))
	if err != nil {
		return c, &service.FieldError{Field: "bandwidth limit", Value: f.bw.Text, Reason: "must be a number of KB/s (0 = unlimited)"}
	}
	c.Host, c.Port, c.User = strings.TrimSpace(f.host.Text), port, strings.TrimSpace(f.user.Text)
	c.Root, c.Identity, c.BWLimitKBps = cmp.Or(strings.TrimSpace(f.root.Text), service.DefaultRoot), strings.TrimSpace(f.identity.Text), bw
	c.Local, c.Relay, c.Enabled = f.local.Checked, f.relay.Checked, f.enabled.Checked
	c.SyncWithOthers, c.InsecureSkipHostKeyCheck = !f.receiveOnly.Checked, f.insecure.Checked
	return service.PrepareComputer(c, false)
}

// blankZero shows a port left to ssh's configuration as an empty field.
func blankZero(port int) string {
	if port == 0 {
		return ""
	}
	return strconv.Itoa(port)
}

func orZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

// save checks the input and conflicts, then (for a new remote computer) asks the user to
// trust its host key before adding it.
func (f *computerForm) save() {
	c, err := f.computer()
	if err != nil {
		f.problem.SetText(message(err))
		return
	}
	backend := f.tab.ui.deps.Backend
	if f.old != nil {
		f.finish(backend.UpdateComputer(f.old.Name, &c))
		return
	}
	if err := backend.CheckNewComputer(c); err != nil {
		f.problem.SetText(message(err))
		return
	}
	if c.Local || c.InsecureSkipHostKeyCheck {
		f.finish(backend.AddComputer(&c))
		return
	}
	f.problem.SetText("Fetching the host key of " + c.Host + "…")
	f.fetchAndTrust(c)
}

func (f *computerForm) fetchAndTrust(c data.Computer) {
	ui := f.tab.ui
	var key service.HostKey
	var err error
	ui.inBackground(func() { key, err = ui.deps.Backend.ScanHostKey(context.Background(), c) }, func() {
		if err != nil {
			f.problem.SetText(message(err))
			return
		}
		f.problem.SetText("")
		askTrust(ui.win, c.Name, key, func() {
			c.HostKeys = key.Keys
			f.finish(ui.deps.Backend.AddComputer(&c))
		})
	})
}

func (f *computerForm) finish(err error) {
	if err != nil {
		f.problem.SetText(message(err))
		return
	}
	f.dlg.Hide()
	f.tab.ui.Reload()
}

// askTrust shows a host key's fingerprint (and the pinned one, when it changed) and calls
// trust when the user accepts it.
func askTrust(w fyne.Window, name string, key service.HostKey, trust func()) {
	msg := fmt.Sprintf("%s offers the host key\n\n%s\n\nCompare it with the computer's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). Trust it?",
		name, key.Fingerprint)
	if key.Changed() {
		msg = fmt.Sprintf("The host key of %s CHANGED.\n\npinned:  %s\noffered: %s\n\nTrust the new key only if you know why it changed (a reinstall).",
			name, key.Pinned, key.Fingerprint)
	}
	d := dialog.NewConfirm("Trust host key?", msg, func(ok bool) {
		if ok {
			trust()
		}
	}, w)
	d.SetConfirmText("Trust")
	d.Show()
}
