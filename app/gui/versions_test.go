package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/sync/testfiles"
)

// versionsHooks makes the window report each Versions listing shown and each restore ended.
func (f *fixture) versionsHooks() (chan *versionsView, chan error) {
	shown, restored := make(chan *versionsView, 4), make(chan error, 4)
	f.ui.versionsShown = func(v *versionsView) { shown <- v }
	f.ui.versionsRestored = func(_ service.Result, err error) { restored <- err }
	return shown, restored
}

// receive waits for the next value of c, or fails the test.
func receive[T any](t *testing.T, c chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

func shownPaths(v *versionsView) []string {
	var paths []string
	for _, k := range v.shown {
		paths = append(paths, k.Computer+":"+k.Path)
	}
	return paths
}

func TestVersionsView_RestoreAsksTheServiceToPutTheCopyBack(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	c2, err := f.store.Computer("c2")
	if err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(c2.Root, ".filesync/versions/20261201-100000-run1/data/proj")
	testfiles.Write(t, filepath.Join(kept, "a.txt"), "old")
	testfiles.Write(t, filepath.Join(kept, "b.txt"), "b")
	testfiles.Write(t, filepath.Join(c2.Root, "data/proj/a.txt"), "new")
	shown, restored := f.versionsHooks()
	f.ui.showVersions("Versions", service.VersionQuery{})
	v := receive(t, shown, "the versions to be listed")
	if got := strings.Join(shownPaths(v), ","); got != "c2:data/proj/a.txt,c2:data/proj/b.txt" {
		t.Fatalf("listed %s", got)
	}
	if text := v.space.Text; !strings.Contains(text, "c2: 4 B in 2 versions") || !strings.Contains(text, "c1: 0 B in 0 versions") {
		t.Errorf("space shown: %q", text)
	}
	v.filter.SetText("a.txt")
	if got := strings.Join(shownPaths(v), ","); got != "c2:data/proj/a.txt" {
		t.Fatalf("the filter shows %s", got)
	}
	var row *versionRow
	for _, o := range test.LaidOutObjects(f.ui.Window().Canvas().Overlays().Top()) {
		if r, ok := o.(*versionRow); ok && r.cells[0].Text == "data/proj/a.txt" {
			row = r
		}
	}
	if row == nil {
		t.Fatal("no row shows data/proj/a.txt")
	}
	test.Tap(row.restore)
	a := receive(t, f.eng.Actions, "the restore to reach the engine")
	if a.Target != "c2" || a.Planned == nil || len(a.Planned.Deliveries) != 1 || a.Planned.Deliveries[0].To != "c1" ||
		a.Planned.Deliveries[0].Changes[0].Path != "data/proj/a.txt" {
		t.Errorf("the engine was asked for %+v, want data/proj/a.txt sent from c2 to c1", a)
	}
	if err := receive(t, restored, "the restore's end"); err != nil {
		t.Fatal(err)
	}
	receive(t, shown, "the versions to be listed again")
	if b, _ := os.ReadFile(filepath.Join(c2.Root, "data/proj/a.txt")); string(b) != "old" {
		t.Errorf("c2's data/proj/a.txt holds %q after the restore, want the kept copy", b)
	}
}

func TestHistoryTab_RunDetailsOpenTheVersionsTheRunKept(t *testing.T) {
	f := newFixture(t, "c1", "c2")
	run, err := f.store.StartRun(service.TriggerSync, "all computers")
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := f.store.Computer("c1")
	testfiles.Write(t, filepath.Join(c1.Root, ".filesync/versions", fmt.Sprintf("20261201-100000-run%d", run.ID), "data/proj/a.txt"), "kept")
	testfiles.Write(t, filepath.Join(c1.Root, ".filesync/versions/20261130-100000-run999/data/proj/b.txt"), "another run's")
	shown, _ := f.versionsHooks()
	f.ui.history.showDetail(run.ID)
	var button *widget.Button
	for _, o := range test.LaidOutObjects(f.ui.Window().Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Versions kept by this run" {
			button = b
		}
	}
	if button == nil {
		t.Fatal("the run's details have no button for its versions")
	}
	test.Tap(button)
	v := receive(t, shown, "the run's versions")
	if got := strings.Join(shownPaths(v), ","); got != "c1:data/proj/a.txt" {
		t.Errorf("the run's versions are %s, want c1:data/proj/a.txt alone", got)
	}
}
