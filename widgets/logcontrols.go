package widgets

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	anyComputer = "All computers"
	anyProject  = "All projects"
	anyLevel    = "All levels"
)

// levelChoices pairs the level selector's options with the MinLevel each one sets.
var levelChoices = []struct{ label, minLevel string }{
	{anyLevel, ""},
	{"Info and up", "info"},
	{"Warnings and errors", "warning"},
	{"Errors only", "error"},
}

// logControls is the LogView's toolbar: filter field, selectors, Follow, Copy and Clear.
type logControls struct {
	view     *LogView
	text     *widget.Entry
	computer *widget.Select
	project  *widget.Select
	level    *widget.Select
	follow   *widget.Check
	copy     *widget.Button
	clear    *widget.Button
	syncing  bool // set while the view updates the controls, so their callbacks don't echo back
}

func newLogControls(view *LogView) *logControls {
	c := &logControls{view: view}
	c.text = widget.NewEntry()
	c.text.SetPlaceHolder("Filter lines (Ctrl+F)")
	c.text.OnChanged = func(string) { c.changed() }
	c.computer = newFilterSelect([]string{anyComputer}, c.changed)
	c.project = newFilterSelect([]string{anyProject}, c.changed)
	c.level = newFilterSelect(levelLabels(), c.changed)
	c.follow = widget.NewCheck("Follow", func(on bool) {
		if !c.syncing {
			view.SetFollowing(on)
		}
	})
	c.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), view.Copy)
	c.clear = widget.NewButtonWithIcon("Clear", theme.DeleteIcon(), view.Clear)
	// Set the initial state without Refresh, which would build the renderers before the app picks its theme.
	c.computer.Selected, c.project.Selected, c.level.Selected = anyComputer, anyProject, anyLevel
	c.follow.Checked = true
	return c
}

func (c *logControls) toolbar() fyne.CanvasObject {
	right := container.NewHBox(c.computer, c.project, c.level, c.follow, c.copy, c.clear)
	return container.NewBorder(nil, nil, nil, right, c.text)
}

// changed applies the filter the user set up in the controls.
func (c *logControls) changed() {
	if !c.syncing {
		c.view.applyFilter(c.filter())
	}
}

func (c *logControls) filter() LogFilter {
	f := LogFilter{Text: c.text.Text, Computer: c.computer.Selected, Project: c.project.Selected}
	if f.Computer == anyComputer {
		f.Computer = ""
	}
	if f.Project == anyProject {
		f.Project = ""
	}
	for _, choice := range levelChoices {
		if choice.label == c.level.Selected {
			f.MinLevel = choice.minLevel
		}
	}
	return f
}

// show makes the controls display f without triggering their callbacks.
func (c *logControls) show(f LogFilter) {
	c.syncing = true
	defer func() { c.syncing = false }()
	c.text.SetText(f.Text)
	selectOption(c.computer, f.Computer, anyComputer)
	selectOption(c.project, f.Project, anyProject)
	c.level.SetSelected(levelLabel(f.MinLevel))
}

func (c *logControls) showFollowing(following bool) {
	c.syncing = true
	defer func() { c.syncing = false }()
	c.follow.SetChecked(following)
}

// setChoices replaces the selectors' options; a selection that disappears falls back to "all".
func (c *logControls) setChoices(computers, projects []string) {
	f := c.filter()
	c.syncing = true
	c.computer.Options = append([]string{anyComputer}, computers...)
	c.project.Options = append([]string{anyProject}, projects...)
	c.syncing = false
	if f.Computer != "" && !slices.Contains(computers, f.Computer) {
		f.Computer = ""
	}
	if f.Project != "" && !slices.Contains(projects, f.Project) {
		f.Project = ""
	}
	c.view.SetFilter(f)
}

// selectOption selects value, adding it to the options if the app filters by a value it never offered.
func selectOption(s *widget.Select, value, anyOption string) {
	if value == "" {
		value = anyOption
	}
	if !slices.Contains(s.Options, value) {
		s.Options = append(s.Options, value)
	}
	s.SetSelected(value)
}

// newFilterSelect creates a selector as wide as its longest initial option, since a Select's width comes from its placeholder.
func newFilterSelect(options []string, changed func()) *widget.Select {
	s := widget.NewSelect(options, func(string) { changed() })
	s.PlaceHolder = slices.MaxFunc(options, func(a, b string) int { return len(a) - len(b) })
	return s
}

func levelLabels() []string {
	labels := make([]string, len(levelChoices))
	for i, choice := range levelChoices {
		labels[i] = choice.label
	}
	return labels
}

// levelLabel returns the selector option for a MinLevel, grouping aliases such as "warn".
func levelLabel(minLevel string) string {
	if minLevel == "" {
		return anyLevel
	}
	rank := levelRank(minLevel)
	for _, choice := range levelChoices[1:] {
		if levelRank(choice.minLevel) == rank {
			return choice.label
		}
	}
	return anyLevel // debug shows everything
}
