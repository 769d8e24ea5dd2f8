package gui

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/hostkeys"
	"filesync/sync/probe"
	"filesync/widgets"
)

// checkComputer runs "computer check" for c and shows the report; a changed or untrusted
// host key leads on to the trust question.
func (u *UI) checkComputer(c data.Computer) {
	go func() {
		if err := u.pinKnownHosts(); err != nil {
			fyne.Do(func() { u.showError(err) })
			return
		}
		report := probe.Check(context.Background(), runs.Computer(c), u.deps.SSH, nil)
		fyne.Do(func() { u.showReport(c, report) })
	}()
}

func (u *UI) pinKnownHosts() error {
	r, ok := u.deps.Backend.(*runs.Runner)
	if !ok {
		return nil
	}
	return r.PinKnownHosts()
}

func (u *UI) showReport(c data.Computer, r probe.Report) {
	if r.Status == probe.HostKeyChanged || r.Status == probe.NotTrusted {
		u.offerTrust(c)
		return
	}
	dialog.ShowInformation("Check "+c.Name, reportText(r), u.win)
}

func reportText(r probe.Report) string {
	if r.Error != "" {
		return fmt.Sprintf("Status: %s\n\n%s", r.Status, r.Error)
	}
	lines := []string{
		"Status: " + string(r.Status),
		"rsync: " + r.RsyncVersion,
		"Root folder: " + r.Root + existsNote(r.RootExists),
		"Writable: " + yesNo(r.Writable),
		"Free space: " + widgets.FormatBytes(r.FreeBytes),
	}
	if r.Fingerprint != "" {
		lines = append(lines, "Host key: "+r.Fingerprint)
	}
	return strings.Join(lines, "\n")
}

func existsNote(exists bool) string {
	if exists {
		return ""
	}
	return " (created on first sync)"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// offerTrust fetches c's current key and asks whether to pin it.
func (u *UI) offerTrust(c data.Computer) {
	go func() {
		keys, err := hostkeys.Scan(context.Background(), c.Host, c.Port, runs.ConnectTimeout)
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			askTrust(u.win, c.Name, c.HostKeys, keys, func() {
				if err := u.deps.Store.SetHostKeys(c.Name, keys); err != nil {
					u.showError(err)
				}
				u.Reload()
			})
		})
	}()
}

func currentUser() string {
	if me, err := user.Current(); err == nil {
		return me.Username
	}
	return os.Getenv("USER")
}
