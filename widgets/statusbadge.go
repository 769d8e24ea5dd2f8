package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Statuses a StatusBadge knows a colour for.
const (
	StatusIdle           = "idle"
	StatusSyncing        = "syncing"
	StatusOK             = "ok"
	StatusFailed         = "failed"
	StatusUnreachable    = "unreachable"
	StatusHostKeyChanged = "host key changed"
	StatusNotTrusted     = "not trusted"
)

// The theme has no colours for the two trust problems, and they must not look like
// an ordinary failure or an unreachable computer.
var (
	hostKeyChangedColor = color.NRGBA{R: 0x8e, G: 0x24, B: 0xaa, A: 0xff} // purple: possible impersonation
	notTrustedColor     = color.NRGBA{R: 0x00, G: 0x83, B: 0x8f, A: 0xff} // teal: waiting for the user's approval
)

// StatusBadge is a small rounded label showing a computer's or project's status in its colour.
type StatusBadge struct {
	widget.BaseWidget
	status string
}

// NewStatusBadge creates a badge showing status.
func NewStatusBadge(status string) *StatusBadge {
	b := &StatusBadge{status: status}
	b.ExtendBaseWidget(b)
	return b
}

// SetStatus changes the shown status and its colour; call it on the UI goroutine (fyne.Do from others).
func (b *StatusBadge) SetStatus(status string) {
	if status == b.status {
		return
	}
	b.status = status
	b.Refresh()
}

// Status returns the shown status.
func (b *StatusBadge) Status() string {
	return b.status
}

// CreateRenderer draws the badge as a rounded rectangle behind its text.
func (b *StatusBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{badge: b, background: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.White)}
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

// badgeColors returns the background and text colours of a status.
func badgeColors(b *StatusBadge) (background, text color.Color) {
	on := func(name fyne.ThemeColorName) color.Color { return theme.ColorForWidget(name, b) }
	switch b.status {
	case StatusSyncing:
		return on(theme.ColorNamePrimary), on(theme.ColorNameForegroundOnPrimary)
	case StatusOK:
		return on(theme.ColorNameSuccess), on(theme.ColorNameForegroundOnSuccess)
	case StatusFailed:
		return on(theme.ColorNameError), on(theme.ColorNameForegroundOnError)
	case StatusUnreachable:
		return on(theme.ColorNameWarning), on(theme.ColorNameForegroundOnWarning)
	case StatusHostKeyChanged:
		return hostKeyChangedColor, color.White
	case StatusNotTrusted:
		return notTrustedColor, color.White
	case StatusIdle:
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
	r.background.FillColor, r.text.Color = badgeColors(r.badge)
	r.Layout(r.badge.Size())
	r.background.Refresh()
	r.text.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.text}
}

func (r *badgeRenderer) Destroy() {}
