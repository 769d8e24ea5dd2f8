package widgets

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// badgeLook returns the badge's drawn text and background colour.
func badgeLook(b *StatusBadge) (string, color.Color) {
	var text string
	var fill color.Color
	for _, o := range test.WidgetRenderer(b).Objects() {
		switch o := o.(type) {
		case *canvas.Text:
			text = o.Text
		case *canvas.Rectangle:
			fill = o.FillColor
		}
	}
	return text, fill
}

func TestStatusBadgeChangesTextAndColourOnSetStatus(t *testing.T) {
	test.NewTempApp(t)
	b := NewStatusBadge("idle", ToneIdle)
	test.NewTempWindow(t, b)
	seen := map[color.Color]string{}

	for _, tc := range []struct {
		status string
		tone   Tone
		want   color.Color // nil: a colour of its own, not a theme colour
	}{
		{"idle", ToneIdle, theme.Color(theme.ColorNameDisabledButton)},
		{"syncing", ToneBusy, theme.Color(theme.ColorNamePrimary)},
		{"ok", ToneGood, theme.Color(theme.ColorNameSuccess)},
		{"failed", ToneBad, theme.Color(theme.ColorNameError)},
		{"unreachable", ToneAway, theme.Color(theme.ColorNameWarning)},
		{"host key changed", ToneAlarm, nil},
		{"not trusted", ToneAsk, nil},
		{"behind 3 files", ToneBehind, nil},
		{"something new", ToneNeutral, theme.Color(theme.ColorNameInputBorder)},
	} {
		b.SetStatus(tc.status, tc.tone)
		text, fill := badgeLook(b)
		if text != tc.status || b.Status() != tc.status || b.Tone() != tc.tone {
			t.Errorf("SetStatus(%q): badge shows %q, Status() = %q", tc.status, text, b.Status())
		}
		if tc.want != nil && fill != tc.want {
			t.Errorf("SetStatus(%q): colour %v, want %v", tc.status, fill, tc.want)
		}
		if other, dup := seen[fill]; dup {
			t.Errorf("%q has the same colour as %q", tc.status, other)
		}
		seen[fill] = tc.status
	}
}

func TestStatusBadgeFitsItsText(t *testing.T) {
	test.NewTempApp(t)
	short, long := NewStatusBadge("ok", ToneGood), NewStatusBadge("host key changed", ToneAlarm)
	if short.MinSize().Width >= long.MinSize().Width {
		t.Errorf("badge widths: %v, %v", short.MinSize(), long.MinSize())
	}
}
