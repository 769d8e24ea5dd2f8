package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/sync/engine"
)

var (
	aConflict = service.Conflict{Project: "proj", Path: "data/proj/conf.txt",
		Winner: service.Version{Computer: "c1", Size: 1200, MTime: 1764645300},
		Losers: []service.Version{{Computer: "c2", Size: 900, MTime: 1764645000,
			Kept: "c2:/tmp/c2/.filesync/versions/20261202-031500-run1/data/proj/conf.txt"}}}
	aHalt = service.Halt{Computer: "c2", Project: "proj", Reason: "c2: its folder data/proj is missing"}
)

// shownText is the text of the labels in the window's top overlay (an open dialog).
func (f *fixture) shownText() string {
	top := f.ui.Window().Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	return strings.Join(texts, "\n")
}

func TestHistoryTab_RunDetailsListTheRunsConflictsAndHalts(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	f.eng.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		res := servicetest.AllOK(a)
		res.Conflicts, res.Halts = []service.Conflict{aConflict}, []service.Halt{aHalt}
		return res
	}
	finished := make(chan struct{}, 1)
	f.ui.applied = func(ev service.Event) {
		if ev.Kind == service.RunFinished {
			finished <- struct{}{}
		}
	}
	test.Tap(f.ui.computers.syncAll)
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("the window never handled the run's end")
	}
	f.ui.history.list.Select(0)
	shown := f.shownText()
	for _, want := range []string{
		"1 conflict — older copies kept in c2:/tmp/c2/.filesync/versions/20261202-031500-run1",
		"data/proj/conf.txt (project proj): c1's copy (modified ",
		"c2's copy (modified ", "kept in " + aConflict.Losers[0].Kept,
		"1 project held back: proj on c2", "project proj: c2: its folder data/proj is missing",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the run's details:\n%s\nlack %q", shown, want)
		}
	}
}

func TestRunNotice_MentionsConflictsAndHalts(t *testing.T) {
	ok := service.Result{Status: service.StatusOK, Summary: "all computers ok"}
	withConflicts, withHalts, failed := ok, ok, ok
	withConflicts.Conflicts = []service.Conflict{aConflict, aConflict}
	withHalts.Halts = []service.Halt{aHalt}
	failed.Status, failed.Summary, failed.Conflicts = service.StatusFailed, "1/2 computers ok; c2: disk full", []service.Conflict{aConflict}
	for _, tc := range []struct {
		name        string
		res         service.Result
		title, body string // title "" for no notice
	}{
		{"ok", ok, "", ""},
		{"conflicts", withConflicts, "FileSync: 2 conflicts", "2 conflicts — older copies kept in c2:/tmp/c2/.filesync/versions/20261202-031500-run1"},
		{"halts", withHalts, "FileSync: 1 project held back", "1 project held back: proj on c2"},
		{"failed", failed, "FileSync: sync failed",
			"1/2 computers ok; c2: disk full\n1 conflict — older copies kept in c2:/tmp/c2/.filesync/versions/20261202-031500-run1"},
	} {
		n := runNotice(tc.res)
		switch {
		case n == nil && tc.title != "":
			t.Errorf("%s: no notice, want %q", tc.name, tc.title)
		case n != nil && (n.Title != tc.title || n.Content != tc.body):
			t.Errorf("%s: notice %q: %q\nwant %q: %q", tc.name, n.Title, n.Content, tc.title, tc.body)
		}
	}
}
