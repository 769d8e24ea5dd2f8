package gui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/engine"
)

// fakeBackend records the runs the window asks for and plays back events.
type fakeBackend struct {
	requests  chan runs.Request
	events    []engine.Event
	cancelled []int
	tasks     []runs.Task
	taskExit  int
}

func (f *fakeBackend) RunTask(_ context.Context, t runs.Task) (int, error) {
	f.tasks = append(f.tasks, t)
	return f.taskExit, nil
}

func (f *fakeBackend) CancelTransfer(_ uint, index int) bool {
	f.cancelled = append(f.cancelled, index)
	return true
}

func (f *fakeBackend) Run(_ context.Context, req runs.Request, events chan<- engine.Event) (engine.Result, error) {
	for _, ev := range f.events {
		events <- ev
	}
	f.requests <- req
	return engine.Result{}, nil
}

type fixture struct {
	ui      *UI
	store   *data.Store
	backend *fakeBackend
}

func newFixture(t *testing.T, computers ...string) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	store, err := data.Open(filepath.Join(t.TempDir(), "filesync.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	for _, name := range computers {
		c := data.NewComputer(name)
		c.Local, c.Root = true, filepath.Join(t.TempDir(), name)
		if err := store.AddComputer(&c); err != nil {
			t.Fatal(err)
		}
	}
	backend := &fakeBackend{requests: make(chan runs.Request, 10)}
	ui := New(a, Deps{Store: store, Backend: backend})
	ui.Window().Resize(fyne.NewSize(1280, 800))
	return &fixture{ui: ui, store: store, backend: backend}
}

// rows returns the computer rows the list has laid out.
func (f *fixture) rows() []*computerRow {
	var rows []*computerRow
	for _, o := range test.LaidOutObjects(f.ui.Window().Content()) {
		if r, ok := o.(*computerRow); ok && r.computer.Name != "" {
			rows = append(rows, r)
		}
	}
	return rows
}

func (f *fixture) row(t *testing.T, name string) *computerRow {
	t.Helper()
	for _, r := range f.rows() {
		if r.computer.Name == name {
			return r
		}
	}
	t.Fatalf("no row for %s among %d rows", name, len(f.rows()))
	return nil
}

func (f *fixture) nextRequest(t *testing.T) runs.Request {
	t.Helper()
	select {
	case req := <-f.backend.requests:
		return req
	case <-time.After(5 * time.Second):
		t.Fatal("the window asked the engine for nothing")
		return runs.Request{}
	}
}

func TestComputersTab_SyncButtonSyncsThatComputer(t *testing.T) {
	f := newFixture(t, "c1", "c2", "c3")
	test.Tap(f.row(t, "c2").sync)
	req := f.nextRequest(t)
	if req.Kind != engine.SyncComputer || req.Target != "c2" {
		t.Fatalf("tapping c2's Sync asked for %+v, want sync-computer c2", req)
	}
}

func TestComputersTab_SyncAllSyncsEveryComputer(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	test.Tap(f.ui.computers.syncAll)
	if req := f.nextRequest(t); req.Kind != engine.SyncAll || req.Target != "" {
		t.Fatalf("Sync all asked for %+v", req)
	}
}

func TestComputersTab_StatusBadgeFollowsEngineEvents(t *testing.T) {
	f := newFixture(t, "c1", "c2", "c3")
	info := engine.TransferInfo{Index: 1, From: "c1", To: "c2", Folders: []string{"data/p"}}
	steps := []struct {
		ev   engine.Event
		want map[string]string
	}{
		{engine.Event{Kind: engine.ComputerChecked, RunID: 7, Computer: &engine.ComputerResult{Name: "c3", Status: "unreachable", Reason: "c3: refused"}},
			map[string]string{"c1": "idle", "c3": "unreachable"}},
		{engine.Event{Kind: engine.Started, RunID: 7, Transfer: info}, map[string]string{"c1": "syncing", "c2": "syncing", "c3": "unreachable"}},
		{engine.Event{Kind: engine.Finished, RunID: 7, Transfer: info, Result: &engine.TransferResult{TransferInfo: info}},
			map[string]string{"c2": "syncing"}},
	}
	for i, s := range steps {
		f.ui.bridge(s.ev)
		for name, want := range s.want {
			if got := f.ui.computers.Status(name); got != want {
				t.Errorf("after event %d (%s): %s shows %q, want %q", i, s.ev.Kind, name, got, want)
			}
			if got := f.row(t, name).badge.Status(); got != want {
				t.Errorf("after event %d: %s's badge reads %q, want %q", i, name, got, want)
			}
		}
	}
	for _, c := range []string{"c1", "c2"} {
		if err := f.store.SetComputerStatus(c, "ok", "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.SetComputerStatus("c3", "unreachable", "refused", nil); err != nil {
		t.Fatal(err)
	}
	result := engine.Result{RunID: 7, Status: engine.StatusFailed, Computers: []engine.ComputerResult{{Name: "c1", Status: "ok"}, {Name: "c2", Status: "ok"}, {Name: "c3", Status: "unreachable"}}}
	f.ui.bridge(engine.Event{Kind: engine.RunFinished, RunID: 7, Run: &result})
	for name, want := range map[string]string{"c1": "ok", "c2": "ok", "c3": "unreachable"} {
		if got := f.row(t, name).badge.Status(); got != want {
			t.Errorf("after the run: %s's badge reads %q, want %q", name, got, want)
		}
	}
}

func TestActivityTab_ShowsRunningTransfersUntilTheyFinish(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	info := engine.TransferInfo{Index: 3, From: "c1", To: "c2", Folders: []string{"data/p"}}
	f.ui.bridge(engine.Event{Kind: engine.Started, RunID: 2, Transfer: info})
	if got := f.ui.activity.Running(); len(got) != 1 || !strings.Contains(got[0], "c1 → c2") {
		t.Fatalf("running transfers %q, want the c1 → c2 one", got)
	}
	for _, row := range f.ui.activity.running {
		row.OnCancel()
	}
	if len(f.backend.cancelled) != 1 || f.backend.cancelled[0] != 3 {
		t.Errorf("Cancel on the transfer asked to cancel %v, want transfer 3", f.backend.cancelled)
	}
	f.ui.bridge(engine.Event{Kind: engine.Finished, RunID: 2, Transfer: info, Result: &engine.TransferResult{TransferInfo: info}})
	if got := f.ui.activity.Running(); len(got) != 0 {
		t.Fatalf("finished transfer still shown: %q", got)
	}
}

func TestProjectsTab_RefusesFolderEscapingTheRootInlineAndSavesNothing(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	test.Type(p.name, "vision")
	p.syncFolders.SetText("[ data, ../etc ]")
	if !strings.Contains(p.syncFolders.Error(), "../etc") {
		t.Errorf("sync folder editor shows %q, want an error naming ../etc", p.syncFolders.Error())
	}
	test.Tap(p.save)
	if p.saveProblem.Hidden || !strings.Contains(p.saveProblem.Text, "Not saved") {
		t.Errorf("save problem %q (hidden %v), want a visible 'Not saved'", p.saveProblem.Text, p.saveProblem.Hidden)
	}
	assertProjects(t, f.store)
}

func TestProjectsTab_RefusesDuplicateNameInlineAndSavesNothing(t *testing.T) {
	f := newFixture(t, "c1")
	existing := data.NewProject("mnist")
	if err := f.store.AddProject(&existing); err != nil {
		t.Fatal(err)
	}
	f.ui.Reload()
	p := f.ui.projects
	p.newProject()
	test.Type(p.name, "MNIST")
	if p.nameProblem.Hidden || !strings.Contains(p.nameProblem.Text, "already exists") {
		t.Errorf("name problem %q (hidden %v), want 'already exists' beside the field", p.nameProblem.Text, p.nameProblem.Hidden)
	}
	test.Tap(p.save)
	assertProjects(t, f.store, "mnist")
}

func TestProjectsTab_SavesAValidProjectAndPreviewsItsFolders(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	test.Type(p.name, "vision")
	p.syncFolders.SetText("[ data/folder1, models ]")
	p.ignore.SetText("*.tmp")
	for _, want := range []string{"data/vision/folder1", "models/vision", "*.tmp"} {
		if !strings.Contains(p.preview.Text, want) {
			t.Errorf("preview %q lacks %q", p.preview.Text, want)
		}
	}
	test.Tap(p.save)
	assertProjects(t, f.store, "vision")
	saved, _ := f.store.Project("vision")
	if strings.Join(saved.SyncFolders, ",") != "data/folder1,models" || strings.Join(saved.Ignore, ",") != "*.tmp" {
		t.Errorf("saved %+v", saved)
	}
}

func assertProjects(t *testing.T, store *data.Store, want ...string) {
	t.Helper()
	ps, err := store.Projects()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("stored projects %q, want %q", names, want)
	}
}

// TestWatch_SeesChangesMadeByAnotherProcess: the command line writes through its own
// connection; the window's snapshot changes and a reload shows the new computer.
func TestWatch_SeesChangesMadeByAnotherProcess(t *testing.T) {
	f := newFixture(t, "c1")
	before := f.ui.snapshot()
	other, err := data.Open(f.store.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c := data.NewComputer("added-by-cli")
	c.Local, c.Root = true, t.TempDir()
	if err := other.AddComputer(&c); err != nil {
		t.Fatal(err)
	}
	if f.ui.snapshot() == before {
		t.Fatal("the window's snapshot did not change after another process added a computer")
	}
	f.ui.Reload()
	if got := strings.Join(f.ui.computers.names(), ","); got != "added-by-cli,c1" {
		t.Fatalf("computers after reload: %s", got)
	}
}

func TestRunTask_PushesOnlyWhenTheTaskSucceeds(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	p := data.NewProject("mnist")
	if err := f.store.AddProject(&p); err != nil {
		t.Fatal(err)
	}
	f.ui.runTask("c1", "python train.py", "mnist")
	req := f.nextRequest(t)
	if req.Kind != engine.Push || req.Target != "c1" || req.Projects[0] != "mnist" || req.Trigger != "task" {
		t.Fatalf("after a successful task the window asked for %+v, want a push of mnist from c1", req)
	}
	if len(f.backend.tasks) != 1 || strings.Join(f.backend.tasks[0].Command, " ") != "sh -c python train.py" {
		t.Fatalf("tasks run: %+v", f.backend.tasks)
	}
	f.backend.taskExit = 3
	f.ui.runTask("c1", "false", "mnist")
	select {
	case req := <-f.backend.requests:
		t.Fatalf("a failed task still asked for %+v", req)
	case <-time.After(500 * time.Millisecond):
	}
}
