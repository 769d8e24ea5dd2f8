package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/widgets/units"
)

// versionsView lists the kept copies a query names (a run's, a file's), filtered by path
// as typed, with the space versions take on each computer; each row restores its copy.
type versionsView struct {
	ui      *UI
	query   service.VersionQuery
	all     []service.KeptVersion
	shown   []service.KeptVersion
	filter  *widget.Entry
	list    *widget.List
	space   *widget.Label
	status  *widget.Label
	content fyne.CanvasObject
}

// versionColumns: path, computer, run, kept, size, why, restore.
var versionColumns = columnsLayout{[]column{{220, 1}, {110, 0}, {60, 0}, {170, 0}, {90, 0}, {100, 0}, {110, 0}}}

func newVersionsView(u *UI, q service.VersionQuery) *versionsView {
	v := &versionsView{ui: u, query: q}
	v.filter = widget.NewEntry()
	v.filter.SetPlaceHolder("Filter by path")
	v.filter.OnChanged = func(string) { v.applyFilter() }
	v.list = widget.NewList(func() int { return len(v.shown) }, func() fyne.CanvasObject { return newVersionRow(v) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*versionRow).show(id, v.shown[id]) })
	v.space = widget.NewLabel("")
	v.space.Wrapping = fyne.TextWrapWord
	v.status = widget.NewLabel("Listing the versions…")
	var titles []fyne.CanvasObject
	for _, title := range []string{"Path", "Computer", "Run", "Kept", "Size", "Why", ""} {
		titles = append(titles, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	top := container.NewVBox(v.filter, v.status, container.New(versionColumns, titles...))
	v.content = container.NewBorder(top, v.space, nil, nil, v.list)
	return v
}

// showVersions opens the versions q names in a dialog, listed in the background.
func (u *UI) showVersions(title string, q service.VersionQuery) *versionsView {
	v := newVersionsView(u, q)
	d := dialog.NewCustom(title, "Close", v.content, u.win)
	d.Resize(fyne.NewSize(1000, 600))
	d.Show()
	v.reload()
	return v
}

// reload lists the versions again.
func (v *versionsView) reload() {
	var list service.VersionList
	var err error
	v.ui.inBackground(func() { list, err = v.ui.deps.Backend.Versions(context.Background(), v.query) }, func() {
		if err != nil {
			v.status.SetText("The versions could not be listed: " + err.Error())
			return
		}
		v.all = list.Versions
		v.space.SetText(spaceText(list.Space))
		v.applyFilter()
		if v.ui.versionsShown != nil {
			v.ui.versionsShown(v)
		}
	})
}

// applyFilter shows the versions whose path holds the filter's text; the status line,
// set last, says how many.
func (v *versionsView) applyFilter() {
	text := strings.TrimSpace(v.filter.Text)
	shown := make([]service.KeptVersion, 0, len(v.all))
	for _, k := range v.all {
		if strings.Contains(k.Path, text) {
			shown = append(shown, k)
		}
	}
	v.shown = shown
	v.list.Refresh()
	v.status.SetText(fmt.Sprintf("%s of %d shown. Restore puts a copy back on every computer; what it replaces is kept as a version.",
		units.Count(len(v.shown), "version"), len(v.all)))
}

// restore puts k back on every computer, then lists the versions again.
func (v *versionsView) restore(k service.KeptVersion) {
	var res service.Result
	var err error
	v.status.SetText(fmt.Sprintf("Restoring %s from run %d on %s…", k.Path, k.RunID, k.Computer))
	req := service.RestoreRequest{Computer: k.Computer, Run: k.RunID, Path: k.Path}
	v.ui.inBackground(func() { res, err = v.ui.deps.Backend.RestoreVersion(context.Background(), req) }, func() {
		switch {
		case err != nil:
			v.ui.showError(err)
		case res.Failed():
			v.status.SetText("The restore failed: " + res.Summary)
		default:
			v.status.SetText(fmt.Sprintf("Restored %s on every computer (run %d).", k.Path, res.RunID))
		}
		if v.ui.versionsRestored != nil {
			v.ui.versionsRestored(res, err)
		}
		v.reload()
	})
}

// spaceText is the space versions take per computer: "c1: 2.1 MB in 12 versions".
func spaceText(space []service.VersionSpace) string {
	parts := make([]string, len(space))
	for i, s := range space {
		parts[i] = fmt.Sprintf("%s: %s in %s", s.Computer, units.Bytes(s.Bytes), units.Count(s.Files, "version"))
		if s.Err != "" {
			parts[i] = s.Computer + ": could not be listed (" + s.Err + ")"
		}
	}
	return "Space versions take: " + strings.Join(parts, "; ")
}

// versionRow is one kept copy with its Restore button.
type versionRow struct {
	widget.BaseWidget
	view    *versionsView
	id      widget.ListItemID
	cells   []*widget.Label
	restore *widget.Button
	content fyne.CanvasObject
}

func newVersionRow(v *versionsView) *versionRow {
	r := &versionRow{view: v}
	objects := make([]fyne.CanvasObject, 0, len(versionColumns.cols))
	for range len(versionColumns.cols) - 1 {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		r.cells = append(r.cells, l)
		objects = append(objects, l)
	}
	r.restore = widget.NewButtonWithIcon("Restore", theme.HistoryIcon(), func() {
		if r.id < len(v.shown) {
			v.restore(v.shown[r.id])
		}
	})
	r.content = container.New(versionColumns, append(objects, r.restore)...)
	r.ExtendBaseWidget(r)
	return r
}

func (r *versionRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func (r *versionRow) show(id widget.ListItemID, k service.KeptVersion) {
	r.id = id
	texts := []string{k.Path, k.Computer, fmt.Sprintf("#%d", k.RunID), k.Time.Local().Format(time.DateTime), units.Bytes(k.Size), string(k.Why)}
	for i, text := range texts {
		r.cells[i].SetText(text)
	}
}
