package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/data"
	"filesync/widgets"
	"filesync/widgets/units"
)

// liveState is what the current runs say about a computer, over what the store says.
type liveState struct {
	status   service.Status
	reason   string
	progress float64 // 0..1 while a transfer writes to it, else -1
}

type computersTab struct {
	ui       *UI
	list     *widget.List
	all      []data.Computer
	live     map[string]*liveState
	fleet    map[string]fleetStanding // from the last fleet listing
	content  fyne.CanvasObject
	syncAll  *widget.Button
	addBtn   *widget.Button
	emptyMsg *widget.Label
}

func newComputersTab(u *UI) *computersTab {
	t := &computersTab{ui: u, live: map[string]*liveState{}, fleet: map[string]fleetStanding{}}
	t.list = widget.NewList(func() int { return len(t.all) }, func() fyne.CanvasObject { return newComputerRow(t) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*computerRow).show(t.all[id], t.state(t.all[id])) })
	t.addBtn = widget.NewButtonWithIcon("Add computer", theme.ContentAddIcon(), func() { t.showForm(nil) })
	t.syncAll = widget.NewButtonWithIcon("Sync all", theme.ViewRefreshIcon(), u.SyncAll)
	t.syncAll.Importance = widget.HighImportance
	t.emptyMsg = widget.NewLabel("No computers yet. Add this computer (local) and the ones it should sync with.")
	toolbar := container.NewHBox(t.addBtn, t.syncAll, layout.NewSpacer())
	t.content = container.NewBorder(container.NewVBox(toolbar, header()), nil, nil, nil, container.NewStack(t.list, container.NewCenter(t.emptyMsg)))
	return t
}

// computerColumns: status, name, address, root folder, last sync, progress, actions.
var computerColumns = columnsLayout{[]column{{130, 0}, {100, 1}, {150, 1.4}, {150, 1.6}, {150, 0}, {100, 0}, {370, 0}}}

// header labels the columns of the rows below.
func header() fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for _, title := range []string{"Status", "Name", "Address", "Root folder", "Last sync", "Progress", ""} {
		cells = append(cells, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	return container.New(computerColumns, cells...)
}

func (t *computersTab) reload() {
	all, err := t.ui.deps.Backend.Computers()
	if err != nil {
		t.ui.showError(err)
		return
	}
	t.all = all
	t.emptyMsg.Hidden = len(all) > 0
	t.list.Refresh()
}

func (t *computersTab) names() []string {
	names := make([]string, len(t.all))
	for i, c := range t.all {
		names[i] = c.Name
	}
	return names
}

// state is the status shown for c: the live one while runs report on it, else the stored one.
func (t *computersTab) state(c data.Computer) liveState {
	if l, ok := t.live[c.Name]; ok {
		return *l
	}
	status := c.LastStatus
	if status == "" {
		status = service.StatusIdle
	}
	return liveState{status: status, reason: c.LastError, progress: -1}
}

func (t *computersTab) liveOf(name string) *liveState {
	l, ok := t.live[name]
	if !ok {
		l = &liveState{progress: -1}
		t.live[name] = l
	}
	return l
}

// setStatus shows a status reported by a run in progress.
func (t *computersTab) setStatus(name string, status service.Status, reason string) {
	l := t.liveOf(name)
	l.status, l.reason = status, reason
	t.list.Refresh()
}

// setProgress shows how far the transfer writing to name is; -1 hides the bar.
func (t *computersTab) setProgress(name string, p float64) {
	t.liveOf(name).progress = p
	t.list.Refresh()
}

// applyResult ends the live state of a run's computers: the store holds their status now.
// What the last fleet listing said about them is out of date too.
func (t *computersTab) applyResult(res service.Result) {
	for _, c := range res.Computers {
		delete(t.live, c.Name)
		delete(t.fleet, c.Name)
	}
	t.list.Refresh()
}

// fleetStanding is how the last fleet listing found a computer.
type fleetStanding struct {
	listed service.ComputerResult // ok, or why it could not be listed
	behind int                    // files it lacks
	inSync bool                   // every one of its cells is in sync
}

// setFleet shows how a fleet listing found the computers.
func (t *computersTab) setFleet(st service.FleetStatus) {
	t.fleet = map[string]fleetStanding{}
	for _, c := range st.Computers {
		t.fleet[c.Name] = fleetStanding{listed: c, inSync: true}
	}
	for _, cell := range st.Cells {
		s := t.fleet[cell.Computer]
		s.behind += cell.Receive.Files
		s.inSync = s.inSync && cell.State == service.CellInSync
		t.fleet[cell.Computer] = s
	}
	t.list.Refresh()
}

// badge is what c's badge says. A run's live status and a stored failure stand; a
// computer whose last run went fine, or that never ran, says how the last fleet
// listing found it: in sync, behind, or why it could not be listed.
func (t *computersTab) badge(c data.Computer, s liveState) (string, widgets.Tone) {
	f, listed := t.fleet[c.Name]
	_, live := t.live[c.Name]
	if !listed || live || (s.status != service.StatusOK && s.status != service.StatusIdle) {
		return string(s.status), tone(s.status)
	}
	switch {
	case f.listed.Status != service.StatusOK:
		return string(f.listed.Status), tone(f.listed.Status)
	case f.behind > 0:
		return "behind " + units.Count(f.behind, "file"), widgets.ToneBehind
	case f.inSync:
		return "in sync", widgets.ToneGood
	}
	return string(s.status), tone(s.status)
}

// Status is the status shown for the named computer (for tests and the tray).
func (t *computersTab) Status(name string) service.Status {
	for _, c := range t.all {
		if c.Name == name {
			return t.state(c).status
		}
	}
	return ""
}

func (t *computersTab) confirmDelete(c data.Computer) {
	msg := fmt.Sprintf("Remove %s from the fleet?\nIts files are not touched; FileSync stops syncing with it.", c.Name)
	dialog.ShowConfirm("Delete computer", msg, func(ok bool) {
		if !ok {
			return
		}
		if err := t.ui.deps.Backend.RemoveComputer(c.Name); err != nil {
			t.ui.showError(err)
		}
		t.ui.Reload()
	}, t.ui.win)
}

// computerRow is one line of the Computers tab.
type computerRow struct {
	widget.BaseWidget
	tab                       *computersTab
	badge                     *widgets.StatusBadge
	name, address, root, last *widget.Label
	progress                  *widget.ProgressBar
	sync, task, check, edit   *widget.Button
	del                       *widget.Button
	computer                  data.Computer
	content                   fyne.CanvasObject
}

func newComputerRow(t *computersTab) *computerRow {
	r := &computerRow{tab: t, badge: widgets.NewStatusBadge(string(service.StatusIdle), tone(service.StatusIdle)), progress: widget.NewProgressBar()}
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.address, r.root, r.last = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{r.name, r.address, r.root, r.last} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.sync = widget.NewButtonWithIcon("Sync", theme.DownloadIcon(), func() { t.ui.SyncComputer(r.computer.Name) })
	r.task = widget.NewButtonWithIcon("Task", theme.MediaPlayIcon(), func() { t.ui.showTaskForm(r.computer.Name) })
	r.check = widget.NewButtonWithIcon("Check", theme.InfoIcon(), func() { t.ui.checkComputer(r.computer) })
	r.edit = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { t.showForm(&r.computer) })
	r.del = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.confirmDelete(r.computer) })
	buttons := container.NewHBox(r.sync, r.task, r.check, r.edit, r.del)
	r.content = container.New(computerColumns, container.NewHBox(r.badge), r.name, r.address, r.root, r.last, r.progress, buttons)
	r.ExtendBaseWidget(r)
	return r
}

func (r *computerRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

func (r *computerRow) show(c data.Computer, s liveState) {
	r.computer = c
	r.badge.SetStatus(r.tab.badge(c, s))
	r.name.SetText(c.Name)
	r.address.SetText(service.Address(c))
	r.root.SetText(c.Root)
	r.last.SetText(lastSync(c))
	r.progress.Hidden = s.progress < 0
	if s.progress >= 0 {
		r.progress.SetValue(s.progress)
	}
	if !c.Enabled {
		r.name.SetText(c.Name + " (disabled)")
	}
}

func lastSync(c data.Computer) string {
	if c.LastSyncAt == nil {
		return "never"
	}
	return c.LastSyncAt.Local().Format(time.DateTime)
}
