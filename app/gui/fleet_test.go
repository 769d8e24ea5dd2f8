package gui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/sync/engine"
	"filesync/sync/testfiles"
	"filesync/sync/testfleet"
	"filesync/widgets"
)

// mtime is the modification time of the test files: copies that agree have the same one.
var mtime = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// fleetFixture is the window over local computers whose roots are real folders, so that
// a fleet listing runs the real rsync over them.
type fleetFixture struct {
	*fixture
	roots map[string]string
	shown chan error // a listing's outcome was shown
}

// newFleetFixture adds local computers with the given names and the projects (the first
// one "proj" when none are given); wrap, when not nil, stands between the window and the service.
func newFleetFixture(t *testing.T, computers []string, wrap func(*service.Service) Backend, projects ...string) *fleetFixture {
	t.Helper()
	ff := &fleetFixture{roots: map[string]string{}, shown: make(chan error, 8)}
	if len(projects) == 0 {
		projects = []string{"proj"}
	}
	ff.fixture = newFixtureOver(t, func(sf *servicetest.Fixture) {
		for _, name := range computers {
			ff.roots[name] = sf.AddLocal(t, name)
		}
		for _, p := range projects {
			sf.AddProject(t, p)
		}
	}, wrap)
	ff.ui.fleet.shown = func(err error) { ff.shown <- err }
	return ff
}

// write makes the file rel of project proj on a computer, with the shared mtime.
func (f *fleetFixture) write(t *testing.T, computer, rel, content string) {
	t.Helper()
	testfiles.WriteAt(t, filepath.Join(f.roots[computer], "data", "proj", rel), content, mtime)
}

// listed waits for the next listing's outcome to be shown.
func (f *fleetFixture) listed(t *testing.T) error {
	t.Helper()
	select {
	case err := <-f.shown:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("no listing shown in 30 s")
		return nil
	}
}

// refresh taps Refresh and waits for the listing to be shown.
func (f *fleetFixture) refresh(t *testing.T) {
	t.Helper()
	test.Tap(f.ui.fleet.refreshBt)
	if err := f.listed(t); err != nil {
		t.Fatalf("listing the fleet: %v", err)
	}
}

func (f *fleetFixture) tile(t *testing.T, computer, project string) *widgets.Tile {
	t.Helper()
	tile, ok := f.ui.fleet.tiles[cellKey{computer, project}]
	if !ok {
		t.Fatalf("the grid has no cell %s × %s", computer, project)
	}
	return tile
}

func TestFleetView_GridShowsWhatEachComputerLacksAndHoldsAlone(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b"}, nil)
	f.write(t, "a", "both.txt", "same")
	f.write(t, "b", "both.txt", "same")
	f.write(t, "a", "only-a.bin", strings.Repeat("a", 100))
	f.write(t, "b", "only-b/1.bin", strings.Repeat("b", 1500))
	f.write(t, "b", "only-b/2.bin", strings.Repeat("b", 1000))
	f.refresh(t)
	for _, want := range []struct {
		computer, text string
		tone           widgets.Tone
	}{
		{"a", "2 files, 2.5 kB to receive\n1 newer here", widgets.ToneBehind},
		{"b", "1 file, 100 B to receive\n2 newer here", widgets.ToneBehind},
	} {
		tile := f.tile(t, want.computer, "proj")
		if tile.Text() != want.text || tile.Tone() != want.tone {
			t.Errorf("%s's cell reads %q (tone %v), want %q (tone %v)", want.computer, tile.Text(), tile.Tone(), want.text, want.tone)
		}
	}
	f.write(t, "a", "only-b/1.bin", strings.Repeat("b", 1500))
	f.write(t, "a", "only-b/2.bin", strings.Repeat("b", 1000))
	f.write(t, "b", "only-a.bin", strings.Repeat("a", 100))
	f.refresh(t)
	for _, name := range []string{"a", "b"} {
		if tile := f.tile(t, name, "proj"); tile.Text() != "in sync" || tile.Tone() != widgets.ToneGood {
			t.Errorf("once the copies agree, %s's cell reads %q (tone %v), want in sync", name, tile.Text(), tile.Tone())
		}
	}
}

func TestFleetView_CellClickListsItsFilesAndSyncThisComputerSyncsThatRow(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b"}, nil, "proj", "other")
	f.write(t, "b", "x.bin", "x")
	f.write(t, "b", "y.bin", "yy")
	f.refresh(t)
	test.Tap(f.tile(t, "a", "proj"))
	files := f.ui.fleet.files
	if got := strings.Join(files.Files(), ","); got != "data/proj/x.bin,data/proj/y.bin" {
		t.Errorf("a × proj lists %q, want both files a lacks", got)
	}
	if !strings.Contains(files.title.Text, "a / proj") || !strings.Contains(files.title.Text, "2 files (3 B) to receive") {
		t.Errorf("the files' title reads %q", files.title.Text)
	}
	if !f.tile(t, "a", "proj").Selected() || f.tile(t, "b", "proj").Selected() {
		t.Error("the clicked cell is not the one outlined")
	}
	test.Tap(files.syncComputer)
	if a := f.nextAction(t); a.Kind != service.SyncComputer || a.Target != "a" {
		t.Fatalf("Sync this computer on a's cell asked for %s %q, want sync-computer a", a.Kind, a.Target)
	}
	if err := f.listed(t); err != nil { // the listing after the run
		t.Fatal(err)
	}
	test.Tap(f.tile(t, "b", "other"))
	test.Tap(files.syncProject)
	if a := f.nextAction(t); a.Kind != service.SyncAll || len(a.Projects) != 1 || a.Projects[0].Name != "other" {
		t.Fatalf("Sync this project on the other column asked for %s of %+v, want sync-all of other only", a.Kind, a.Projects)
	}
}

func TestFleetView_CellListsAtMostAFewHundredFilesAndSaysHowMany(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b"}, nil)
	for i := range cellFilesShown + 20 {
		f.write(t, "b", fmt.Sprintf("many/f%03d.txt", i), "x")
	}
	f.refresh(t)
	test.Tap(f.tile(t, "a", "proj"))
	files := f.ui.fleet.files
	if len(files.Files()) != cellFilesShown || !strings.Contains(files.title.Text, "showing the first 300 of 320 files") {
		t.Errorf("a × proj lists %d files under %q, want %d and the full count", len(files.Files()), files.title.Text, cellFilesShown)
	}
}

func TestFleetView_ListsAgainAfterEveryRun(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b"}, nil)
	f.write(t, "b", "x.bin", "x")
	f.refresh(t)
	if got := f.tile(t, "a", "proj").Text(); !strings.HasPrefix(got, "1 file") {
		t.Fatalf("before the run a's cell reads %q", got)
	}
	f.eng.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		f.write(t, "a", "x.bin", "x")
		return servicetest.AllOK(a)
	}
	test.Tap(f.ui.computers.syncAll)
	if err := f.listed(t); err != nil {
		t.Fatal(err)
	}
	if got := f.tile(t, "a", "proj").Text(); got != "in sync" {
		t.Errorf("after the run a's cell reads %q, want in sync without a Refresh", got)
	}
}

// TestComputersTab_BadgeTellsBehindAndInSyncFromFailed: after a listing, a computer whose
// last run went fine says whether it is in sync or behind; one whose run failed still
// says failed.
func TestComputersTab_BadgeTellsBehindAndInSyncFromFailed(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b", "c"}, nil)
	f.write(t, "b", "x.bin", "x")
	f.eng.Script = func(_ context.Context, a engine.Action, _ func(engine.Event)) engine.Result {
		return servicetest.OneFailed(a, "c", "c: disk full")
	}
	test.Tap(f.ui.computers.syncAll)
	f.nextAction(t)
	if err := f.listed(t); err != nil {
		t.Fatal(err)
	}
	assertBadges(t, f, map[string]string{"a": "behind 1 file", "b": "ok", "c": "failed"})
	if tone := f.row(t, "a").badge.Tone(); tone != widgets.ToneBehind {
		t.Errorf("a behind shows tone %v, want the behind tone", tone)
	}
	f.write(t, "a", "x.bin", "x")
	f.write(t, "c", "x.bin", "x")
	f.refresh(t)
	assertBadges(t, f, map[string]string{"a": "in sync", "b": "in sync", "c": "failed"})
}

func assertBadges(t *testing.T, f *fleetFixture, want map[string]string) {
	t.Helper()
	for name, text := range want {
		if got := f.row(t, name).badge.Status(); got != text {
			t.Errorf("%s's badge reads %q, want %q", name, got, text)
		}
	}
}

func TestFleetView_UnreachableCellSaysWhyAndTheClickShowsAll(t *testing.T) {
	f := newFixtureOver(t, func(sf *servicetest.Fixture) {
		sf.AddLocal(t, "here")
		sf.AddRemote(t, "gpu", "127.0.0.2")
		sf.AddProject(t, "proj")
	}, nil)
	shown := make(chan error, 1)
	f.ui.fleet.shown = func(err error) { shown <- err }
	test.Tap(f.ui.fleet.refreshBt)
	if err := <-shown; err != nil {
		t.Fatal(err)
	}
	tile := f.ui.fleet.tiles[cellKey{"gpu", "proj"}]
	if tile == nil || !strings.HasPrefix(tile.Text(), "not trusted\n") || tile.Tone() != widgets.ToneAsk {
		t.Fatalf("the untrusted computer's cell: %+v, want it to say not trusted and why", tile)
	}
	if got := f.row(t, "gpu").badge.Status(); got != "not trusted" {
		t.Errorf("gpu, never synced, has a badge reading %q after the listing, want not trusted", got)
	}
	test.Tap(tile)
	reason := f.ui.fleet.files.reason
	if reason.Hidden || !strings.Contains(reason.Text, "gpu") || len(reason.Text) <= len(tile.Text()) {
		t.Errorf("clicking the cell shows %q (hidden %v), want the whole reason", reason.Text, reason.Hidden)
	}
}

// heldStatus is the service with a Status that waits, until released or cancelled,
// before it lists: a listing that lasts as long as a test needs.
type heldStatus struct {
	*service.Service
	calls   chan struct{} // one per Status call, as it starts waiting
	release chan struct{}
}

func (h *heldStatus) Status(ctx context.Context, req service.StatusRequest) (service.FleetStatus, error) {
	h.calls <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return h.Service.Status(ctx, req)
}

func newHeldStatus() *heldStatus {
	return &heldStatus{calls: make(chan struct{}, 8), release: make(chan struct{})}
}

// over is a fixture's wrap: it puts h between the window and the service.
func (h *heldStatus) over(s *service.Service) Backend {
	h.Service = s
	return h
}

func newHeldFixture(t *testing.T) (*fleetFixture, *heldStatus) {
	t.Helper()
	held := newHeldStatus()
	return newFleetFixture(t, []string{"a", "b"}, held.over), held
}

func (h *heldStatus) called(t *testing.T) {
	t.Helper()
	select {
	case <-h.calls:
	case <-time.After(30 * time.Second):
		t.Fatal("the window did not ask for a listing")
	}
}

func TestFleetView_CancelStopsTheListing(t *testing.T) {
	f, held := newHeldFixture(t)
	test.Tap(f.ui.fleet.refreshBt)
	held.called(t)
	if f.ui.fleet.cancelBt.Hidden {
		t.Error("no Cancel while the fleet is listed")
	}
	test.Tap(f.ui.fleet.cancelBt)
	if err := f.listed(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("after Cancel the listing ended with %v, want cancelled", err)
	}
	if !strings.Contains(f.ui.fleet.note.Text, "cancelled") || !f.ui.fleet.cancelBt.Hidden {
		t.Errorf("after Cancel the view says %q (Cancel hidden %v)", f.ui.fleet.note.Text, f.ui.fleet.cancelBt.Hidden)
	}
}

func TestFleetView_RefreshDuringAListingListsOnceMoreAfterIt(t *testing.T) {
	f, held := newHeldFixture(t)
	test.Tap(f.ui.fleet.refreshBt)
	held.called(t)
	test.Tap(f.ui.fleet.refreshBt)
	test.Tap(f.ui.fleet.refreshBt)
	held.release <- struct{}{}
	held.called(t)
	held.release <- struct{}{}
	for range 2 {
		if err := f.listed(t); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-held.calls:
		t.Fatal("three Refreshes during one listing listed twice more, want once")
	case <-time.After(300 * time.Millisecond):
	}
}

func TestFleetView_ShowsEachComputersEntriesWhileListing(t *testing.T) {
	f, held := newHeldFixture(t)
	test.Tap(f.ui.fleet.refreshBt)
	held.called(t)
	f.ui.apply(service.Event{Event: engine.Event{Kind: service.Listed}, Listing: &service.ListingProgress{Computer: "a", Entries: 2000}})
	f.ui.apply(service.Event{Event: engine.Event{Kind: service.Listed}, Listing: &service.ListingProgress{Computer: "b", Entries: 310, Done: true}})
	if got := f.ui.fleet.note.Text; got != "Listing… a: 2000 entries · b: done (310)" {
		t.Errorf("while listing the view says %q", got)
	}
	held.release <- struct{}{}
	f.listed(t)
}

func TestCellText_UnreachableSaysTheStatusAndWhy(t *testing.T) {
	for _, tc := range []struct {
		status service.Status
		reason string
		want   string
	}{
		{service.StatusUnreachable, "c3: unreachable at root@127.0.0.13:42177: ssh: connect to host 127.0.0.13 port 42177: Connection refused",
			"unreachable\nConnection refused"},
		{service.StatusUnreachable, "c3: unreachable at root@127.0.0.13:42177: no answer within 10s: the computer or the network to it is down",
			"unreachable\nno answer within 10s"},
		{service.StatusNotTrusted, "gpu: host key not trusted yet: compare its fingerprint", "not trusted\nhost key not trusted yet"},
		{service.StatusHostKeyChanged, "gpu: host key changed: pinned SHA256:a, now offered SHA256:b", "host key changed"},
		{service.StatusFailed, "gpu: listing failed (rsync exited with code 23): rsync error", "failed\nlisting failed"},
		{service.StatusFailed, "gpu: rsync is not installed on this computer; install rsync 3.2.3 or newer",
			"failed\nrsync is not installed on this co…"},
	} {
		computer, _, _ := strings.Cut(tc.reason, ":")
		cell := service.Cell{Computer: computer, Project: "p", State: service.CellUnreachable, Reason: tc.reason}
		if got := cellText(cell, tc.status); got != tc.want {
			t.Errorf("%s, %q: the tile reads %q, want %q", tc.status, tc.reason, got, tc.want)
		}
	}
}

// TestFleetView_GridShowsTheTrueCountsOfARealSSHFleet: two sshd computers and this one,
// each lacking what another holds; the grid reads what their listings say.
func TestFleetView_GridShowsTheTrueCountsOfARealSSHFleet(t *testing.T) {
	fl := testfleet.Start(t, 2)
	ff := &fleetFixture{roots: map[string]string{}, shown: make(chan error, 8)}
	ff.fixture = newFixtureWith(t, func(sf *servicetest.Fixture) {
		ff.roots["here"] = sf.AddLocal(t, "here")
		for _, c := range fl.Computers {
			ff.roots[c.Name] = sf.AddSSH(t, c, fl.User, fl.ClientKey)
		}
		sf.AddProject(t, "proj")
	})
	ff.ui.fleet.shown = func(err error) { ff.shown <- err }
	ff.write(t, "here", "a.bin", strings.Repeat("a", 100))
	ff.write(t, "c1", "a.bin", strings.Repeat("a", 100))
	ff.write(t, "c2", "b/deep.bin", strings.Repeat("b", 2000))
	testfiles.WriteAt(t, filepath.Join(ff.roots["c1"], "models/proj/m.pt"), "model", mtime)
	ff.refresh(t)
	for computer, want := range map[string]string{
		"here": "2 files, 2.0 kB to receive",
		"c1":   "1 file, 2.0 kB to receive\n2 newer here", // a.bin, held alike here, is sent from the first holder
		"c2":   "2 files, 105 B to receive\n1 newer here",
	} {
		if got := ff.tile(t, computer, "proj").Text(); got != want {
			t.Errorf("%s's cell reads %q, want %q", computer, got, want)
		}
	}
}

// TestFleetView_RunsEndingInQuickSuccessionShareOneListing: a watch pushing every second
// ends a run every second; the window lists the fleet after the first and then at most
// once per autoEvery, not after each.
func TestFleetView_RunsEndingInQuickSuccessionShareOneListing(t *testing.T) {
	f := newFleetFixture(t, []string{"a", "b"}, nil)
	f.ui.fleet.autoEvery = time.Hour
	for range 3 {
		test.Tap(f.ui.computers.syncAll)
		f.nextAction(t)
	}
	if err := f.listed(t); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.shown:
		t.Error("a second listing followed runs that ended within autoEvery of the first")
	case <-time.After(2 * time.Second):
	}
	if !f.ui.fleet.autoDue {
		t.Error("no listing is due after the runs that ended after the first one's")
	}
}
