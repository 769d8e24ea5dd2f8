package gui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"filesync/app/autosync"
	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/watch"
)

// fixture is the window over a real application layer whose engine is a fake.
type fixture struct {
	ui    *UI
	store *data.Store
	svc   *service.Service
	eng   *servicetest.Engine
}

// newFixture opens the window over local computers with the given names and one
// project, "proj".
func newFixture(t *testing.T, computers ...string) *fixture {
	t.Helper()
	return newFixtureWith(t, func(f *servicetest.Fixture) {
		for _, name := range computers {
			f.AddLocal(t, name)
		}
		f.AddProject(t, "proj")
	})
}

func newFixtureWith(t *testing.T, setUp func(*servicetest.Fixture)) *fixture {
	t.Helper()
	return newFixtureOver(t, setUp, nil)
}

// newFixtureOver is newFixtureWith with wrap, when not nil, between the window and the service.
func newFixtureOver(t *testing.T, setUp func(*servicetest.Fixture), wrap func(*service.Service) Backend) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	sf := servicetest.New(t)
	setUp(sf)
	var backend Backend = sf.Service
	if wrap != nil {
		backend = wrap(sf.Service)
	}
	ui := New(a, Deps{Backend: backend})
	t.Cleanup(ui.Close)
	ui.Window().Resize(fyne.NewSize(1280, 800))
	return &fixture{ui: ui, store: sf.Store, svc: sf.Service, eng: sf.Engine}
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

// nextAction is the next run the engine was asked to perform.
func (f *fixture) nextAction(t *testing.T) engine.Action {
	t.Helper()
	select {
	case a := <-f.eng.Actions:
		return a
	case <-time.After(30 * time.Second):
		t.Fatal("the window asked the engine for nothing in 30 s")
		return engine.Action{}
	}
}

// eventually waits up to 30 s (a loaded CI machine) for cond, which reads the window.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestComputersTab_SyncButtonSyncsThatComputer(t *testing.T) {
	f := newFixture(t, "c1", "c2", "c3")
	test.Tap(f.row(t, "c2").sync)
	if a := f.nextAction(t); a.Kind != service.SyncComputer || a.Target != "c2" {
		t.Fatalf("tapping c2's Sync asked for %s %q, want sync-computer c2", a.Kind, a.Target)
	}
}

func TestComputersTab_SyncAllSyncsEveryComputer(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	test.Tap(f.ui.computers.syncAll)
	if a := f.nextAction(t); a.Kind != service.SyncAll || len(a.Computers) != 2 {
		t.Fatalf("Sync all asked for %s over %d computers", a.Kind, len(a.Computers))
	}
}

func TestComputersTab_StatusBadgeFollowsEngineEvents(t *testing.T) {
	f := newFixture(t, "c1", "c2", "c3")
	info := engine.TransferInfo{Index: 1, From: "c1", To: "c2", Folders: []string{"data/p"}}
	ev := func(e engine.Event) service.Event { e.RunID = 7; return service.Event{Event: e} }
	steps := []struct {
		ev   service.Event
		want map[string]string
	}{
		{ev(engine.Event{Kind: engine.ComputerChecked, Computer: &engine.ComputerResult{Name: "c3", Status: service.StatusUnreachable, Reason: "c3: refused"}}),
			map[string]string{"c1": "idle", "c3": "unreachable"}},
		{ev(engine.Event{Kind: engine.Started, Transfer: info}), map[string]string{"c1": "syncing", "c2": "syncing", "c3": "unreachable"}},
		{ev(engine.Event{Kind: engine.Finished, Transfer: info, Result: &engine.TransferResult{TransferInfo: info}}),
			map[string]string{"c2": "syncing"}},
	}
	for i, s := range steps {
		f.ui.apply(s.ev)
		for name, want := range s.want {
			if got := f.ui.computers.Status(name); string(got) != want {
				t.Errorf("after event %d (%s): %s shows %q, want %q", i, s.ev.Kind, name, got, want)
			}
			if got := f.row(t, name).badge.Status(); got != want {
				t.Errorf("after event %d: %s's badge reads %q, want %q", i, name, got, want)
			}
		}
	}
}

// TestRunEnd_BadgesAndHistoryAreRightWhenTheEndIsHandled: when the window handles a
// run's end, the computers' statuses and the run's record are stored already, so the
// badges and History show the outcome at once (not at some later reload). Another
// process holds the database's write lock as the run ends, so storing the results
// takes a while: a window told of the end before they are stored shows stale badges.
// The fleet listing that follows the run is held: in the test driver its outcome would
// race with the look at the badges.
func TestRunEnd_BadgesAndHistoryAreRightWhenTheEndIsHandled(t *testing.T) {
	var sf *servicetest.Fixture
	held := newHeldStatus()
	f := newFixtureOver(t, func(fx *servicetest.Fixture) {
		sf = fx
		for _, name := range []string{"c1", "c2", "c3"} {
			fx.AddLocal(t, name)
		}
		fx.AddProject(t, "proj")
	}, held.over)
	f.eng.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		release := sf.HoldWrites(t)
		time.AfterFunc(500*time.Millisecond, release)
		return servicetest.OneFailed(a, "c3", "c3: disk full")
	}
	seen := make(chan map[string]string, 1)
	f.ui.applied = func(ev service.Event) {
		if ev.Kind != service.RunFinished {
			return
		}
		shown := map[string]string{"history": string(f.ui.history.runs[0].Status)}
		for _, name := range []string{"c1", "c2", "c3"} {
			shown[name] = f.row(t, name).badge.Status()
		}
		seen <- shown
	}
	test.Tap(f.ui.computers.syncAll)
	var shown map[string]string
	select {
	case shown = <-seen:
	case <-time.After(30 * time.Second):
		t.Fatal("the window never handled the run's end")
	}
	for name, want := range map[string]string{"c1": "ok", "c2": "ok", "c3": "failed", "history": "failed"} {
		if shown[name] != want {
			t.Errorf("when the run's end was handled, %s showed %q, want %q", name, shown[name], want)
		}
	}
}

// TestCancelAll_RightAfterSyncAllCancelsTheRunBeforeAnyTransfer: Cancel reaches a run
// that has not sent a single event yet (it is still probing the computers).
func TestCancelAll_RightAfterSyncAllCancelsTheRunBeforeAnyTransfer(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	probing := make(chan struct{})
	f.eng.Script = func(ctx context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		close(probing)
		<-ctx.Done()
		return engine.Result{Status: service.StatusCancelled, Summary: "cancelled"}
	}
	test.Tap(f.ui.computers.syncAll)
	test.Tap(f.ui.activity.cancelBt)
	<-probing
	eventually(t, "the cancelled run is still in progress", func() bool { return f.svc.Running() == 0 })
	runs, err := f.store.Runs(1)
	if err != nil || len(runs) != 1 || runs[0].Status != service.StatusCancelled {
		t.Fatalf("history after Cancel: %+v, %v; want one cancelled run", runs, err)
	}
}

// TestWatchPush_ShowsLiveInTheOpenWindow: a push that automatic sync starts (a file
// changed under a watched project) shows in the window while it runs: its transfer in
// Activity and the receiving computer's badge.
func TestWatchPush_ShowsLiveInTheOpenWindow(t *testing.T) {
	var root string
	f := newFixtureWith(t, func(sf *servicetest.Fixture) {
		root = sf.AddLocal(t, "here")
		sf.AddRemote(t, "gpu", "127.0.0.2")
		p := data.NewProject("proj")
		p.Watch = true
		if err := sf.Store.AddProject(&p); err != nil {
			t.Fatal(err)
		}
	})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.eng.Script = func(ctx context.Context, a engine.Action, emit func(engine.Event)) engine.Result {
		info := engine.TransferInfo{Index: 1, From: a.Target, To: "gpu", Folders: []string{"data/proj"}}
		emit(engine.Event{Kind: engine.Started, Transfer: info})
		select {
		case <-release:
		case <-ctx.Done():
		}
		return servicetest.AllOK(a)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		auto := &autosync.Service{Runs: f.svc, Log: f.svc.Log(), Tune: func(w *watch.Service) { w.Quiet, w.MaxDelay = 50*time.Millisecond, time.Second }}
		_ = auto.Serve(ctx)
	}()
	t.Cleanup(func() { stop(); <-done })
	if err := os.MkdirAll(filepath.Join(root, "data", "proj"), 0o755); err != nil {
		t.Fatal(err)
	}
	eventually(t, "automatic sync never watched the folder", func() bool {
		os.WriteFile(filepath.Join(root, "data", "proj", "new.txt"), []byte(time.Now().String()), 0o644)
		select {
		case a := <-f.eng.Actions:
			if a.Kind != service.Push || a.Target != "here" {
				t.Fatalf("automatic sync asked for %s from %q, want a push from here", a.Kind, a.Target)
			}
			return true
		case <-time.After(200 * time.Millisecond):
			return false
		}
	})
	eventually(t, "the watch push does not show in Activity", func() bool {
		running := f.ui.activity.Running()
		return len(running) == 1 && strings.Contains(running[0], "here → gpu")
	})
	if got := f.row(t, "gpu").badge.Status(); got != "syncing" {
		t.Errorf("gpu's badge reads %q while the watch push writes to it, want syncing", got)
	}
}

func TestActivityTab_ShowsRunningTransfersUntilTheyFinish(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	info := engine.TransferInfo{Index: 3, From: "c1", To: "c2", Folders: []string{"data/p"}}
	f.ui.apply(service.Event{Event: engine.Event{Kind: engine.Started, RunID: 2, Transfer: info}})
	if got := f.ui.activity.Running(); len(got) != 1 || !strings.Contains(got[0], "c1 → c2") {
		t.Fatalf("running transfers %q, want the c1 → c2 one", got)
	}
	for _, row := range f.ui.activity.running {
		row.OnCancel()
	}
	if got := f.eng.Cancelled(); len(got) != 1 || got[0] != 3 {
		t.Errorf("Cancel on the transfer asked to cancel %v, want transfer 3", got)
	}
	f.ui.apply(service.Event{Event: engine.Event{Kind: engine.Finished, RunID: 2, Transfer: info, Result: &engine.TransferResult{TransferInfo: info}}})
	if got := f.ui.activity.Running(); len(got) != 0 {
		t.Fatalf("finished transfer still shown: %q", got)
	}
}

func TestLogPane_ShowsWhatTheServiceLogs(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	f.svc.Log().WithField("computer", "c2").Warn("c2 is slow to answer")
	eventually(t, "the log pane does not show the warning", func() bool {
		for _, l := range f.ui.logView.Lines() {
			if l.Text == "c2 is slow to answer" && l.Level == "warning" && l.Computer == "c2" {
				return true
			}
		}
		return false
	})
}

func TestProjectsTab_RefusesFolderEscapingTheRootInlineAndSavesNothing(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	p.newProject()
	test.Type(p.name, "vision")
	p.syncFolders.SetText("[ data, ../etc ]")
	if !strings.Contains(p.syncFolders.Error(), "../etc") {
		t.Errorf("sync folder editor shows %q, want an error naming ../etc", p.syncFolders.Error())
	}
	test.Tap(p.save)
	if p.saveProblem.Hidden || !strings.Contains(p.saveProblem.Text, "Not saved") {
		t.Errorf("save problem %q (hidden %v), want a visible 'Not saved'", p.saveProblem.Text, p.saveProblem.Hidden)
	}
	assertProjects(t, f.store, "proj")
}

func TestProjectsTab_RefusesDuplicateNameInlineAndSavesNothing(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	p.newProject()
	test.Type(p.name, "PROJ")
	if p.nameProblem.Hidden || !strings.Contains(p.nameProblem.Text, "already exists") {
		t.Errorf("name problem %q (hidden %v), want 'already exists' beside the field", p.nameProblem.Text, p.nameProblem.Hidden)
	}
	test.Tap(p.save)
	assertProjects(t, f.store, "proj")
}

func TestProjectsTab_SavesAValidProjectAndPreviewsItsFolders(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	p.newProject()
	test.Type(p.name, "vision")
	p.syncFolders.SetText("[ data/folder1, models ]")
	p.ignore.SetText("*.tmp")
	for _, want := range []string{"data/vision/folder1", "models/vision", "*.tmp"} {
		if !strings.Contains(p.preview.Text, want) {
			t.Errorf("preview %q lacks %q", p.preview.Text, want)
		}
	}
	test.Tap(p.save)
	assertProjects(t, f.store, "proj", "vision")
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

// TestStoreWatch_ShowsChangesMadeByAnotherProcess: the command line writes through its
// own connection; the store watch notices and the window shows the new computer.
func TestStoreWatch_ShowsChangesMadeByAnotherProcess(t *testing.T) {
	f := newFixture(t, "c1")
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.svc.WatchStore(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("WatchStore: %v", err)
		}
	})
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
	eventually(t, "the window does not list the computer the other process added", func() bool {
		var names string
		fyne.DoAndWait(func() { names = strings.Join(f.ui.computers.names(), ",") })
		return names == "added-by-cli,c1"
	})
}

func TestRunTask_PushesOnlyWhenTheTaskSucceeds(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	f.ui.runTask("c1", "true", "proj")
	if a := f.nextAction(t); a.Kind != service.Push || a.Target != "c1" || a.Projects[0].Name != "proj" {
		t.Fatalf("after a successful task the window asked for %s from %q of %+v, want a push of proj from c1", a.Kind, a.Target, a.Projects)
	}
	f.ui.runTask("c1", "exit 3", "proj")
	eventually(t, "the failed task is not in the history", func() bool {
		runs, _ := f.store.Runs(10)
		for _, r := range runs {
			if r.Trigger == service.TriggerTask && r.Status == service.StatusFailed && strings.Contains(r.Scope, "exit 3") {
				return true
			}
		}
		return false
	})
	select {
	case a := <-f.eng.Actions:
		t.Fatalf("a failed task still asked for %s from %q", a.Kind, a.Target)
	case <-time.After(300 * time.Millisecond):
	}
}

// TestProjectsTab_FirstLookShowsNoErrorAndAnExplainedInterval: a new project's form does
// not open on a red error, and the interval says what it is and that it is off.
func TestProjectsTab_FirstLookShowsNoErrorAndAnExplainedInterval(t *testing.T) {
	f := newFixture(t, "c1")
	f.ui.ShowTab("Projects")
	p := f.ui.projects
	p.newProject()
	if !p.nameProblem.Hidden {
		t.Errorf("the empty form shows %q under the name", p.nameProblem.Text)
	}
	if p.interval.Text != "" || p.interval.PlaceHolder != "off" {
		t.Errorf("interval field %q (placeholder %q), want empty with the placeholder off", p.interval.Text, p.interval.PlaceHolder)
	}
	if !rendersText(f.ui.Window().Content(), "Sync all every") || !rendersText(f.ui.Window().Content(), "minutes") {
		t.Error("the interval field has no label saying what it is")
	}
	test.Tap(p.save)
	if p.nameProblem.Hidden || !strings.Contains(p.nameProblem.Text, "empty") {
		t.Errorf("Save with no name shows %q (hidden %v) under the name, want why", p.nameProblem.Text, p.nameProblem.Hidden)
	}
}

// rendersText reports whether a label showing text is laid out under o.
func rendersText(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

func TestCheckReport_ShowsRsyncsVersionNumber(t *testing.T) {
	text := reportText(service.CheckReport{Status: service.StatusOK, RsyncVersion: "rsync  version 3.5.0  protocol version 32", Root: "~/mlcomp", RootExists: true, Writable: true})
	if !strings.Contains(text, "rsync: 3.5.0\n") {
		t.Errorf("check report:\n%s\nwant the line \"rsync: 3.5.0\"", text)
	}
}

// TestComputerForm_LeavesPortUserAndRootToSSHConfigAndDefaults: a new computer's port,
// user and root start empty (not 22, this user and ~/mlcomp as if chosen), so an
// ~/.ssh/config alias decides them; the root defaults to ~/mlcomp when left empty.
func TestComputerForm_LeavesPortUserAndRootToSSHConfigAndDefaults(t *testing.T) {
	f := newFixture(t, "here")
	form := f.ui.computers.showForm(nil)
	for field, e := range map[string]*widget.Entry{"port": form.port, "user": form.user, "root": form.root} {
		if e.Text != "" {
			t.Errorf("%s field holds %q, want it empty", field, e.Text)
		}
	}
	for field, e := range map[string]*widget.Entry{"port": form.port, "user": form.user} {
		if !strings.Contains(e.PlaceHolder, "~/.ssh/config") {
			t.Errorf("%s placeholder %q does not mention ~/.ssh/config", field, e.PlaceHolder)
		}
	}
	test.Type(form.name, "gpu-a")
	test.Type(form.host, "gpu-a")
	c, err := form.computer()
	if err != nil {
		t.Fatalf("the form with name and host only: %v", err)
	}
	if c.Port != 0 || c.User != "" || c.Root != service.DefaultRoot {
		t.Errorf("port %d, user %q, root %q; want 0, \"\" (from ~/.ssh/config) and %s", c.Port, c.User, c.Root, service.DefaultRoot)
	}
}

// TestProjectsTab_DeletedFilesOptionShowsAndSavesTheStoredValue: a new project's form
// starts on propagate, an edited one shows what is stored, and the choice made in the
// form's menu is what Save stores.
func TestProjectsTab_DeletedFilesOptionShowsAndSavesTheStoredValue(t *testing.T) {
	f := newFixture(t, "c1")
	f.ui.ShowTab("Projects")
	p := f.ui.projects
	p.newProject()
	if p.deletes.Selected != "Delete everywhere (propagate)" {
		t.Errorf("a new project's form shows %q, want propagate preselected", p.deletes.Selected)
	}
	p.list.Select(0)
	if p.deletes.Selected != "Delete everywhere (propagate)" {
		t.Fatalf("proj (stored propagate) shows %q", p.deletes.Selected)
	}
	chooseFromMenu(t, f.ui.Window(), p.deletes, "Bring back (keep)")
	test.Tap(p.save)
	if saved, _ := f.store.Project("proj"); saved.Deletes != service.Keep {
		t.Fatalf("after choosing Bring back and Save, proj deletes %q, want keep", saved.Deletes)
	}
	p.newProject()
	p.list.Select(0)
	if p.deletes.Selected != "Bring back (keep)" {
		t.Errorf("proj (stored keep) shows %q", p.deletes.Selected)
	}
}

// chooseFromMenu opens the select's menu and taps the option, as a user does.
func chooseFromMenu(t *testing.T, win fyne.Window, s *widget.Select, option string) {
	t.Helper()
	test.Tap(s)
	menu := win.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatal("tapping the select opened no menu")
	}
	// The walk goes from containers to their children: the last tappable object
	// showing the option is its menu item.
	var item fyne.Tappable
	for _, o := range test.LaidOutObjects(menu) {
		if tappable, ok := o.(fyne.Tappable); ok && rendersCanvasText(o, option) {
			item = tappable
		}
	}
	if item == nil {
		t.Fatalf("the menu has no option %q", option)
	}
	item.Tapped(&fyne.PointEvent{})
	if s.Selected != option {
		t.Fatalf("tapping %q in the menu left the select on %q", option, s.Selected)
	}
}

func rendersCanvasText(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if c, ok := obj.(*canvas.Text); ok && c.Text == text {
			return true
		}
	}
	return false
}

// TestProjectsTab_ANewProjectListsTheTemporaryNamesItIgnores: the defaults are ordinary
// entries of the ignore list, there to be removed, and a project saved as it comes keeps
// them.
func TestProjectsTab_ANewProjectListsTheTemporaryNamesItIgnores(t *testing.T) {
	f := newFixture(t, "c1")
	p := f.ui.projects
	p.newProject()
	for _, want := range []string{"*.tmp", "tmp-checkpoint-*", ".*.swp", "~$*"} {
		if !strings.Contains(p.ignore.Text(), want) {
			t.Errorf("a new project's ignore list %q lacks %q", p.ignore.Text(), want)
		}
	}
	test.Type(p.name, "vision")
	test.Tap(p.save)
	saved, _ := f.store.Project("vision")
	if !slices.Contains(saved.Ignore, "tmp-checkpoint-*") {
		t.Errorf("saved ignore list %q lacks the defaults", saved.Ignore)
	}
}
