package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// ListEditor edits a list of strings as text, one item per line or in any syntax Parse accepts, showing errors inline.
type ListEditor struct {
	widget.BaseWidget

	// Parse turns the typed text into items; nil means one item per non-blank line.
	Parse func(string) ([]string, error)
	// Validate checks parsed items; nil accepts any list.
	Validate func([]string) error
	// OnChanged is called with the items after each edit that leaves a valid list.
	OnChanged func([]string)

	entry *widget.Entry
	err   *widget.Label
}

// NewListEditor creates an editor using parse and validate (either may be nil).
func NewListEditor(parse func(string) ([]string, error), validate func([]string) error) *ListEditor {
	e := &ListEditor{Parse: parse, Validate: validate, entry: widget.NewMultiLineEntry(), err: widget.NewLabel("")}
	e.entry.SetMinRowsVisible(4)
	e.entry.OnChanged = func(string) { e.changed() }
	e.err.Importance = widget.DangerImportance
	e.err.Wrapping = fyne.TextWrapWord
	e.err.Hide()
	e.ExtendBaseWidget(e)
	return e
}

// CreateRenderer puts the error line under the text field.
func (e *ListEditor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, e.err, nil, nil, e.entry))
}

// SetPlaceHolder sets the hint shown while the field is empty.
func (e *ListEditor) SetPlaceHolder(text string) {
	e.entry.SetPlaceHolder(text)
}

// SetItems shows items one per line.
func (e *ListEditor) SetItems(items []string) {
	e.SetText(strings.Join(items, "\n"))
}

// SetText replaces the typed text, e.g. with a pasted bracket list.
func (e *ListEditor) SetText(text string) {
	if text == e.entry.Text {
		e.changed() // the entry calls OnChanged only when the text changes, but Parse or Validate may have
		return
	}
	e.entry.SetText(text)
}

// Text returns the typed text.
func (e *ListEditor) Text() string {
	return e.entry.Text
}

// Items parses and validates the typed text.
func (e *ListEditor) Items() ([]string, error) {
	parse := e.Parse
	if parse == nil {
		parse = splitLines
	}
	items, err := parse(e.entry.Text)
	if err == nil && e.Validate != nil {
		err = e.Validate(items)
	}
	return items, err
}

// Error returns the error shown under the field, or "" when the list is valid.
func (e *ListEditor) Error() string {
	if !e.err.Visible() {
		return ""
	}
	return e.err.Text
}

func (e *ListEditor) changed() {
	items, err := e.Items()
	if err != nil {
		e.err.SetText(err.Error())
		e.err.Show()
		return
	}
	e.err.Hide()
	e.err.SetText("")
	if e.OnChanged != nil {
		e.OnChanged(items)
	}
}

// splitLines returns the trimmed, non-blank lines of text.
func splitLines(text string) ([]string, error) {
	var items []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			items = append(items, line)
		}
	}
	return items, nil
}
