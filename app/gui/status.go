package gui

import (
	"filesync/app/service"
	"filesync/widgets"
)

// tone is the colour a status is shown in.
func tone(s service.Status) widgets.Tone {
	switch s {
	case service.StatusIdle:
		return widgets.ToneIdle
	case service.StatusRunning, service.StatusSyncing:
		return widgets.ToneBusy
	case service.StatusOK:
		return widgets.ToneGood
	case service.StatusFailed, service.StatusInterrupted:
		return widgets.ToneBad
	case service.StatusUnreachable:
		return widgets.ToneAway
	case service.StatusHostKeyChanged:
		return widgets.ToneAlarm
	case service.StatusNotTrusted:
		return widgets.ToneAsk
	}
	return widgets.ToneNeutral
}

// setBadge shows s on b in its colour.
func setBadge(b *widgets.StatusBadge, s service.Status) { b.SetStatus(string(s), tone(s)) }
