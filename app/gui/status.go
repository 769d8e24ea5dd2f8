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

// cellTone is the colour of a Fleet view cell; an unreachable one is coloured as its
// computer's badge, by the status its listing ended in.
func cellTone(state service.CellState, listed service.Status) widgets.Tone {
	switch state {
	case service.CellInSync:
		return widgets.ToneGood
	case service.CellOutOfSync:
		return widgets.ToneBehind
	case service.CellHalted:
		return widgets.ToneAsk
	}
	return tone(listed)
}
