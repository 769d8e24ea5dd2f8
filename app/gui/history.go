package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/data"
	"filesync/widgets"
	"filesync/widgets/units"
)

// historyLimit is how many runs the History tab lists.
const historyLimit = 200

// historyTab lists past runs; a tap opens a run's transfers.
type historyTab struct {
	ui      *UI
	runs    []data.Run
	list    *widget.List
	content fyne.CanvasObject
}

func newHistoryTab(u *UI) *historyTab {
	t := &historyTab{ui: u}
	t.list = widget.NewList(func() int { return len(t.runs) }, newHistoryRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { showHistoryRow(o, t.runs[id]) })
	t.list.OnSelected = func(id widget.ListItemID) {
		t.showDetail(t.runs[id].ID)
		t.list.UnselectAll()
	}
	var titles []fyne.CanvasObject
	for _, title := range []string{"Status", "Run", "Trigger", "Started", "Duration", "Files / bytes", "Scope"} {
		titles = append(titles, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	head := container.New(historyColumns, titles...)
	t.content = container.NewBorder(head, nil, nil, nil, t.list)
	return t
}

func (t *historyTab) reload() {
	runs, err := t.ui.deps.Backend.Runs(historyLimit)
	if err != nil {
		t.ui.showError(err)
		return
	}
	t.runs = runs
	t.list.Refresh()
}

// historyColumns: status, run, trigger, started, duration, files/bytes, scope.
var historyColumns = columnsLayout{[]column{{130, 0}, {60, 0}, {110, 0}, {170, 0}, {100, 0}, {130, 0}, {200, 1}}}

// historyRow is one run in the list.
type historyRow struct {
	widget.BaseWidget
	badge   *widgets.StatusBadge
	cells   []*widget.Label
	content fyne.CanvasObject
}

func newHistoryRow() fyne.CanvasObject {
	r := &historyRow{badge: widgets.NewStatusBadge("", widgets.ToneNeutral)}
	objects := make([]fyne.CanvasObject, 6)
	for i := range objects {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		r.cells = append(r.cells, l)
		objects[i] = l
	}
	r.content = container.New(historyColumns, append([]fyne.CanvasObject{container.NewHBox(r.badge)}, objects...)...)
	r.ExtendBaseWidget(r)
	return r
}

func (r *historyRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func showHistoryRow(o fyne.CanvasObject, run data.Run) {
	r := o.(*historyRow)
	setBadge(r.badge, run.Status)
	texts := []string{fmt.Sprintf("#%d", run.ID), string(run.Trigger), run.StartedAt.Local().Format(time.DateTime), runDuration(run),
		fmt.Sprintf("%d / %s", run.Files, units.Bytes(run.Bytes)), run.Scope}
	for i, text := range texts {
		r.cells[i].SetText(text)
	}
}

func runDuration(r data.Run) string {
	if r.EndedAt == nil {
		return "running"
	}
	return r.EndedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
}

// showDetail opens a run's transfers with their command lines and output tails.
func (t *historyTab) showDetail(id uint) {
	run, err := t.ui.deps.Backend.RunDetail(id)
	if err != nil {
		t.ui.showError(err)
		return
	}
	text := widget.NewLabelWithStyle(runDetailText(run), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	text.Wrapping = fyne.TextWrapWord
	versions := widget.NewButton("Versions kept by this run", func() {
		t.ui.showVersions(fmt.Sprintf("Versions kept by run #%d", run.ID), service.VersionQuery{Run: run.ID})
	})
	body := container.NewBorder(container.NewHBox(versions), nil, nil, nil, container.NewVScroll(text))
	d := dialog.NewCustom(fmt.Sprintf("Run #%d", run.ID), "Close", body, t.ui.win)
	d.Resize(fyne.NewSize(1000, 600))
	d.Show()
}

// runDetailText is a run in words: its outcome, its conflicts and halts, and its transfers.
func runDetailText(run data.Run) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Run #%d (%s): %s, %s\nStarted %s, took %s\n", run.ID, run.Trigger, run.Status, run.Scope,
		run.StartedAt.Local().Format(time.DateTime), runDuration(run))
	if run.Error != "" {
		fmt.Fprintf(&b, "\n%s\n", run.Error)
	}
	conflicts, halts := service.StoredConflicts(run)
	if report := service.ConflictReport(conflicts, halts); report != "" {
		b.WriteString("\n" + report)
	}
	for _, tr := range run.Transfers {
		fmt.Fprintf(&b, "\n%s → %s [%s]: exit %d, %d files, %s, %s\n$ %s\n", tr.From, tr.To, tr.Folders, tr.ExitCode,
			tr.Files, units.Bytes(tr.Bytes), time.Duration(tr.DurationMS)*time.Millisecond, tr.Argv)
		if tr.Error != "" {
			fmt.Fprintf(&b, "error: %s\n", tr.Error)
		}
		if tr.OutputTail != "" {
			b.WriteString(tr.OutputTail + "\n")
		}
	}
	return b.String()
}
