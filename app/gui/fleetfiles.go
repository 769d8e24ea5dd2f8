package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/widgets/units"
)

// cellFilesShown caps the files listed for a cell; the title says how many there are.
const cellFilesShown = 300

// cellFiles lists one Fleet cell's out-of-sync files, with the two syncs that settle them.
type cellFiles struct {
	ui           *UI
	cell         service.Cell
	open         bool
	files        []service.CellFile // the first cellFilesShown of the cell's
	title        *widget.Label
	reason       *widget.Label
	list         *widget.List
	syncComputer *widget.Button
	syncProject  *widget.Button
	content      fyne.CanvasObject
}

// cellFileColumns: path, size, newest copy on, direction, modified.
var cellFileColumns = columnsLayout{[]column{{200, 1}, {90, 0}, {140, 0}, {90, 0}, {170, 0}}}

func newCellFiles(u *UI) *cellFiles {
	f := &cellFiles{ui: u}
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.title.Truncation = fyne.TextTruncateEllipsis
	f.reason = widget.NewLabel("")
	f.reason.Wrapping = fyne.TextWrapWord
	f.list = widget.NewList(func() int { return len(f.files) }, newCellFileRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { showCellFile(o, f.files[id]) })
	// A tap on a file lists the copies of it that the computers keep.
	f.list.OnSelected = func(id widget.ListItemID) {
		path := f.files[id].Path
		f.list.UnselectAll()
		u.showVersions("Versions of "+path, service.VersionQuery{Path: path})
	}
	f.syncComputer = widget.NewButtonWithIcon("Sync this computer", theme.DownloadIcon(), func() { u.SyncComputer(f.cell.Computer) })
	f.syncProject = widget.NewButtonWithIcon("Sync this project", theme.ViewRefreshIcon(), func() { u.SyncProject(f.cell.Project) })
	var titles []fyne.CanvasObject
	for _, title := range []string{"Path", "Size", "Newest copy on", "Direction", "Modified"} {
		titles = append(titles, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(f.syncComputer, f.syncProject), f.title),
		f.reason, container.New(cellFileColumns, titles...))
	f.content = container.NewBorder(top, nil, nil, nil, f.list)
	f.clear()
	return f
}

// key is the cell shown; the zero key when none is.
func (f *cellFiles) key() cellKey {
	if !f.open {
		return cellKey{}
	}
	return cellKey{f.cell.Computer, f.cell.Project}
}

// clear shows no cell.
func (f *cellFiles) clear() {
	f.open, f.cell, f.files = false, service.Cell{}, nil
	f.title.SetText("Click a cell to list its files.")
	f.reason.Hide()
	f.syncComputer.Hide()
	f.syncProject.Hide()
	f.list.Refresh()
}

// show lists cell's files, or why its computer could not be listed.
func (f *cellFiles) show(cell service.Cell) {
	f.open, f.cell = true, cell
	f.files = cell.Files[:min(len(cell.Files), cellFilesShown)]
	f.title.SetText(cellTitle(cell, len(f.files)))
	f.reason.SetText(cell.Reason)
	f.reason.Hidden = cell.State != service.CellUnreachable && cell.State != service.CellHalted
	f.syncComputer.Show()
	f.syncProject.Show()
	f.reason.Refresh()
	f.list.Refresh()
	f.list.ScrollToTop()
}

// cellTitle says whose files these are and how many: "c2 / mnist: 12 files to receive, …".
func cellTitle(c service.Cell, shown int) string {
	parts := []string{c.Computer + " / " + c.Project + ": " + string(c.State)}
	if c.Receive.Files > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s) to receive", units.Count(c.Receive.Files, "file"), units.Bytes(c.Receive.Bytes)))
	}
	if c.NewerHere.Files > 0 {
		parts = append(parts, fmt.Sprintf("%s newer here (%s)", units.Count(c.NewerHere.Files, "file"), units.Bytes(c.NewerHere.Bytes)))
	}
	if c.Removed.Files > 0 {
		parts = append(parts, fmt.Sprintf("%s deleted elsewhere, to move into versions (%s)", units.Count(c.Removed.Files, "file"), units.Bytes(c.Removed.Bytes)))
	}
	if shown < len(c.Files) {
		parts = append(parts, fmt.Sprintf("showing the first %d of %d files", shown, len(c.Files)))
	}
	if c.State != service.CellUnreachable && !c.Synced {
		parts = append(parts, "never synced")
	}
	return strings.Join(parts, "; ")
}

// cellFileRow is one file of a cell.
type cellFileRow struct {
	widget.BaseWidget
	cells   []*widget.Label
	content fyne.CanvasObject
}

func newCellFileRow() fyne.CanvasObject {
	r := &cellFileRow{}
	objects := make([]fyne.CanvasObject, len(cellFileColumns.cols))
	for i := range objects {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		r.cells = append(r.cells, l)
		objects[i] = l
	}
	r.content = container.New(cellFileColumns, objects...)
	r.ExtendBaseWidget(r)
	return r
}

func (r *cellFileRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

func showCellFile(o fyne.CanvasObject, f service.CellFile) {
	r := o.(*cellFileRow)
	newest := f.Newest
	if f.Direction == service.Remove {
		newest = "deleted on " + f.Newest
	}
	direction := string(f.Direction)
	if f.Conflict {
		direction += " (conflict)"
	}
	texts := []string{f.Path, units.Bytes(f.Size), newest, direction, time.Unix(f.MTime, 0).Local().Format(time.DateTime)}
	for i, text := range texts {
		r.cells[i].SetText(text)
	}
}

// Files lists the paths shown (for tests).
func (f *cellFiles) Files() []string {
	paths := make([]string, len(f.files))
	for i, file := range f.files {
		paths[i] = file.Path
	}
	return paths
}
