package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"

	"filesync/app/service"
	"filesync/data"
	"filesync/widgets/units"
)

// checkComputer checks c and shows the report; a changed or untrusted host key leads on
// to the trust question.
func (u *UI) checkComputer(c data.Computer) {
	var reports []service.CheckReport
	var err error
	u.inBackground(func() { reports, err = u.deps.Backend.Check(context.Background(), []string{c.Name}) }, func() {
		if err != nil {
			u.showError(err)
			return
		}
		u.showReport(c, reports[0])
	})
}

func (u *UI) showReport(c data.Computer, r service.CheckReport) {
	if service.StatusHint(c.Name, r.Status).Do == service.TrustComputer {
		u.offerTrust(c)
		return
	}
	dialog.ShowInformation("Check "+c.Name, reportText(r), u.win)
}

func reportText(r service.CheckReport) string {
	if r.Error != "" {
		return fmt.Sprintf("Status: %s\n\n%s", r.Status, r.Error)
	}
	lines := []string{
		"Status: " + string(r.Status),
		"rsync: " + service.RsyncVersion(r.RsyncVersion),
		"Root folder: " + r.Root + service.RootNote(r),
		"Writable: " + yesNo(r.Writable),
		"Free space: " + units.Bytes(r.FreeBytes),
	}
	if took := service.SessionStartText(r); took != "" {
		lines = append(lines, "Command start: "+took)
	}
	if r.Fingerprint != "" {
		lines = append(lines, "Host key: "+r.Fingerprint)
	}
	if advice := service.SessionStartAdvice(r); advice != "" {
		lines = append(lines, "", advice)
	}
	return strings.Join(lines, "\n")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// offerTrust fetches c's current key and asks whether to pin it.
func (u *UI) offerTrust(c data.Computer) {
	var key service.HostKey
	var err error
	u.inBackground(func() { key, err = u.deps.Backend.ScanHostKey(context.Background(), c) }, func() {
		if err != nil {
			u.showError(err)
			return
		}
		askTrust(u.win, c.Name, key, func() {
			if err := u.deps.Backend.Trust(c.Name, key.Keys); err != nil {
				u.showError(err)
			}
			u.Reload()
		})
	})
}
