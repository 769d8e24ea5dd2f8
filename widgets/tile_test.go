package widgets

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// tileLook returns the tile's drawn lines, background colour and outline width.
func tileLook(tl *Tile) (lines []string, fill color.Color, stroke float32) {
	for _, o := range test.WidgetRenderer(tl).Objects() {
		switch o := o.(type) {
		case *canvas.Text:
			lines = append(lines, o.Text)
		case *canvas.Rectangle:
			fill, stroke = o.FillColor, o.StrokeWidth
		}
	}
	return lines, fill, stroke
}

// sameHue reports whether a and b have the same red, green and blue, whatever their alpha.
func sameHue(a, b color.Color) bool {
	na, nb := color.NRGBAModel.Convert(a).(color.NRGBA), color.NRGBAModel.Convert(b).(color.NRGBA)
	return na.R == nb.R && na.G == nb.G && na.B == nb.B
}

func TestTile_DrawsEachLineOnItsTonesColour(t *testing.T) {
	test.NewTempApp(t)
	tl := NewTile("in sync", ToneGood, nil)
	test.NewTempWindow(t, tl)
	tl.SetState("3 files, 1.2 MB to receive\n2 newer here", ToneBehind)
	lines, fill, _ := tileLook(tl)
	if strings.Join(lines, "|") != "3 files, 1.2 MB to receive|2 newer here" {
		t.Errorf("tile draws %q, want the two lines", lines)
	}
	if !sameHue(fill, behindColor) || tl.Tone() != ToneBehind {
		t.Errorf("tile colour %v (tone %v), want a tint of the behind colour", fill, tl.Tone())
	}
	tl.SetState("unreachable", ToneAway)
	if _, fill, _ := tileLook(tl); !sameHue(fill, theme.Color(theme.ColorNameWarning)) {
		t.Errorf("unreachable tile colour %v, want a tint of the theme's warning colour", fill)
	}
}

func TestTile_TapCallsOnTappedAndSelectedIsOutlined(t *testing.T) {
	test.NewTempApp(t)
	taps := 0
	tl := NewTile("in sync", ToneGood, func() { taps++ })
	test.NewTempWindow(t, tl)
	test.Tap(tl)
	if taps != 1 {
		t.Errorf("one tap called OnTapped %d times", taps)
	}
	_, _, plain := tileLook(tl)
	tl.SetSelected(true)
	if _, _, chosen := tileLook(tl); chosen <= plain || !tl.Selected() {
		t.Errorf("a selected tile's outline is %v wide, an unselected one's %v", chosen, plain)
	}
}

func TestTile_FitsItsLongestLineAndAllItsLines(t *testing.T) {
	test.NewTempApp(t)
	one, two := NewTile("in sync", ToneGood, nil), NewTile("in sync\n12 files, 3.4 GB to receive", ToneBehind, nil)
	if one.MinSize().Width >= two.MinSize().Width || one.MinSize().Height >= two.MinSize().Height {
		t.Errorf("tile sizes %v (one short line), %v (two lines, one long)", one.MinSize(), two.MinSize())
	}
}
