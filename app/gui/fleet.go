package gui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/widgets"
)

// fleetTab shows how each computer's copy of each project stands against the rest of the
// fleet: computers as rows, projects as columns, from one listing of every computer. It
// lists again after every run and on Refresh, never two listings at once.
type fleetTab struct {
	ui        *UI
	status    service.FleetStatus
	grid      *fyne.Container
	tiles     map[cellKey]*widgets.Tile
	progress  map[string]service.ListingProgress // by computer, while a listing runs
	note      *widget.Label
	refreshBt *widget.Button
	cancelBt  *widget.Button
	files     *cellFiles
	content   fyne.CanvasObject

	life    context.Context // ends when the window closes
	end     context.CancelFunc
	cancel  context.CancelFunc // ends the listing in progress; nil when none runs
	again   bool               // Refresh was asked for while a listing ran
	looked  bool               // a listing was asked for at least once
	running sync.WaitGroup     // the listing's goroutine

	// autoEvery spaces the listings that follow runs: a watch pushing every second must
	// not have the window list the whole fleet every second.
	autoEvery time.Duration
	lastAuto  time.Time // when a run's end last started a listing
	autoDue   bool      // a listing after a run is waiting for its turn

	shown func(error) // tests look at the view once a listing's outcome is shown
}

type cellKey struct{ computer, project string }

func newFleetTab(u *UI) *fleetTab {
	t := &fleetTab{ui: u, tiles: map[cellKey]*widgets.Tile{}, autoEvery: autoRefreshEvery}
	t.life, t.end = context.WithCancel(context.Background())
	t.note = widget.NewLabel("Press Refresh to list every computer's project folders and compare them.")
	t.note.Truncation = fyne.TextTruncateEllipsis
	t.refreshBt = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), t.refresh)
	t.cancelBt = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), t.cancelListing)
	t.cancelBt.Hide()
	t.grid = container.New(gridLayout{cols: 1})
	t.files = newCellFiles(u)
	toolbar := container.NewBorder(nil, nil, container.NewHBox(t.refreshBt, t.cancelBt), nil, t.note)
	split := container.NewVSplit(container.NewScroll(container.NewVBox(t.grid)), t.files.content)
	split.Offset = 0.45
	t.content = container.NewBorder(toolbar, nil, nil, nil, split)
	return t
}

// firstLook lists the fleet the first time the tab is shown, unless a run did already.
func (t *fleetTab) firstLook() {
	if !t.looked {
		t.refresh()
	}
}

// autoRefreshEvery is the least time between two listings that runs' ends start.
const autoRefreshEvery = 10 * time.Second

// afterRun lists the fleet after a run ended: at once, or, when a run's end started a
// listing less than autoEvery ago, once that much time has passed (runs ending meanwhile
// share that listing).
func (t *fleetTab) afterRun() {
	wait := t.autoEvery - time.Since(t.lastAuto)
	switch {
	case t.autoDue:
	case wait <= 0:
		t.lastAuto = time.Now()
		t.refresh()
	default:
		t.autoDue = true
		t.ui.inBackground(func() {
			select {
			case <-time.After(wait):
			case <-t.life.Done():
			}
		}, func() {
			t.autoDue = false
			t.afterRun()
		})
	}
}

// refresh lists the fleet; asked while a listing runs, it lists once more after that one.
func (t *fleetTab) refresh() {
	t.looked = true
	if t.cancel != nil {
		t.again = true
		return
	}
	if t.life.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(t.life)
	t.cancel = cancel
	t.progress = map[string]service.ListingProgress{}
	t.note.SetText("Listing the computers' folders…")
	t.cancelBt.Show()
	var st service.FleetStatus
	var err error
	t.running.Add(1)
	t.ui.inBackground(func() {
		defer t.running.Done()
		st, err = t.ui.deps.Backend.Status(ctx, service.StatusRequest{})
	}, func() { t.showOutcome(st, err) })
}

// cancelListing stops the listing in progress, and a refresh queued behind it.
func (t *fleetTab) cancelListing() {
	if t.cancel != nil {
		t.cancel()
		t.again = false
	}
}

// close cancels the listing in progress and waits for it to stop.
func (t *fleetTab) close() {
	t.end()
	t.running.Wait()
}

// listed shows how far a computer's listing has come.
func (t *fleetTab) listed(p service.ListingProgress) {
	if t.cancel == nil {
		return
	}
	t.progress[p.Computer] = p
	t.note.SetText(progressText(t.progress))
}

// progressText is every computer's listing in a line: "c1: 2000 entries · c2: done (310)".
func progressText(progress map[string]service.ListingProgress) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(progress)) {
		p := progress[name]
		switch {
		case p.Err != "":
			parts = append(parts, p.Computer+": failed")
		case p.Done:
			parts = append(parts, fmt.Sprintf("%s: done (%d)", p.Computer, p.Entries))
		default:
			parts = append(parts, fmt.Sprintf("%s: %d entries", p.Computer, p.Entries))
		}
	}
	return "Listing… " + strings.Join(parts, " · ")
}

// showOutcome shows a listing's result, or why there is none, then runs a queued refresh.
func (t *fleetTab) showOutcome(st service.FleetStatus, err error) {
	if t.life.Err() != nil {
		return
	}
	t.cancel()
	t.cancel = nil
	t.cancelBt.Hide()
	switch {
	case errors.Is(err, context.Canceled):
		t.note.SetText("Listing cancelled; the grid shows the last complete listing.")
	case err != nil:
		t.note.SetText("Could not list the fleet: " + message(err))
	default:
		t.showStatus(st)
		t.ui.computers.setFleet(st)
		t.note.SetText(statusSummary(st))
	}
	if t.shown != nil {
		t.shown(err)
	}
	if t.again {
		t.again = false
		t.refresh()
	}
}

// showStatus lays out the grid: a header row of projects, then a row per computer.
func (t *fleetTab) showStatus(st service.FleetStatus) {
	t.status = st
	t.tiles = map[cellKey]*widgets.Tile{}
	bold := fyne.TextStyle{Bold: true}
	objects := []fyne.CanvasObject{widget.NewLabel("")}
	for _, p := range st.Projects {
		objects = append(objects, widget.NewLabelWithStyle(p, fyne.TextAlignCenter, bold))
	}
	for i, c := range st.Computers {
		name := widget.NewLabelWithStyle(c.Name, fyne.TextAlignLeading, bold)
		objects = append(objects, container.NewVBox(layout.NewSpacer(), name, layout.NewSpacer()))
		for _, cell := range st.Cells[i*len(st.Projects) : (i+1)*len(st.Projects)] {
			objects = append(objects, t.tile(cell))
		}
	}
	t.grid.Layout = gridLayout{cols: len(st.Projects) + 1}
	t.grid.Objects = objects
	t.grid.Refresh()
	if cell, ok := t.cell(t.files.key()); ok {
		t.open(cell)
	} else {
		t.files.clear()
	}
}

func (t *fleetTab) tile(cell service.Cell) *widgets.Tile {
	status := t.computerStatus(cell.Computer)
	tile := widgets.NewTile(cellText(cell, status), cellTone(cell.State, status), func() { t.open(cell) })
	t.tiles[cellKey{cell.Computer, cell.Project}] = tile
	return tile
}

func (t *fleetTab) computerStatus(name string) service.Status {
	for _, c := range t.status.Computers {
		if c.Name == name {
			return c.Status
		}
	}
	return service.StatusUnreachable
}

func (t *fleetTab) cell(k cellKey) (service.Cell, bool) {
	for _, c := range t.status.Cells {
		if c.Computer == k.computer && c.Project == k.project {
			return c, true
		}
	}
	return service.Cell{}, false
}

// open lists a cell's files below the grid and outlines its tile.
func (t *fleetTab) open(cell service.Cell) {
	k := cellKey{cell.Computer, cell.Project}
	for key, tile := range t.tiles {
		tile.SetSelected(key == k)
	}
	t.files.show(cell)
}

// cellText is a cell in a line or two: "in sync", what a sync would bring and take, or
// why its computer (whose listing ended in status) could not be listed.
func cellText(c service.Cell, status service.Status) string {
	if c.State == service.CellUnreachable {
		return strings.TrimSpace(string(status) + "\n" + shortReason(c.Computer, status, c.Reason))
	}
	switch c.State {
	case service.CellInSync:
		return "in sync"
	case service.CellHalted:
		return "halted\n" + haltedWhy(c.Reason)
	}
	return strings.Join(service.CellCounts(c), "\n")
}

// haltedWhy is a halted cell's reason in two words; a click shows all of it.
func haltedWhy(reason string) string {
	if strings.Contains(reason, " is missing") {
		return "a folder is missing"
	}
	return "its folders are empty"
}

// shortReasonLen is how much of an unreachable cell's reason its tile shows; a click
// shows all of it.
const shortReasonLen = 34

// shortReason is why, in the words after the computer's name and the status word the
// tile shows above it, cut to fit a tile: "Connection refused", "no answer within 10s",
// "host key not trusted yet". An address ("at gpu@10.0.0.5:22: …") is not a why, and of
// ssh's own message the last clause is.
func shortReason(computer string, status service.Status, reason string) string {
	reason = strings.TrimPrefix(reason, computer+": ")
	if rest, ok := strings.CutPrefix(reason, string(status)); ok {
		if !strings.HasPrefix(rest, " ") {
			return "" // "host key changed: pinned …": the status says it all
		}
		reason = rest[1:]
	}
	if strings.HasPrefix(reason, "at ") {
		_, reason, _ = strings.Cut(reason, ": ")
	}
	if ssh, ok := strings.CutPrefix(reason, "ssh: "); ok {
		reason = ssh[strings.LastIndex(ssh, ": ")+1:]
	}
	for _, sep := range []string{": ", " (", "; "} {
		reason, _, _ = strings.Cut(strings.TrimSpace(reason), sep)
	}
	if r := []rune(reason); len(r) > shortReasonLen {
		return string(r[:shortReasonLen-1]) + "…"
	}
	return reason
}

// statusSummary is a listing in a sentence, for the line above the grid.
func statusSummary(st service.FleetStatus) string {
	text := st.Summary()
	if out, unlisted := st.Tally(); out > 0 || unlisted > 0 {
		text += ". Click a cell to list its files"
	}
	return strings.ToUpper(text[:1]) + text[1:] + "."
}
