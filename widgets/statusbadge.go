package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Tone is what a status means to the person looking at it; it picks the badge's colour.
// The badge does not know the words: whoever shows a status chooses its tone.
type Tone int

// The tones.
const (
	ToneNeutral Tone = iota // nothing to say about it (cancelled, unknown)
	ToneIdle                // has not started (never synced)
	ToneBusy                // working now
	ToneGood                // done and fine
	ToneBad                 // failed
	ToneAway                // cannot be reached
	ToneAlarm               // may be an impersonation (a changed host key)
	ToneAsk                 // waits for the user's approval
	ToneBehind              // reachable and fine, but lacks files the others hold
)

// The theme has no colours for the two trust problems, and they must not look like
// an ordinary failure or an unreachable computer.
var (
	hostKeyChangedColor = color.NRGBA{R: 0x8e, G: 0x24, B: 0xaa, A: 0xff} // purple: possible impersonation
	notTrustedColor     = color.NRGBA{R: 0x00, G: 0x83, B: 0x8f, A: 0xff} // teal: waiting for the user's approval
	// Yellow, not the theme's orange warning: that one already means unreachable.
	behindColor   = color.NRGBA{R: 0xfd, G: 0xd8, B: 0x35, A: 0xff}
	onBehindColor = color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff}
)

// StatusBadge is a small rounded label showing a computer's or project's status in its colour.
type StatusBadge struct {
	widget.BaseWidget
	status string
	tone   Tone
}

// NewStatusBadge creates a badge showing status in the colour of tone.
func NewStatusBadge(status string, tone Tone) *StatusBadge {
	b := &StatusBadge{status: status, tone: tone}
	b.ExtendBaseWidget(b)
	return b
}

// SetStatus changes the shown status and its colour; call it on the UI goroutine (fyne.Do from others).
func (b *StatusBadge) SetStatus(status string, tone Tone) {
	if status == b.status && tone == b.tone {
		return
	}
	b.status, b.tone = status, tone
	b.Refresh()
}

// Status returns the shown status.
func (b *StatusBadge) Status() string {
	return b.status
}

// Tone returns the shown status's tone.
func (b *StatusBadge) Tone() Tone {
	return b.tone
}

// CreateRenderer draws the badge as a rounded rectangle behind its text.
func (b *StatusBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{badge: b, background: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.White)}
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

// toneColors returns the background and text colours of a tone, as w shows them.
func toneColors(tone Tone, w fyne.Widget) (background, text color.Color) {
	on := func(name fyne.ThemeColorName) color.Color { return theme.ColorForWidget(name, w) }
	switch tone {
	case ToneBusy:
		return on(theme.ColorNamePrimary), on(theme.ColorNameForegroundOnPrimary)
	case ToneGood:
		return on(theme.ColorNameSuccess), on(theme.ColorNameForegroundOnSuccess)
	case ToneBad:
		return on(theme.ColorNameError), on(theme.ColorNameForegroundOnError)
	case ToneAway:
		return on(theme.ColorNameWarning), on(theme.ColorNameForegroundOnWarning)
	case ToneAlarm:
		return hostKeyChangedColor, color.White
	case ToneAsk:
		return notTrustedColor, color.White
	case ToneBehind:
		return behindColor, onBehindColor
	case ToneIdle:
		return on(theme.ColorNameDisabledButton), on(theme.ColorNameForeground)
	}
	return on(theme.ColorNameInputBorder), on(theme.ColorNameForeground)
}

type badgeRenderer struct {
	badge      *StatusBadge
	background *canvas.Rectangle
	text       *canvas.Text
}

func (r *badgeRenderer) padding() fyne.Size {
	pad := theme.SizeForWidget(theme.SizeNameInnerPadding, r.badge)
	return fyne.NewSize(2*pad, pad)
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	r.background.CornerRadius = size.Height / 2
	text := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-text.Width)/2, (size.Height-text.Height)/2))
	r.text.Resize(text)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	return r.text.MinSize().Add(r.padding())
}

func (r *badgeRenderer) Refresh() {
	r.text.Text = r.badge.status
	r.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, r.badge)
	r.background.FillColor, r.text.Color = toneColors(r.badge.tone, r.badge)
	r.Layout(r.badge.Size())
	r.background.Refresh()
	r.text.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.text}
}

func (r *badgeRenderer) Destroy() {}
