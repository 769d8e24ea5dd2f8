package service_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/sync/testfiles"
)

var base = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// writeOn writes rel under the named computer's root with content and mtime.
func writeOn(t *testing.T, fx *servicetest.Fixture, computer, rel, content string, mtime time.Time) {
	t.Helper()
	c, err := fx.Store.Computer(computer)
	if err != nil {
		t.Fatal(err)
	}
	testfiles.WriteAt(t, filepath.Join(c.Root, rel), content, mtime)
}

func TestStatus_ShowsWhatEachComputerLacksAndChangesNothing(t *testing.T) {
	fx := twoLocal(t)
	writeOn(t, fx, "here", "data/proj/a.txt", "old", base)
	writeOn(t, fx, "nas", "data/proj/a.txt", "newer", base.Add(time.Hour))
	writeOn(t, fx, "nas", "models/proj/m.bin", "model", base)
	writeOn(t, fx, "here", "data/proj/only-here.txt", "x", base)
	fx.AddRemote(t, "far", "127.0.0.9")
	sub := fx.Service.Events(service.Listed)
	defer sub.Close()

	st, err := fx.Service.Status(context.Background(), service.StatusRequest{})
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]service.Cell{}
	for _, c := range st.Cells {
		cells[c.Computer] = c
	}
	if c := cells["here"]; c.State != service.CellOutOfSync || c.Receive != (service.Count{Files: 2, Bytes: 10}) || c.NewerHere.Files != 1 {
		t.Errorf("here: %+v; want 2 files (10 bytes) to receive and 1 newer here", c)
	}
	if c := cells["nas"]; c.Receive != (service.Count{Files: 1, Bytes: 1}) || c.NewerHere.Files != 2 || c.Synced {
		t.Errorf("nas: %+v; want 1 file to receive, 2 newer here, never synced", c)
	}
	if c := cells["far"]; c.State != service.CellUnreachable || !strings.Contains(c.Reason, "not trusted") {
		t.Errorf("far: %+v; want unreachable because its host key is not trusted", c)
	}
	if st.InSync() {
		t.Error("InSync with files missing")
	}
	runs, _ := fx.Store.Runs(10)
	if len(runs) != 0 {
		t.Errorf("status recorded %d runs", len(runs))
	}
	if here, _ := fx.Store.Computer("here"); testfiles.Read(t, filepath.Join(here.Root, "data/proj/a.txt")) != "old" {
		t.Error("status changed here's a.txt")
	}
	done := map[string]bool{}
	for len(done) < 3 {
		select {
		case ev := <-sub.Events():
			if ev.Listing.Done {
				done[ev.Listing.Computer] = true
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("listing ends published for %v only", done)
		}
	}
}

func TestPreview_PlansEachDestinationFromTheListingsAndRecordsNoRun(t *testing.T) {
	fx := twoLocal(t)
	writeOn(t, fx, "here", "data/proj/a.txt", "old", base)
	writeOn(t, fx, "nas", "data/proj/a.txt", "newer", base.Add(time.Hour))
	writeOn(t, fx, "here", "data/proj/b.txt", "bb", base)

	p, err := fx.Service.Preview(context.Background(), service.Request{Kind: service.SyncAll})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range p.Deliveries {
		var paths []string
		for _, c := range d.Changes {
			paths = append(paths, c.Path+"<"+c.From)
		}
		got[d.To] = strings.Join(paths, ",")
	}
	if got["here"] != "data/proj/a.txt<nas" || got["nas"] != "data/proj/b.txt<here" {
		t.Errorf("deliveries %v; want here ← a.txt from nas, nas ← b.txt from here", got)
	}
	if files, bytes, deletes := p.Totals(); files != 2 || bytes != 7 || deletes != 0 {
		t.Errorf("totals %d files %d bytes %d deletes; want 2, 7, 0", files, bytes, deletes)
	}
	select {
	case a := <-fx.Engine.Actions:
		t.Errorf("a preview ran the engine: %+v", a)
	default:
	}
	if runs, _ := fx.Store.Runs(10); len(runs) != 0 {
		t.Errorf("a preview recorded %d runs", len(runs))
	}
}

func TestSyncAll_StoresTheAgreedStateThatStatusComparesWith(t *testing.T) {
	fx := twoLocal(t)
	writeOn(t, fx, "here", "data/proj/a.txt", "a", base)
	writeOn(t, fx, "here", "data/proj/b.txt", "b", base)
	if _, err := fx.Service.Sync(context.Background(), service.Request{Kind: service.SyncAll}); err != nil {
		t.Fatal(err)
	}
	writeOn(t, fx, "here", "data/proj/a.txt", "a2", base.Add(time.Minute))
	writeOn(t, fx, "here", "data/proj/c.txt", "c", base)

	st, err := fx.Service.Status(context.Background(), service.StatusRequest{Computer: "here"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Cells) != 1 {
		t.Fatalf("cells %+v, want here's only", st.Cells)
	}
	if c := st.Cells[0]; !c.Synced || c.Changed != (service.Count{Files: 2, Bytes: 3}) {
		t.Errorf("here after the sync and two changes: synced %v, changed %+v; want 2 files, 3 bytes", c.Synced, c.Changed)
	}
}

func TestStatus_RefusesAnUnknownComputerOrProject(t *testing.T) {
	fx := twoLocal(t)
	for _, req := range []service.StatusRequest{{Computer: "ghost"}, {Projects: []string{"ghost"}}} {
		_, err := fx.Service.Status(context.Background(), req)
		if service.KindOf(err) != service.KindBadInput || !strings.Contains(err.Error(), "ghost") {
			t.Errorf("%+v: error %v, want bad input naming ghost", req, err)
		}
	}
}
