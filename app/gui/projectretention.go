package gui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
)

// retentionForm edits a project's retention of kept copies: the scheme, the days and the
// size cap per computer.
type retentionForm struct {
	scheme  *widget.Select
	days    *widget.Entry
	maxGB   *widget.Entry
	content fyne.CanvasObject
}

func newRetentionForm() *retentionForm {
	f := &retentionForm{
		scheme: widget.NewSelect([]string{string(service.KeepDays), string(service.Staggered)}, nil),
		days:   widget.NewEntry(),
		maxGB:  widget.NewEntry(),
	}
	f.days.SetPlaceHolder("forever")
	f.maxGB.SetPlaceHolder("no cap")
	help := widget.NewLabel("days: every copy for that many days. staggered: every copy for an hour, the newest of each hour " +
		"for a day, the newest of each day until then. The oldest go first past the cap.")
	help.Wrapping = fyne.TextWrapWord
	f.content = container.NewVBox(
		container.NewHBox(f.scheme, widget.NewLabel("for"), sized(f.days, 80), widget.NewLabel("days, at most"), sized(f.maxGB, 80),
			widget.NewLabel("GB per computer")), help)
	return f
}

// sized gives an entry a width of its own inside a row.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

func (f *retentionForm) fill(p service.VersionPolicy) {
	f.scheme.SetSelected(string(p.Scheme))
	f.days.SetText(zeroEmpty(strconv.Itoa(p.Days)))
	f.maxGB.SetText(zeroEmpty(strconv.FormatFloat(p.MaxGB, 'g', -1, 64)))
}

func zeroEmpty(s string) string {
	if s == "0" {
		return ""
	}
	return s
}

// policy reads the form.
func (f *retentionForm) policy() (service.VersionPolicy, error) {
	p := service.VersionPolicy{Scheme: service.VersionScheme(f.scheme.Selected)}
	var err error
	if p.Days, err = strconv.Atoi(strings.TrimSpace(orZero(f.days.Text))); err != nil {
		return p, &service.FieldError{Field: "versions days", Value: f.days.Text, Reason: "must be a whole number of days (empty = forever)"}
	}
	if p.MaxGB, err = strconv.ParseFloat(strings.TrimSpace(orZero(f.maxGB.Text)), 64); err != nil {
		return p, &service.FieldError{Field: "versions cap", Value: f.maxGB.Text, Reason: "must be a number of GB (empty = no cap)"}
	}
	if err := p.Check(); err != nil {
		return p, err
	}
	return p, nil
}
