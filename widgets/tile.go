package widgets

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Tile is a tappable box showing a few lines of text on the colour of a Tone: one cell of
// a grid such as computers × projects. Like the badge, it does not know what the words mean.
type Tile struct {
	widget.BaseWidget
	text     string
	tone     Tone
	selected bool
	// OnTapped is called when the tile is tapped.
	OnTapped func()
}

var (
	_ fyne.Tappable      = (*Tile)(nil)
	_ desktop.Cursorable = (*Tile)(nil)
)

// NewTile creates a tile showing text (one line per "\n") in the colour of tone.
func NewTile(text string, tone Tone, tapped func()) *Tile {
	t := &Tile{text: text, tone: tone, OnTapped: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// SetState changes the shown text and its colour.
func (t *Tile) SetState(text string, tone Tone) {
	t.text, t.tone = text, tone
	t.Refresh()
}

// SetSelected outlines the tile, or stops outlining it.
func (t *Tile) SetSelected(selected bool) {
	t.selected = selected
	t.Refresh()
}

// Text returns the shown text.
func (t *Tile) Text() string { return t.text }

// Tone returns the shown text's tone.
func (t *Tile) Tone() Tone { return t.tone }

// Selected reports whether the tile is outlined.
func (t *Tile) Selected() bool { return t.selected }

// Tapped calls OnTapped.
func (t *Tile) Tapped(*fyne.PointEvent) {
	if t.OnTapped != nil {
		t.OnTapped()
	}
}

// Cursor shows that the tile can be clicked.
func (t *Tile) Cursor() desktop.Cursor { return desktop.PointerCursor }

// CreateRenderer draws the tile as a rounded rectangle behind its lines.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{tile: t, background: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

type tileRenderer struct {
	tile       *Tile
	background *canvas.Rectangle
	lines      []*canvas.Text
}

func (r *tileRenderer) padding() float32 {
	return theme.SizeForWidget(theme.SizeNameInnerPadding, r.tile)
}

func (r *tileRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	var height float32
	for _, l := range r.lines {
		height += l.MinSize().Height
	}
	y := (size.Height - height) / 2
	for _, l := range r.lines {
		text := l.MinSize()
		l.Move(fyne.NewPos((size.Width-text.Width)/2, y))
		l.Resize(text)
		y += text.Height
	}
}

func (r *tileRenderer) MinSize() fyne.Size {
	var size fyne.Size
	for _, l := range r.lines {
		text := l.MinSize()
		size.Width = max(size.Width, text.Width)
		size.Height += text.Height
	}
	pad := r.padding()
	return size.Add(fyne.NewSize(2*pad, 2*pad))
}

// A tile is drawn in a tint of its tone's colour, outlined in the colour itself: a grid
// of them in full colour is too loud to read.
const (
	tileTint    = 0x55
	tileOutline = 1.5
	tileChosen  = 3 // the outline of the selected tile, in the text's colour
)

func tint(c color.Color) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = tileTint
	return n
}

func (r *tileRenderer) Refresh() {
	colour, _ := toneColors(r.tile.tone, r.tile)
	ink := theme.ColorForWidget(theme.ColorNameForeground, r.tile)
	r.background.FillColor = tint(colour)
	r.background.CornerRadius = theme.SizeForWidget(theme.SizeNameInputRadius, r.tile)
	r.background.StrokeWidth, r.background.StrokeColor = tileOutline, colour
	if r.tile.selected {
		r.background.StrokeWidth, r.background.StrokeColor = tileChosen, ink
	}
	lines := strings.Split(r.tile.text, "\n")
	for len(r.lines) < len(lines) {
		r.lines = append(r.lines, canvas.NewText("", ink))
	}
	r.lines = r.lines[:len(lines)]
	for i, line := range lines {
		r.lines[i].Text, r.lines[i].Color = line, ink
		r.lines[i].TextStyle.Bold = i == 0
	}
	r.Layout(r.tile.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	objects := []fyne.CanvasObject{r.background}
	for _, l := range r.lines {
		objects = append(objects, l)
	}
	return objects
}

func (r *tileRenderer) Destroy() {}
