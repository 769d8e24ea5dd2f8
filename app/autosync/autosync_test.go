package autosync_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"filesync/app/autosync"
	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/watch"
)

// setup is a fixture with this computer ("here", local) and one remote ("gpu"), whose
// projects' folders under here's root exist already (a watch sees only existing folders).
type setup struct {
	*servicetest.Fixture
	root string // here's root folder
	log  *logtest.Hook
}

func newSetup(t *testing.T, projects ...data.Project) *setup {
	t.Helper()
	f := &setup{Fixture: servicetest.New(t)}
	f.root = f.AddLocal(t, "here")
	f.AddRemote(t, "gpu", "127.0.0.2")
	for _, p := range projects {
		if err := f.Store.AddProject(&p); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(f.root, "data", p.Name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func project(name string, watch bool, intervalMinutes int) data.Project {
	p := data.NewProject(name)
	p.Watch, p.IntervalMinutes = watch, intervalMinutes
	return p
}

// quick shortens the watch's debounce so that a write ships within a few tens of ms.
func quick(w *watch.Service) { w.Quiet, w.MaxDelay = 50*time.Millisecond, time.Second }

// serve starts s over f's service until the test ends; the returned channel receives
// every action the service hands its engine.
func (f *setup) serve(t *testing.T, s *autosync.Service) <-chan engine.Action {
	t.Helper()
	logger, hook := logtest.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	f.log = hook
	s.Runs, s.Log = f.Service, logger
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	actions := make(chan engine.Action, 64)
	stop, drained := make(chan struct{}), make(chan struct{})
	go func() { // the fake engine blocks until its action is taken
		defer close(drained)
		for {
			select {
			case a := <-f.Engine.Actions:
				select {
				case actions <- a:
				default:
					t.Errorf("more than %d runs: %s of %v dropped", cap(actions), a.Kind, names(a))
				}
			case <-stop:
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve returned %v when its context ended, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return within 10 s of its context ending")
		}
		close(stop)
		<-drained
	})
	return actions
}

// waitForAction returns the first action matching want, calling poke (a write, say) every
// 100 ms meanwhile, since the watch may not be up yet.
func waitForAction(t *testing.T, actions <-chan engine.Action, want func(engine.Action) bool, poke func()) engine.Action {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	poke()
	for {
		select {
		case a := <-actions:
			if want(a) {
				return a
			}
		case <-tick.C:
			poke()
		case <-deadline:
			t.Fatal("no matching run within 10 s")
		}
	}
}

// onlyActionsOf fails if an action of another project than project arrives within d.
func onlyActionsOf(t *testing.T, actions <-chan engine.Action, project string, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case a := <-actions:
			if !of(project)(a) {
				t.Errorf("got a %s of %v, want runs of %s only", a.Kind, names(a), project)
			}
		case <-deadline:
			return
		}
	}
}

// noAction fails if an action arrives within d.
func noAction(t *testing.T, actions <-chan engine.Action, d time.Duration, why string) {
	t.Helper()
	select {
	case a := <-actions:
		t.Errorf("%s: got a %s of %v", why, a.Kind, names(a))
	case <-time.After(d):
	}
}

func names(a engine.Action) []string {
	var out []string
	for _, p := range a.Projects {
		out = append(out, p.Name)
	}
	return out
}

func of(project string) func(engine.Action) bool {
	return func(a engine.Action) bool { return slices.Equal(names(a), []string{project}) }
}

// writer writes a file under the project's data folder on each call.
func (f *setup) writer(t *testing.T, project string) func() {
	n := 0
	return func() {
		n++
		file := filepath.Join(f.root, "data", project, "notes.txt")
		if err := os.WriteFile(file, []byte(strings.Repeat("x", n)), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// waitForLog waits until s has logged a line containing text.
func (f *setup) waitForLog(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range f.log.AllEntries() {
			if strings.Contains(e.Message, text) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("automatic sync never logged %q", text)
}

func (f *setup) trigger(t *testing.T, a engine.Action) service.Trigger {
	t.Helper()
	run, err := f.Store.RunDetail(a.RunID)
	if err != nil {
		t.Fatal(err)
	}
	return run.Trigger
}

func TestServe_PushesAWatchedProjectFromThisComputerWhenItsFilesChange(t *testing.T) {
	f := newSetup(t, project("proj", true, 0))
	actions := f.serve(t, &autosync.Service{Tune: quick})
	a := waitForAction(t, actions, of("proj"), f.writer(t, "proj"))
	if a.Kind != service.Push || a.Target != "here" {
		t.Errorf("a change ran %s from %q, want a push from here", a.Kind, a.Target)
	}
	if got := f.trigger(t, a); got != service.TriggerWatch {
		t.Errorf("the run is recorded as triggered by %q, want %q", got, service.TriggerWatch)
	}
}

func TestServe_SyncsAProjectWithAnIntervalAcrossEveryComputer(t *testing.T) {
	f := newSetup(t, project("nightly", false, 60))
	actions := f.serve(t, &autosync.Service{Tune: func(w *watch.Service) {
		quick(w)
		// The interval is whole minutes in the store; the watch's copy of it can be shortened.
		w.Projects = slices.Clone(w.Projects)
		for i := range w.Projects {
			if w.Projects[i].Interval != time.Hour {
				t.Errorf("watch interval of %s is %s, want the stored 60 minutes", w.Projects[i].Name, w.Projects[i].Interval)
			}
			w.Projects[i].Interval = 100 * time.Millisecond
		}
	}})
	a := waitForAction(t, actions, of("nightly"), func() {})
	if a.Kind != service.SyncAll {
		t.Errorf("the interval ran %s from %q, want a sync of all computers", a.Kind, a.Target)
	}
	if got := f.trigger(t, a); got != service.TriggerInterval {
		t.Errorf("the run is recorded as triggered by %q, want %q", got, service.TriggerInterval)
	}
}

func TestServe_IgnoresProjectsWithoutWatchOrInterval(t *testing.T) {
	f := newSetup(t, project("manual", false, 0))
	actions := f.serve(t, &autosync.Service{Tune: quick})
	f.waitForLog(t, "no project has watch or an interval")
	write := f.writer(t, "manual")
	write()
	noAction(t, actions, 500*time.Millisecond, "a write under a project with watch off")
}

func TestServe_FailsAtStartWhenOnlyNamesAMissingProject(t *testing.T) {
	f := newSetup(t, project("proj", true, 0))
	logger, _ := logtest.NewNullLogger()
	s := &autosync.Service{Runs: f.Service, Log: logger, Only: []string{"proj", "nope"}, Tune: quick}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	select {
	case err := <-served:
		if err == nil || service.KindOf(err) != service.KindBadInput || !strings.Contains(err.Error(), `"nope"`) {
			t.Errorf("Serve = %v (kind %v), want a bad-input error naming \"nope\"", err, service.KindOf(err))
		}
	case <-time.After(5 * time.Second):
		cancel()
		<-served
		t.Fatal("Serve kept running with Only naming a project that does not exist")
	}
}

func TestServe_OnlyWatchesTheNamedProjectsWhateverTheirSwitch(t *testing.T) {
	f := newSetup(t, project("named", false, 0), project("other", true, 0))
	actions := f.serve(t, &autosync.Service{Only: []string{"named"}, Tune: quick})
	writeOther, writeNamed := f.writer(t, "other"), f.writer(t, "named")
	a := waitForAction(t, actions, func(engine.Action) bool { return true }, func() { writeOther(); writeNamed() })
	if !of("named")(a) || a.Kind != service.Push || a.Target != "here" {
		t.Errorf("writes under both projects ran a %s of %v from %q, want a push of the named project from here", a.Kind, names(a), a.Target)
	}
	// The named project's push shows the watch is up: a write under the other one now would
	// push it within the debounce.
	writeOther()
	onlyActionsOf(t, actions, "named", 500*time.Millisecond)
}

func TestServe_PicksUpSettingsChangedWhileRunning(t *testing.T) {
	f := newSetup(t, project("proj", false, 0))
	actions := f.serve(t, &autosync.Service{Poll: 50 * time.Millisecond, Tune: quick})
	f.waitForLog(t, "no project has watch or an interval")
	write := f.writer(t, "proj")
	write()
	noAction(t, actions, 300*time.Millisecond, "a write before watch was turned on")

	p, err := f.Service.Project("proj")
	if err != nil {
		t.Fatal(err)
	}
	p.Watch = true
	if _, err := f.Service.SaveProject("proj", &p); err != nil {
		t.Fatal(err)
	}
	a := waitForAction(t, actions, of("proj"), write)
	if a.Kind != service.Push || a.Target != "here" {
		t.Errorf("a change after watch was turned on ran %s from %q, want a push from here", a.Kind, a.Target)
	}
}

func TestServe_LogsAPauseOnceWhileItsCauseLasts(t *testing.T) {
	f := newSetup(t, project("proj", true, 0))
	f.AddLocal(t, "laptop") // two local computers: which one is this is unknown
	f.serve(t, &autosync.Service{Poll: 20 * time.Millisecond, Tune: quick})
	f.waitForLog(t, "automatic sync is paused")
	time.Sleep(500 * time.Millisecond)
	n := 0
	for _, e := range f.log.AllEntries() {
		if strings.Contains(e.Message, "automatic sync is paused") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the pause was logged %d times in 0.5 s (polling every 20 ms), want once until its cause changes", n)
	}
}
