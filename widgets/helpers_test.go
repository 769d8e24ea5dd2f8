package widgets

import (
	"sort"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// placed is a rendered object with its position relative to the walk's root.
type placed struct {
	obj fyne.CanvasObject
	pos fyne.Position
}

// rendered lists every visible object drawn under root, positioned relative to root.
func rendered(root fyne.CanvasObject) []placed {
	var all []placed
	var walk func(o fyne.CanvasObject, origin fyne.Position)
	walk = func(o fyne.CanvasObject, origin fyne.Position) {
		if !o.Visible() {
			return
		}
		var children []fyne.CanvasObject
		switch v := o.(type) {
		case fyne.Widget:
			children = test.WidgetRenderer(v).Objects()
		case *fyne.Container:
			children = v.Objects
		}
		for _, child := range children {
			pos := origin.Add(child.Position())
			all = append(all, placed{child, pos})
			walk(child, pos)
		}
	}
	walk(root, fyne.Position{})
	return all
}

// rowsInView returns the texts of the list rows that lie inside the list's viewport, top to bottom.
func rowsInView(t *testing.T, l *LogView) []string {
	t.Helper()
	height := l.list.Size().Height
	var rows []placed
	for _, p := range rendered(l.list) {
		label, ok := p.obj.(*canvas.Text)
		if !ok || !label.TextStyle.Monospace {
			continue
		}
		if p.pos.Y >= -0.5 && p.pos.Y+label.Size().Height <= height+0.5 {
			rows = append(rows, p)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pos.Y < rows[j].pos.Y })
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.obj.(*canvas.Text).Text
	}
	return texts
}

// newTestLogView shows a LogView in a test window and turns off its timer so the test flushes by hand.
func newTestLogView(t *testing.T, capacity int) *LogView {
	t.Helper()
	test.NewTempApp(t)
	l := NewLogView(capacity)
	l.manual = true
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(1000, 400))
	return l
}
