package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/data"
	"filesync/sync/engine"
)

// twoLocal is a fixture with two local computers and one project.
func twoLocal(t *testing.T) *servicetest.Fixture {
	t.Helper()
	f := servicetest.New(t)
	f.AddLocal(t, "here")
	f.AddLocal(t, "nas")
	f.AddProject(t, "proj")
	return f
}

// next waits for the subscription's next event of kind k.
func next(t *testing.T, sub *service.Subscription, k service.EventKind) service.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-sub.Events():
			if ev.Kind == k {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event within 10 s", k)
		}
	}
}

func TestStart_RunCanBeCancelledBeforeItsFirstEvent(t *testing.T) {
	f := twoLocal(t)
	f.Engine.Script = func(ctx context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		<-ctx.Done()
		return engine.Result{Status: service.StatusCancelled}
	}
	sub := f.Service.Events(service.RunStarted, service.RunFinished)
	defer sub.Close()
	run, err := f.Service.Start(context.Background(), service.Request{Kind: service.SyncAll})
	if err != nil {
		t.Fatal(err)
	}
	if started := next(t, sub, service.RunStarted); started.RunID != run.ID || started.Trigger != service.TriggerSync {
		t.Errorf("RunStarted %+v, want run %d triggered by sync", started, run.ID)
	}
	f.Service.CancelAll()
	if res := run.Wait(); res.Status != service.StatusCancelled {
		t.Fatalf("run after CancelAll: %s", res.Status)
	}
	stored, _ := f.Store.RunDetail(run.ID)
	if stored.Status != service.StatusCancelled || stored.EndedAt == nil {
		t.Errorf("stored run %+v, want cancelled and ended", stored)
	}
}

// TestSync_PublishesTheRunsEndOnlyOnceItsResultsAreStored: another process holds the
// database's write lock as the run ends; RunFinished waits for the results to be stored.
func TestSync_PublishesTheRunsEndOnlyOnceItsResultsAreStored(t *testing.T) {
	f := twoLocal(t)
	f.Engine.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		release := f.HoldWrites(t)
		time.AfterFunc(300*time.Millisecond, release)
		return servicetest.OneFailed(a, "nas", "nas: disk full")
	}
	sub := f.Service.Events(service.RunFinished)
	defer sub.Close()
	if _, err := f.Service.Start(context.Background(), service.Request{Kind: service.SyncAll}); err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub, service.RunFinished)
	run, _ := f.Store.RunDetail(ev.RunID)
	nas, _ := f.Store.Computer("nas")
	here, _ := f.Store.Computer("here")
	if run.Status != service.StatusFailed || nas.LastStatus != service.StatusFailed || nas.LastError != "nas: disk full" ||
		here.LastStatus != service.StatusOK || here.LastSyncAt == nil {
		t.Errorf("when RunFinished arrived the store held run %s, nas %s (%q), here %s synced %v",
			run.Status, nas.LastStatus, nas.LastError, here.LastStatus, here.LastSyncAt)
	}
}

func TestSync_RecordsEachTransferAndPublishesEveryEvent(t *testing.T) {
	f := twoLocal(t)
	info := engine.TransferInfo{Index: 1, From: "here", To: "nas", Folders: []string{"data/proj"}, Command: "rsync …"}
	f.Engine.Script = func(_ context.Context, a engine.Action, emit func(engine.Event)) engine.Result {
		emit(engine.Event{Kind: engine.Started, Transfer: info})
		emit(engine.Event{Kind: engine.Output, Transfer: info, Line: ">f+++++++++ data/proj/a", LineKind: engine.LineChange})
		emit(engine.Event{Kind: engine.Finished, Transfer: info, Result: &engine.TransferResult{TransferInfo: info, Files: 1, Bytes: 42}})
		res := servicetest.AllOK(a)
		res.Files, res.Bytes = 1, 42
		return res
	}
	sub := f.Service.Events()
	defer sub.Close()
	res, err := f.Service.Sync(context.Background(), service.Request{Kind: service.SyncAll})
	if err != nil || res.Status != service.StatusOK {
		t.Fatalf("Sync: %+v, %v", res, err)
	}
	var kinds []string
	for ev := range sub.Events() {
		kinds = append(kinds, string(ev.Kind))
		if ev.Kind == service.RunFinished {
			break
		}
	}
	got := strings.Join(kinds, ",")
	for _, want := range []string{"run started", "started", "output", "finished", "run finished"} {
		if !strings.Contains(got, want) {
			t.Errorf("events %s lack %q", got, want)
		}
	}
	if strings.Count(got, "run finished") != 1 {
		t.Errorf("events %s: want exactly one run finished", got)
	}
	run, _ := f.Store.RunDetail(res.RunID)
	if len(run.Transfers) != 1 || run.Transfers[0].Bytes != 42 || run.Transfers[0].To != "nas" {
		t.Errorf("recorded transfers %+v, want here → nas, 42 bytes", run.Transfers)
	}
	if run.Files != 1 || run.Bytes != 42 || run.Status != service.StatusOK {
		t.Errorf("recorded run %+v", run)
	}
}

func TestStart_RefusesBadRequestsWithAHintAndRecordsNothing(t *testing.T) {
	f := servicetest.New(t)
	tests := []struct {
		name  string
		setUp func()
		req   service.Request
		hint  service.Remedy
		text  string
	}{
		{"one computer", func() { f.AddLocal(t, "here") }, service.Request{Kind: service.SyncAll}, service.AddComputer, "at least two enabled computers"},
		{"no project", func() { f.AddLocal(t, "nas") }, service.Request{Kind: service.SyncAll}, service.AddProject, "no projects yet"},
		{"an unknown project", func() { f.AddProject(t, "proj") }, service.Request{Kind: service.SyncAll, Projects: []string{"ghost"}}, service.ListProjects, `no project named "ghost"`},
		{"an unknown computer", nil, service.Request{Kind: service.SyncComputer, Target: "ghost"}, service.ListComputers, `no computer named "ghost"`},
		{"a disabled computer", func() {
			c := data.NewComputer("off")
			c.Local, c.Root, c.Enabled = true, t.TempDir(), false
			if err := f.Store.AddComputer(&c); err != nil {
				t.Fatal(err)
			}
		}, service.Request{Kind: service.SyncComputer, Target: "off"}, service.EnableComputer, `"off" is disabled`},
		{"a push from an unnamed computer with two local ones", nil, service.Request{Kind: service.Push}, service.NameComputer, "which computer is this one"},
	}
	for _, tt := range tests {
		if tt.setUp != nil {
			tt.setUp()
		}
		_, err := f.Service.Start(context.Background(), tt.req)
		if service.KindOf(err) != service.KindBadInput || service.HintOf(err).Do != tt.hint || err == nil || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: Start = %v (kind %d, hint %+v); want bad input %q with remedy %d", tt.name, err, service.KindOf(err), service.HintOf(err), tt.text, tt.hint)
		}
	}
	if runs, _ := f.Store.Runs(10); len(runs) != 0 {
		t.Errorf("refused requests were recorded: %+v", runs)
	}
}

func TestRunTask_PushesOnlyAfterExitZeroAndKeepsTheTasksExitCode(t *testing.T) {
	f := twoLocal(t)
	res, err := f.Service.RunTask(context.Background(), service.TaskRequest{Computer: "here", Command: []string{"true"}, Projects: []string{"proj"}})
	if err != nil || res.ExitCode != 0 || res.Push == nil || res.Push.Status != service.StatusOK {
		t.Fatalf("task true: %+v, %v; want exit 0 and a push", res, err)
	}
	if a := <-f.Engine.Actions; a.Kind != service.Push || a.Target != "here" {
		t.Errorf("after the task the engine ran %s from %q", a.Kind, a.Target)
	}
	res, err = f.Service.RunTask(context.Background(), service.TaskRequest{Computer: "here", Command: []string{"sh", "-c", "exit 3"}, Projects: []string{"proj"}})
	if err != nil || res.ExitCode != 3 || res.Push != nil {
		t.Fatalf("task exit 3: %+v, %v; want exit 3 and no push", res, err)
	}
	select {
	case a := <-f.Engine.Actions:
		t.Errorf("a failed task pushed: %s", a.Kind)
	default:
	}
	runs, _ := f.Store.Runs(1)
	if runs[0].Trigger != service.TriggerTask || runs[0].Status != service.StatusFailed || !strings.Contains(runs[0].Error, "code 3") {
		t.Errorf("the failed task is recorded as %+v", runs[0])
	}
	_, err = f.Service.RunTask(context.Background(), service.TaskRequest{Computer: "here", Projects: []string{"proj"}})
	if service.KindOf(err) != service.KindBadInput || service.HintOf(err).Do != service.GiveCommand {
		t.Errorf("a task without a command: %v", err)
	}
}

func TestSaveProject_ConflictsAndBadFieldsAreBadInputAndChangeNothing(t *testing.T) {
	f := twoLocal(t)
	dup := data.NewProject("PROJ")
	_, err := f.Service.SaveProject("", &dup)
	if service.KindOf(err) != service.KindBadInput || service.HintOf(err) != (service.Hint{Do: service.EditProject, Name: "proj"}) {
		t.Errorf("a taken name: %v, hint %+v", err, service.HintOf(err))
	}
	bad := data.NewProject("new")
	bad.SyncFolders = []string{"../etc"}
	if _, err := f.Service.SaveProject("", &bad); service.KindOf(err) != service.KindBadInput || !strings.Contains(err.Error(), "../etc") {
		t.Errorf("a folder outside the root: %v", err)
	}
	bad = data.NewProject("new")
	bad.Mode = "sideways"
	if _, err := f.Service.SaveProject("", &bad); service.KindOf(err) != service.KindBadInput {
		t.Errorf("an unknown mode: %v", err)
	}
	bad = data.NewProject("new")
	bad.Deletes = "forget"
	if _, err := f.Service.SaveProject("", &bad); service.KindOf(err) != service.KindBadInput ||
		err.Error() != `deletes "forget": use propagate or keep` {
		t.Errorf("an unknown deletes: %v", err)
	}
	edit, _ := f.Service.Project("proj")
	edit.Deletes = "forget"
	if _, err := f.Service.SaveProject("proj", &edit); service.KindOf(err) != service.KindBadInput {
		t.Errorf("an unknown deletes on edit: %v", err)
	}
	if p, _ := f.Service.Project("proj"); p.Deletes != service.Propagate {
		t.Errorf("after a refused edit proj deletes %q, want propagate as before", p.Deletes)
	}
	if ps, _ := f.Service.Projects(); len(ps) != 1 {
		t.Errorf("projects after refused saves: %+v", ps)
	}
}

func TestSaveProject_EmptyDeletesPropagatesWhenNewAndIsUnchangedOnEdit(t *testing.T) {
	f := twoLocal(t)
	kept := data.Project{Name: "kept", Mode: service.Merge, Deletes: service.Keep}
	fresh := data.Project{Name: "fresh", Mode: service.Merge}
	for _, p := range []*data.Project{&kept, &fresh} {
		if _, err := f.Service.SaveProject("", p); err != nil {
			t.Fatal(err)
		}
	}
	kept.Deletes = ""
	if _, err := f.Service.SaveProject("kept", &kept); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]service.Deletes{"kept": service.Keep, "fresh": service.Propagate} {
		if p, _ := f.Service.Project(name); p.Deletes != want {
			t.Errorf("project %s: deletes %q, want %q", name, p.Deletes, want)
		}
	}
}

func TestSync_TheEngineIsToldEachProjectsDeletes(t *testing.T) {
	f := twoLocal(t)
	p, _ := f.Service.Project("proj")
	p.Deletes = service.Keep
	if _, err := f.Service.SaveProject("proj", &p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Service.Sync(context.Background(), service.Request{Kind: service.SyncAll}); err != nil {
		t.Fatal(err)
	}
	if a := <-f.Engine.Actions; len(a.Projects) != 1 || a.Projects[0].Deletes != service.Keep {
		t.Errorf("the engine was given projects %+v, want proj with deletes keep", a.Projects)
	}
}

func TestPrepareComputer(t *testing.T) {
	local := data.NewComputer("nas")
	local.Local, local.Root, local.Host, local.User = true, "/mnt/nas", "nas.lan", "me"
	if _, err := service.PrepareComputer(local, true); !errors.Is(err, service.ErrLocalWithHost) || service.KindOf(err) != service.KindBadInput {
		t.Errorf("local with a typed host: %v", err)
	}
	got, err := service.PrepareComputer(local, false)
	if err != nil || got.Host != "" || got.User != "" {
		t.Errorf("local computer prepared as %+v, %v; want no ssh fields", got, err)
	}
	remote := data.NewComputer("gpu")
	remote.Host, remote.User, remote.Identity = "127.0.0.2", "me", "/nonexistent/key"
	if _, err := service.PrepareComputer(remote, true); service.KindOf(err) != service.KindBadInput || !strings.Contains(err.Error(), "identity file") {
		t.Errorf("a missing identity file: %v", err)
	}
}

func TestCheck_ReportsLocalComputersAndNeedsOne(t *testing.T) {
	f := servicetest.New(t)
	if _, err := f.Service.Check(context.Background(), nil); service.HintOf(err).Do != service.AddComputer {
		t.Errorf("check with no computers: %v", err)
	}
	f.AddLocal(t, "here")
	reports, err := f.Service.Check(context.Background(), nil)
	if err != nil || len(reports) != 1 || !service.CheckPassed(reports[0]) || !reports[0].RootExists {
		t.Fatalf("check of a local computer: %+v, %v", reports, err)
	}
	if _, err := f.Service.Check(context.Background(), []string{"ghost"}); service.HintOf(err).Do != service.ListComputers {
		t.Errorf("check of an unknown computer: %v", err)
	}
}

func TestLog_EntriesArePublished(t *testing.T) {
	f := servicetest.New(t)
	sub := f.Service.Events(service.LogEntry)
	defer sub.Close()
	f.Service.Log().WithField("from", "a").WithField("to", "b").WithField("project", "p").Error("disk full")
	ev := next(t, sub, service.LogEntry)
	if l := ev.Log; l.Level != "error" || l.Computer != "a → b" || l.Project != "p" || l.Text != "disk full" {
		t.Errorf("log entry %+v", l)
	}
}

func TestLog_AnUnusableComputerIsNamedOnce(t *testing.T) {
	f := twoLocal(t)
	f.Engine.Script = func(_ context.Context, a engine.Action, emit func(engine.Event)) engine.Result {
		emit(engine.Event{Kind: engine.ComputerChecked, Computer: &engine.ComputerResult{Name: "nas", Status: service.StatusUnreachable, Reason: "nas: unreachable at /mnt/nas"}})
		return servicetest.OneFailed(a, "nas", "nas: unreachable at /mnt/nas")
	}
	sub := f.Service.Events(service.LogEntry)
	defer sub.Close()
	if _, err := f.Service.Sync(context.Background(), service.Request{Kind: service.SyncAll}); err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub, service.LogEntry)
	if l := ev.Log; l.Computer != "nas" || l.Text != "unreachable at /mnt/nas" || l.Level != "warning" {
		t.Errorf("log entry %+v, want a warning about nas that names it once", l)
	}
}
