package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/widgets"
)

// activityTab shows the transfers running now, above the log pane.
type activityTab struct {
	ui       *UI
	running  map[transferKey]*widgets.TransferProgress
	runs     int // runs in progress
	box      *fyne.Container
	idle     *widget.Label
	content  fyne.CanvasObject
	cancelBt *widget.Button
}

type transferKey struct {
	run   uint
	index int
}

func newActivityTab(u *UI) *activityTab {
	t := &activityTab{ui: u, running: map[transferKey]*widgets.TransferProgress{}}
	t.idle = widget.NewLabel("No transfers running.")
	t.box = container.NewVBox(t.idle)
	t.cancelBt = widget.NewButton("Cancel all runs", u.CancelAll)
	top := container.NewBorder(container.NewHBox(widget.NewLabelWithStyle("Running transfers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.cancelBt),
		nil, nil, nil, container.NewVScroll(t.box))
	split := container.NewVSplit(top, u.logView)
	split.Offset = 0.3
	t.content = split
	t.showIdle()
	return t
}

func (t *activityTab) add(run uint, info service.TransferInfo) {
	p := widgets.NewTransferProgress(widgets.TransferTitle(info.From, info.To, info.Folders))
	p.OnCancel = func() { t.ui.deps.Backend.CancelTransfer(run, info.Index) }
	t.running[transferKey{run, info.Index}] = p
	t.box.Add(p)
	t.showIdle()
}

// showRuns shows Cancel while any run is in progress, even one still probing computers.
func (t *activityTab) showRuns(n int) {
	t.runs = n
	t.showIdle()
}

func (t *activityTab) progress(run uint, info service.TransferInfo, p service.Progress) {
	if row, ok := t.running[transferKey{run, info.Index}]; ok {
		row.Update(p.Bytes, p.Percent, p.Rate, p.ETA)
	}
}

func (t *activityTab) remove(run uint, info service.TransferInfo) {
	key := transferKey{run, info.Index}
	if row, ok := t.running[key]; ok {
		t.box.Remove(row)
		delete(t.running, key)
	}
	t.showIdle()
}

func (t *activityTab) showIdle() {
	t.idle.Hidden = len(t.running) > 0
	t.cancelBt.Hidden = t.runs == 0
	t.idle.Refresh()
	t.cancelBt.Refresh()
}

// Running lists the titles of the transfers shown (for tests).
func (t *activityTab) Running() []string {
	var titles []string
	for key, row := range t.running {
		titles = append(titles, fmt.Sprintf("run %d #%d %s", key.run, key.index, row.Title()))
	}
	return titles
}
