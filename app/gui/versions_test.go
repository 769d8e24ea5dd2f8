package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"filesync/app/service"
	"filesync/sync/testfiles"
)

// waitFor polls cond on the UI goroutine until it holds, or fails the test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
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
	restored := make(chan error, 1)
	var v *versionsView
	fyne.DoAndWait(func() {
		v = f.ui.showVersions("Versions", service.VersionQuery{})
		v.restored = func(_ service.Result, err error) { restored <- err }
	})
	waitFor(t, "the versions to be listed", func() bool { return len(v.shown) == 2 })
	if text := v.space.Text; !strings.Contains(text, "c2: 4 B in 2 versions") || !strings.Contains(text, "c1: 0 B in 0 versions") {
		t.Errorf("space shown: %q", text)
	}
	fyne.DoAndWait(func() { v.filter.SetText("a.txt") })
	if len(v.shown) != 1 || v.shown[0].Path != "data/proj/a.txt" {
		t.Fatalf("the filter shows %v", v.shown)
	}
	var row *versionRow
	fyne.DoAndWait(func() {
		for _, o := range test.LaidOutObjects(f.ui.Window().Canvas().Overlays().Top()) {
			if r, ok := o.(*versionRow); ok && r.cells[0].Text == "data/proj/a.txt" {
				row = r
			}
		}
	})
	if row == nil {
		t.Fatal("no row shows data/proj/a.txt")
	}
	test.Tap(row.restore)
	select {
	case a := <-f.eng.Actions:
		if a.Target != "c2" || a.Planned == nil || len(a.Planned.Deliveries) != 1 || a.Planned.Deliveries[0].To != "c1" ||
			a.Planned.Deliveries[0].Changes[0].Path != "data/proj/a.txt" {
			t.Errorf("the engine was asked for %+v, want data/proj/a.txt sent from c2 to c1", a)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Restore never reached the engine")
	}
	select {
	case err := <-restored:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the restore never ended")
	}
	if b, _ := os.ReadFile(filepath.Join(c2.Root, "data/proj/a.txt")); string(b) != "old" {
		t.Errorf("c2's data/proj/a.txt holds %q after the restore, want the kept copy", b)
	}
}

// overlayHas reports whether the window's top overlay shows a label with text.
func (f *fixture) overlayHas(text string) bool {
	for _, o := range test.LaidOutObjects(f.ui.Window().Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
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
	var button *widget.Button
	fyne.DoAndWait(func() {
		f.ui.history.showDetail(run.ID)
		for _, o := range test.LaidOutObjects(f.ui.Window().Canvas().Overlays().Top()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Versions kept by this run" {
				button = b
			}
		}
	})
	if button == nil {
		t.Fatal("the run's details have no button for its versions")
	}
	test.Tap(button)
	waitFor(t, "the run's versions", func() bool { return f.overlayHas("data/proj/a.txt") })
	fyne.DoAndWait(func() {
		if f.overlayHas("data/proj/b.txt") {
			t.Error("the run's versions list another run's copy")
		}
	})
}
