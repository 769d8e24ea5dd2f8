package widgets

import (
	"strings"
	"time"

	"filesync/widgets/units"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TransferProgress is the row of one running transfer: title, progress bar, details and Cancel.
type TransferProgress struct {
	widget.BaseWidget

	// OnCancel is called when the user taps Cancel.
	OnCancel func()

	title  *widget.Label
	bar    *widget.ProgressBar
	detail *widget.Label
	cancel *widget.Button
	total  int64
}

// NewTransferProgress creates a transfer row titled e.g. "c1 → c2  data/p, models/p".
func NewTransferProgress(title string) *TransferProgress {
	t := &TransferProgress{
		title:  widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		bar:    widget.NewProgressBar(),
		detail: widget.NewLabel("starting…"),
	}
	t.title.Truncation = fyne.TextTruncateEllipsis
	t.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), t.tappedCancel)
	t.ExtendBaseWidget(t)
	return t
}

// TransferTitle builds a transfer row's title: "from → to  folder, folder".
func TransferTitle(from, to string, folders []string) string {
	return from + " → " + to + "  " + strings.Join(folders, ", ")
}

// CreateRenderer puts the title and details above the bar, beside the Cancel button.
func (t *TransferProgress) CreateRenderer() fyne.WidgetRenderer {
	body := container.NewVBox(container.NewBorder(nil, nil, nil, t.detail, t.title), t.bar)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, container.NewCenter(t.cancel), body))
}

// SetTitle replaces the title.
func (t *TransferProgress) SetTitle(title string) {
	t.title.SetText(title)
}

// Title returns the title.
func (t *TransferProgress) Title() string {
	return t.title.Text
}

// SetTotal sets the transfer's size in bytes, shown as "… of <total>" (0 means unknown).
func (t *TransferProgress) SetTotal(total int64) {
	t.total = total
}

// Update shows the bytes done so far, percent complete, rate in bytes per second and the estimated time left (negative if unknown).
func (t *TransferProgress) Update(bytes int64, percent int, rate float64, eta time.Duration) {
	t.bar.SetValue(float64(min(max(percent, 0), 100)) / 100)
	t.detail.SetText(t.describe(bytes, rate, eta))
}

func (t *TransferProgress) describe(bytes int64, rate float64, eta time.Duration) string {
	done := units.Bytes(bytes)
	if t.total > 0 {
		done += " of " + units.Bytes(t.total)
	}
	parts := []string{done, units.Rate(rate)}
	if eta >= 0 {
		parts = append(parts, "ETA "+units.Duration(eta))
	}
	return strings.Join(parts, " · ")
}

// Detail returns the details line, e.g. "12.3 MB of 40.0 MB · 5.1 MB/s · ETA 0:07".
func (t *TransferProgress) Detail() string {
	return t.detail.Text
}

// Progress returns the bar's value between 0 and 1.
func (t *TransferProgress) Progress() float64 {
	return t.bar.Value
}

// tappedCancel disables Cancel so an impatient second tap cannot cancel twice.
func (t *TransferProgress) tappedCancel() {
	t.cancel.Disable()
	t.cancel.SetText("Cancelling…")
	if t.OnCancel != nil {
		t.OnCancel()
	}
}
