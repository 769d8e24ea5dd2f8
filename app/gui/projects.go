package gui

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/data"
	"filesync/widgets"
)

// projectsTab lists the projects beside a form for the selected one. Every field checks
// itself as it is typed; nothing invalid is saved.
type projectsTab struct {
	ui       *UI
	all      []data.Project
	list     *widget.List
	selected int // index in all; -1 for a new project
	content  fyne.CanvasObject

	name                 *widget.Entry
	nameProblem          *widget.Label
	syncFolders, ignore  *widgets.ListEditor
	previewOn            *widget.Select
	preview              *widget.Label
	mode                 *widget.RadioGroup
	modeWarning          *widget.Label
	deletes              *widget.Select
	versions, openPerms  *widget.Check
	retention            *retentionForm
	watch                *widget.Check
	interval             *widget.Entry
	nameTyped            bool // the name was typed since the form was filled: say what is wrong with it
	saveProblem          *widget.Label
	save, remove, syncIt *widget.Button
}

func newProjectsTab(u *UI) *projectsTab {
	t := &projectsTab{ui: u, selected: -1}
	t.list = widget.NewList(func() int { return len(t.all) },
		func() fyne.CanvasObject { return widget.NewLabel("project name") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(t.all[id].Name) })
	t.list.OnSelected = func(id widget.ListItemID) { t.edit(id) }
	add := widget.NewButtonWithIcon("Add project", theme.ContentAddIcon(), t.newProject)
	left := container.NewBorder(add, nil, nil, nil, t.list)
	split := container.NewHSplit(left, container.NewVScroll(t.buildForm()))
	split.Offset = 0.22
	t.content = split
	t.newProject()
	return t
}

func (t *projectsTab) buildForm() fyne.CanvasObject {
	t.name = widget.NewEntry()
	t.name.SetPlaceHolder("project name, e.g. mnist")
	t.name.OnChanged = func(string) { t.nameTyped = true; t.checkName(); t.updatePreview() }
	t.nameProblem = problemLabel()
	t.syncFolders = widgets.NewListEditor(service.ParseFolderList, service.CheckFolderEntries)
	t.syncFolders.SetPlaceHolder("[ data, models ]  (the default)")
	t.syncFolders.OnChanged = func([]string) { t.updatePreview() }
	t.ignore = widgets.NewListEditor(service.ParseFolderList, service.CheckFolderEntries)
	t.ignore.SetPlaceHolder("[ data/folder1/tmp, *.tmp, __pycache__ ]")
	t.ignore.OnChanged = func([]string) { t.updatePreview() }
	t.previewOn = widget.NewSelect(nil, func(string) { t.updatePreview() })
	t.preview = widget.NewLabel("")
	t.preview.Wrapping = fyne.TextWrapWord
	t.mode = widget.NewRadioGroup([]string{"merge", "mirror"}, t.modeChanged)
	t.mode.Horizontal = true
	t.modeWarning = problemLabel()
	t.deletes = widget.NewSelect(deletesLabels(), nil)
	deletesHelp := widget.NewLabel("Delete everywhere: a file deleted on one computer is moved into the versions folder of the others. " +
		"Bring back: the others send it back, so every computer keeps every file.")
	deletesHelp.Wrapping = fyne.TextWrapWord
	t.versions = widget.NewCheck("Keep overwritten files under <root>/.filesync/versions/", nil)
	t.retention = newRetentionForm()
	t.openPerms = widget.NewCheck("Make synced files writable by everyone (the seed's chmod 777)", nil)
	t.watch = widget.NewCheck("Push from this computer on every change (watch)", nil)
	t.interval = widget.NewEntry()
	t.interval.SetPlaceHolder("off")
	t.saveProblem = problemLabel()
	t.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), t.saveProject)
	t.save.Importance = widget.HighImportance
	t.remove = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), t.confirmDelete)
	t.syncIt = widget.NewButtonWithIcon("Sync now", theme.ViewRefreshIcon(), func() { t.ui.SyncProject(t.all[t.selected].Name) })
	form := widget.NewForm(
		widget.NewFormItem("Name", container.NewVBox(t.name, t.nameProblem)),
		widget.NewFormItem("Sync folders", t.syncFolders),
		widget.NewFormItem("Ignore", t.ignore),
		widget.NewFormItem("Resolved on", container.NewVBox(t.previewOn, t.preview)),
		widget.NewFormItem("Mode", container.NewVBox(t.mode, t.modeWarning)),
		widget.NewFormItem("Deleted files", container.NewVBox(t.deletes, deletesHelp)),
		widget.NewFormItem("", t.versions),
		widget.NewFormItem("Keep versions", t.retention.content),
		widget.NewFormItem("", t.openPerms),
		widget.NewFormItem("Automatic", container.NewVBox(t.watch,
			container.NewBorder(nil, nil, widget.NewLabel("Sync all every"), widget.NewLabel("minutes"), t.interval),
			widget.NewLabel("Runs while this window is open, or under \"filesync watch\"."))),
	)
	return container.NewVBox(form, t.saveProblem, container.NewHBox(t.save, t.syncIt, t.remove))
}

func problemLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setProblem(l *widget.Label, text string) {
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}

func (t *projectsTab) reload() {
	all, err := t.ui.deps.Backend.Projects()
	if err != nil {
		t.ui.showError(err)
		return
	}
	current := t.currentName()
	t.all = all
	t.list.Refresh()
	t.previewOn.Options = t.ui.computers.names()
	if t.previewOn.Selected == "" && len(t.previewOn.Options) > 0 {
		t.previewOn.SetSelected(t.previewOn.Options[0])
	}
	t.reselect(current)
	t.checkName()
	t.updatePreview()
}

// reselect keeps the form on the same project after a reload (it may have moved, or been
// deleted by someone else, which empties the form).
func (t *projectsTab) reselect(name string) {
	if name == "" {
		t.selected = -1
		return
	}
	for i, p := range t.all {
		if p.Name == name {
			t.selected = i
			return
		}
	}
	t.newProject()
}

func (t *projectsTab) currentName() string {
	if t.selected >= 0 && t.selected < len(t.all) {
		return t.all[t.selected].Name
	}
	return ""
}

func (t *projectsTab) names() []string {
	names := make([]string, len(t.all))
	for i, p := range t.all {
		names[i] = p.Name
	}
	return names
}

// newProject empties the form for a project not saved yet.
func (t *projectsTab) newProject() {
	t.list.UnselectAll()
	t.selected = -1
	t.fill(data.NewProject(""))
}

func (t *projectsTab) edit(i int) {
	t.selected = i
	t.fill(t.all[i])
}

func (t *projectsTab) fill(p data.Project) {
	t.name.SetText(p.Name)
	t.syncFolders.SetItems(p.SyncFolders)
	t.ignore.SetItems(p.Ignore)
	t.mode.SetSelected(string(p.Mode))
	t.deletes.SetSelected(deletesLabel(p.Deletes))
	t.versions.SetChecked(p.Versions)
	t.retention.fill(p.VersionPolicy())
	t.openPerms.SetChecked(p.OpenPermissions)
	t.watch.SetChecked(p.Watch)
	t.interval.SetText(intervalText(p.IntervalMinutes))
	t.nameTyped = false
	setProblem(t.saveProblem, "")
	t.remove.Hidden, t.syncIt.Hidden = t.selected < 0, t.selected < 0
	t.checkName()
	t.updatePreview()
}

func (t *projectsTab) modeChanged(mode string) {
	warning := ""
	if service.Mode(mode) == service.Mirror {
		warning = "Mirror: a push makes every receiver an exact copy of the sender, deleting the files it lacks (a push that would delete more than half stops)."
	}
	setProblem(t.modeWarning, warning)
}

// deletesChoices are the Deleted files options, worded for the form.
var deletesChoices = []struct {
	label string
	value service.Deletes
}{
	{"Delete everywhere (propagate)", service.Propagate},
	{"Bring back (keep)", service.Keep},
}

func deletesLabels() []string {
	labels := make([]string, len(deletesChoices))
	for i, c := range deletesChoices {
		labels[i] = c.label
	}
	return labels
}

// deletesLabel is the option showing d; "" (nothing chosen) for a value the form lacks.
func deletesLabel(d service.Deletes) string {
	for _, c := range deletesChoices {
		if c.value == d {
			return c.label
		}
	}
	return ""
}

// deletesValue is the value of the chosen option; "" when none is, which leaves an
// edited project's as it was.
func deletesValue(label string) service.Deletes {
	for _, c := range deletesChoices {
		if c.label == label {
			return c.value
		}
	}
	return ""
}

// intervalText shows "no interval" as an empty field, so that its placeholder says so.
func intervalText(minutes int) string {
	if minutes == 0 {
		return ""
	}
	return strconv.Itoa(minutes)
}

// checkName shows, under the field, why the name cannot be saved; a new project's empty
// name is not shown as a mistake before anything was typed or saved.
func (t *projectsTab) checkName() bool {
	name := t.name.Text
	problem := ""
	if err := service.CheckProjectName(name); err != nil && (name != "" || t.nameTyped) {
		problem = err.Error()
	} else if err != nil {
		setProblem(t.nameProblem, "")
		return false
	}
	for i, p := range t.all {
		if i != t.selected && strings.EqualFold(p.Name, name) {
			problem = fmt.Sprintf("a project named %q already exists; choose another name", p.Name)
		}
	}
	setProblem(t.nameProblem, problem)
	return problem == ""
}

// updatePreview shows where the folders land on the chosen computer.
func (t *projectsTab) updatePreview() {
	p, err := t.project()
	if err != nil {
		t.preview.SetText("")
		return
	}
	res, err := service.ResolveFolders(p)
	if err != nil {
		t.preview.SetText("")
		return
	}
	root := t.rootOf(t.previewOn.Selected)
	var lines []string
	for _, f := range res.Folders {
		lines = append(lines, path.Join(root, f.Path))
	}
	if ignored := service.IgnoredIn(p, res); len(ignored) > 0 {
		lines = append(lines, "ignoring "+strings.Join(ignored, ", "))
	}
	for _, u := range res.Unused {
		lines = append(lines, fmt.Sprintf("ignore entry %q is inside no sync folder", u))
	}
	t.preview.SetText(strings.Join(lines, "\n"))
}

func (t *projectsTab) rootOf(computer string) string {
	for _, c := range t.ui.computers.all {
		if c.Name == computer {
			return c.Root
		}
	}
	return service.DefaultRoot
}

// project reads the form.
func (t *projectsTab) project() (data.Project, error) {
	p := data.NewProject(t.name.Text)
	if t.selected >= 0 {
		p = t.all[t.selected]
		p.Name = t.name.Text
	}
	var err error
	if p.SyncFolders, err = t.syncFolders.Items(); err != nil {
		return p, fmt.Errorf("sync folders: %w", err)
	}
	if p.Ignore, err = t.ignore.Items(); err != nil {
		return p, fmt.Errorf("ignore: %w", err)
	}
	p.Mode = service.Mode(t.mode.Selected)
	p.Deletes = deletesValue(t.deletes.Selected)
	p.Versions, p.OpenPermissions, p.Watch = t.versions.Checked, t.openPerms.Checked, t.watch.Checked
	policy, err := t.retention.policy()
	if err != nil {
		return p, err
	}
	p.SetVersionPolicy(policy)
	if p.IntervalMinutes, err = strconv.Atoi(strings.TrimSpace(orZero(t.interval.Text))); err != nil || p.IntervalMinutes < 0 {
		return p, &service.FieldError{Field: "interval", Value: t.interval.Text, Reason: "must be a whole number of minutes (0 = off)"}
	}
	return p, nil
}

func (t *projectsTab) saveProject() {
	t.nameTyped = true
	if !t.checkName() {
		setProblem(t.saveProblem, "Not saved: fix the name first.")
		return
	}
	p, err := t.project()
	if err == nil {
		_, err = t.ui.deps.Backend.SaveProject(t.currentName(), &p)
	}
	if err != nil {
		setProblem(t.saveProblem, "Not saved: "+message(err))
		return
	}
	setProblem(t.saveProblem, "")
	t.ui.Reload()
	t.reselect(p.Name)
	for i := range t.all {
		if t.all[i].Name == p.Name {
			t.list.Select(i)
		}
	}
}

func (t *projectsTab) confirmDelete() {
	name := t.currentName()
	msg := fmt.Sprintf("Delete project %s?\nIts folders are not touched on any computer.", name)
	dialog.ShowConfirm("Delete project", msg, func(ok bool) {
		if !ok {
			return
		}
		if err := t.ui.deps.Backend.RemoveProject(name); err != nil {
			t.ui.showError(err)
		}
		t.newProject()
		t.ui.Reload()
	}, t.ui.win)
}
