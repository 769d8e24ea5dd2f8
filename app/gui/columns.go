package gui

import "fyne.io/fyne/v2"

// column is one column of a table-like list: at least min wide, taking a share of the
// spare width in proportion to weight.
type column struct {
	min    float32
	weight float32
}

// columnsLayout lays out a row's cells (and its header's) in the same columns, so that
// headers line up with the rows under them whatever the window's width.
type columnsLayout struct{ cols []column }

func (l columnsLayout) widths(total float32) []float32 {
	var fixed, weights float32
	for _, c := range l.cols {
		fixed += c.min
		weights += c.weight
	}
	spare := max(0, total-fixed-float32(len(l.cols)-1)*gap)
	out := make([]float32, len(l.cols))
	for i, c := range l.cols {
		out[i] = c.min
		if weights > 0 {
			out[i] += spare * c.weight / weights
		}
	}
	return out
}

// gap is the space between columns.
const gap = 6

func (l columnsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, w := range l.widths(size.Width) {
		if i >= len(objects) {
			return
		}
		h := objects[i].MinSize().Height
		objects[i].Move(fyne.NewPos(x, (size.Height-h)/2))
		objects[i].Resize(fyne.NewSize(w, h))
		x += w + gap
	}
}

func (l columnsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, c := range l.cols {
		w += c.min + gap
		if i < len(objects) {
			h = max(h, objects[i].MinSize().Height)
		}
	}
	return fyne.NewSize(w, h)
}

// gridLayout lays out a table of cols columns, row by row: the first column as wide as
// its widest cell (the rows' names), the others sharing the rest of the width equally;
// each row as tall as its tallest cell, and every cell filling its row.
type gridLayout struct{ cols int }

func (g gridLayout) measure(objects []fyne.CanvasObject) (first, other float32, heights []float32) {
	for i, o := range objects {
		m := o.MinSize()
		if i%g.cols == 0 {
			first = max(first, m.Width)
			heights = append(heights, 0)
		} else {
			other = max(other, m.Width)
		}
		heights[len(heights)-1] = max(heights[len(heights)-1], m.Height)
	}
	return first, other, heights
}

func (g gridLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	first, other, heights := g.measure(objects)
	h := float32(max(len(heights)-1, 0)) * gap
	for _, rh := range heights {
		h += rh
	}
	return fyne.NewSize(first+float32(g.cols-1)*(other+gap), h)
}

func (g gridLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	first, _, heights := g.measure(objects)
	other := (size.Width - first - float32(g.cols-1)*gap) / float32(max(g.cols-1, 1))
	var y float32
	for i, o := range objects {
		row, col := i/g.cols, i%g.cols
		x, w := float32(0), first
		if col > 0 {
			x, w = first+gap+float32(col-1)*(other+gap), other
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, heights[row]))
		if col == g.cols-1 {
			y += heights[row] + gap
		}
	}
}
