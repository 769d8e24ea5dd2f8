package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/transfer"
)

// scripted is a transfer.Executor that plays back exit codes, one per call (the last one
// repeats), printing a line or two like rsync's on the way. Dry runs print dryLines.
type scripted struct {
	codes    []int
	dryLines []string
	dryErr   error
	hold     time.Duration // how long each real run takes
	onRun    func(n int)   // called at the start of each real run, numbered from 1

	mu    sync.Mutex
	calls []transfer.Job
	at    []time.Time
}

func (s *scripted) Commands(transfer.Job) ([][]string, error) {
	return [][]string{{"rsync", "--fake"}}, nil
}

func (s *scripted) Run(ctx context.Context, j transfer.Job, out transfer.Output) (int, error) {
	s.mu.Lock()
	s.calls = append(s.calls, j)
	s.at = append(s.at, time.Now())
	n := len(s.calls)
	s.mu.Unlock()
	if j.Options.DryRun {
		for _, l := range s.dryLines {
			out(process.Stdout, l)
		}
		if s.dryErr != nil {
			return 12, s.dryErr
		}
		return 0, nil
	}
	if s.onRun != nil {
		s.onRun(n)
	}
	if s.hold > 0 {
		time.Sleep(s.hold)
	}
	code := 0
	if len(s.codes) > 0 {
		code = s.codes[min(n, len(s.codes))-1]
	}
	out(process.Stdout, fmt.Sprintf(">f+++++++++ data/P/try%d.txt", n))
	out(process.Stdout, "Number of regular files transferred: 1")
	out(process.Stdout, fmt.Sprintf("Total transferred file size: %d bytes", n*100))
	switch code {
	case 0:
		return 0, nil
	case -1:
		return -1, fmt.Errorf("start rsync: executable file not found in $PATH")
	}
	out(process.Stderr, fmt.Sprintf("rsync error: try %d failed (code %d)", n, code))
	return code, fmt.Errorf("rsync exited with code %d", code)
}

func (s *scripted) runs() []transfer.Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// recorder collects emitted events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) emit(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) lines(stream string) []string {
	return r.outputs(func(ev Event) bool { return ev.Stream == stream })
}

// problems are the output lines marked as problems (shown as warnings).
func (r *recorder) problems() []string {
	return r.outputs(func(ev Event) bool { return ev.LineKind == LineProblem })
}

func (r *recorder) outputs(keep func(Event) bool) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.events {
		if ev.Kind == Output && keep(ev) {
			out = append(out, ev.Line)
		}
	}
	return out
}

func testEngine(t *testing.T, tries int, backoff time.Duration) *Engine {
	t.Helper()
	return New(Config{Tries: tries, Backoff: backoff, LockDir: t.TempDir()})
}

func testJob(ex transfer.Executor, mode fleet.Mode, folderPaths ...string) job {
	if len(folderPaths) == 0 {
		folderPaths = []string{"data/P"}
	}
	var fs []folders.Folder
	for _, p := range folderPaths {
		fs = append(fs, folders.Folder{Path: p})
	}
	return job{
		info: transfer.Job{
			From: fleet.Computer{Name: "a", Host: "a.lab", Port: 22},
			To:   fleet.Computer{Name: "b", Host: "b.lab", Port: 22}, Folders: fs,
			Options: rsync.Options{Mode: mode},
		},
		shown:    TransferInfo{Index: 1, From: "a", To: "b", Folders: folderPaths},
		executor: ex,
	}
}

func TestExecute_RetriesOnlyTransientFailures(t *testing.T) {
	cases := []struct {
		name       string
		codes      []int
		wantTries  int
		wantCode   int
		wantErr    []string // substrings; none when empty
		wantRetry  []string // engine lines
		wantChange string   // the kept change comes from the last try
	}{
		{name: "ssh fails twice then works", codes: []int{255, 255, 0}, wantTries: 3, wantCode: 0,
			wantRetry: []string{
				"try 1 of 3 failed (ssh failed (unreachable, refused or authentication)); retrying in 1ms",
				"try 2 of 3 failed (ssh failed (unreachable, refused or authentication)); retrying in 2ms",
			},
			wantChange: "data/P/try3.txt"},
		{name: "connection lost once", codes: []int{12, 0}, wantTries: 2, wantCode: 0,
			wantRetry: []string{"try 1 of 3 failed (error in the rsync protocol data stream (connection lost?)); retrying in 1ms"}, wantChange: "data/P/try2.txt"},
		{name: "partial transfer is not retried", codes: []int{23}, wantTries: 1, wantCode: 23,
			wantErr:    []string{"a → b: exit 23 (partial transfer: some files could not be transferred): rsync error: try 1 failed (code 23)"},
			wantChange: "data/P/try1.txt"},
		{name: "vanished files count as done, not retried", codes: []int{24, 0}, wantTries: 1, wantCode: 24,
			wantChange: "data/P/try1.txt"},
		{name: "timeout every time gives up after Tries", codes: []int{30}, wantTries: 3, wantCode: 30,
			wantErr: []string{"a → b: exit 30 (timeout: no data moved)", "try 3 failed"},
			wantRetry: []string{
				"try 1 of 3 failed (timeout: no data moved); retrying in 1ms",
				"try 2 of 3 failed (timeout: no data moved); retrying in 2ms",
			},
			wantChange: "data/P/try3.txt"},
		{name: "could not start", codes: []int{-1}, wantTries: 1, wantCode: -1,
			wantErr: []string{"a → b: start rsync: executable file not found"}, wantChange: "data/P/try1.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := testEngine(t, 3, time.Millisecond)
			ex := &scripted{codes: tc.codes}
			var rec recorder
			res := e.execute(context.Background(), testJob(ex, fleet.Merge), rec.emit)
			if res.Tries != tc.wantTries || len(ex.runs()) != tc.wantTries {
				t.Errorf("tries %d (executor ran %d times), want %d", res.Tries, len(ex.runs()), tc.wantTries)
			}
			if res.ExitCode != tc.wantCode {
				t.Errorf("exit code %d, want %d", res.ExitCode, tc.wantCode)
			}
			if len(tc.wantErr) == 0 && res.Error != "" {
				t.Errorf("error %q, want none", res.Error)
			}
			if len(tc.wantErr) > 0 && res.Error == "" {
				t.Errorf("no error, want one mentioning %q", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(res.Error, w) {
					t.Errorf("error %q lacks %q", res.Error, w)
				}
			}
			for _, line := range tc.wantRetry {
				if !slices.Contains(rec.problems(), line) {
					t.Errorf("retry line %q is not marked as a problem", line)
				}
			}
			if got := rec.lines("engine"); !slices.Equal(got, tc.wantRetry) {
				t.Errorf("engine lines %q, want %q", got, tc.wantRetry)
			}
			if len(res.Changes) != 1 || res.Changes[0].Path != tc.wantChange {
				t.Errorf("changes %+v, want only %s", res.Changes, tc.wantChange)
			}
			if res.Files != 1 || res.Bytes != int64(tc.wantTries*100) {
				t.Errorf("files %d bytes %d, want the last try's 1 and %d", res.Files, res.Bytes, tc.wantTries*100)
			}
			if res.TransferInfo.From != "a" || res.TransferInfo.To != "b" {
				t.Errorf("result names %+v", res.TransferInfo)
			}
		})
	}
}

func TestExecute_BackoffDoublesBetweenTries(t *testing.T) {
	const backoff = 25 * time.Millisecond
	e := testEngine(t, 3, backoff)
	ex := &scripted{codes: []int{255}}
	e.execute(context.Background(), testJob(ex, fleet.Merge), func(Event) {})
	if len(ex.at) != 3 {
		t.Fatalf("%d tries, want 3", len(ex.at))
	}
	if gap := ex.at[1].Sub(ex.at[0]); gap < backoff {
		t.Errorf("first pause %s, want at least %s", gap, backoff)
	}
	if gap := ex.at[2].Sub(ex.at[1]); gap < 2*backoff {
		t.Errorf("second pause %s, want at least %s", gap, 2*backoff)
	}
}

func TestExecute_CancelDuringBackoffStopsRetrying(t *testing.T) {
	e := testEngine(t, 3, time.Hour)
	ex := &scripted{codes: []int{255}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	res := e.execute(ctx, testJob(ex, fleet.Merge), func(Event) {})
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("execute took %s after cancel", d)
	}
	if res.Tries != 1 || res.Error == "" {
		t.Errorf("tries %d, error %q; want 1 failed try", res.Tries, res.Error)
	}
}

func TestExecute_EventsStartedThenOutput(t *testing.T) {
	e := testEngine(t, 3, time.Millisecond)
	var rec recorder
	e.execute(context.Background(), testJob(&scripted{}, fleet.Merge), rec.emit)
	if len(rec.events) == 0 || rec.events[0].Kind != Started {
		t.Fatalf("first event %+v, want Started", rec.events)
	}
	for _, ev := range rec.events[1:] {
		if ev.Kind != Output || ev.Transfer.Index != 1 {
			t.Errorf("unexpected event %+v", ev)
		}
	}
}

// TestExecute_SameDestinationFolderNeverRunsTwiceAtOnce runs jobs of one engine at the
// same time: those writing the same folder of the same computer take turns; others overlap.
func TestExecute_SameDestinationFolderNeverRunsTwiceAtOnce(t *testing.T) {
	cases := []struct {
		name    string
		folders [][]string
		wantMax int32
	}{
		{"same folder", [][]string{{"data/P"}, {"data/P"}, {"data/P"}}, 1},
		{"different folders", [][]string{{"data/P"}, {"data/Q"}}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Config{LockDir: t.TempDir(), MaxParallel: 10, PerComputer: 10})
			var c concurrency
			var wg sync.WaitGroup
			for _, fs := range tc.folders {
				ex := &scripted{hold: 40 * time.Millisecond, onRun: func(int) {
					c.enter()
					time.AfterFunc(39*time.Millisecond, c.leave)
				}}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if res := e.execute(context.Background(), testJob(ex, fleet.Merge, fs...), func(Event) {}); res.Error != "" {
						t.Errorf("execute: %s", res.Error)
					}
				}()
			}
			wg.Wait()
			if got := c.max.Load(); got != tc.wantMax {
				t.Errorf("max concurrent writers %d, want %d", got, tc.wantMax)
			}
		})
	}
}

func TestExecute_LockHeldElsewhereGivesUpOnCancel(t *testing.T) {
	e := testEngine(t, 3, time.Millisecond)
	release, err := e.locks.acquire(context.Background(), "b", []string{"data/P"})
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	ex := &scripted{}
	ctx, cancel := context.WithTimeout(context.Background(), 3*lockPoll)
	defer cancel()
	res := e.execute(ctx, testJob(ex, fleet.Merge), func(Event) {})
	if !strings.Contains(res.Error, "a → b: not started") || !strings.Contains(res.Error, "deadline") {
		t.Errorf("error %q, want a not-started error naming the deadline", res.Error)
	}
	if len(ex.runs()) != 0 || res.ExitCode != -1 || res.Tries != 0 {
		t.Errorf("the transfer ran (%d runs, exit %d)", len(ex.runs()), res.ExitCode)
	}
}

func TestGuardMirror_RefusesToDeleteMoreThanHalf(t *testing.T) {
	deleting := func(n int) []string {
		var l []string
		for i := 0; i < n; i++ {
			l = append(l, fmt.Sprintf("*deleting   data/P/extra%d", i))
		}
		return l
	}
	kept := func(n int) []string {
		var l []string
		for i := 0; i < n; i++ {
			l = append(l, fmt.Sprintf(".f          data/P/kept%d", i), fmt.Sprintf(">f.st...... data/P/changed%d", i))
		}
		return l[:n]
	}
	cases := []struct {
		name    string
		mode    fleet.Mode
		dry     []string
		dryErr  error
		force   bool
		wantErr string // "" = the real run happens
		wantDry bool   // a guard dry run happened
	}{
		{name: "10 of 12 deleted", mode: fleet.Mirror, dry: append(deleting(10), kept(2)...),
			wantErr: "a → b: mirror would delete 10 of 12 files on b (more than half); nothing was deleted", wantDry: true},
		{name: "all deleted", mode: fleet.Mirror, dry: deleting(3), wantErr: "mirror would delete 3 of 3 files", wantDry: true},
		{name: "new files do not count as held", mode: fleet.Mirror,
			dry: append(deleting(1), ">f+++++++++ data/P/new1", ">f+++++++++ data/P/new2", "cd+++++++++ data/P/d/"), wantErr: "mirror would delete 1 of 1 files", wantDry: true},
		{name: "exactly half is allowed", mode: fleet.Mirror, dry: append(deleting(2), kept(2)...), wantDry: true},
		{name: "a few deletes are allowed", mode: fleet.Mirror, dry: append(deleting(1), kept(5)...), wantDry: true},
		{name: "no deletes", mode: fleet.Mirror, dry: kept(3), wantDry: true},
		{name: "empty destination", mode: fleet.Mirror, dry: []string{">f+++++++++ data/P/x"}, wantDry: true},
		{name: "guard failure stops the mirror", mode: fleet.Mirror, dryErr: fmt.Errorf("rsync exited with code 12"),
			wantErr: "a → b: mirror check failed: rsync exited with code 12", wantDry: true},
		{name: "force skips the guard", mode: fleet.Mirror, dry: deleting(10), force: true},
		{name: "merge never deletes, no guard", mode: fleet.Merge, dry: deleting(10)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := testEngine(t, 3, time.Millisecond)
			ex := &scripted{dryLines: tc.dry, dryErr: tc.dryErr}
			j := testJob(ex, tc.mode)
			j.force = tc.force
			res := e.execute(context.Background(), j, func(Event) {})
			runs := ex.runs()
			var guards, real int
			for _, r := range runs {
				switch {
				case r.Options.DryRun && r.Options.ItemizeUnchanged:
					guards++
					if r.Options.Mode != fleet.Mirror {
						t.Errorf("guard dry run in mode %q", r.Options.Mode)
					}
				default:
					real++
				}
			}
			if (guards == 1) != tc.wantDry || guards > 1 {
				t.Errorf("%d guard dry runs, want one: %v", guards, tc.wantDry)
			}
			if tc.wantErr != "" {
				if !strings.Contains(res.Error, tc.wantErr) {
					t.Errorf("error %q, want %q", res.Error, tc.wantErr)
				}
				if real != 0 {
					t.Errorf("the mirror ran after the guard refused it")
				}
				return
			}
			if res.Error != "" || real != 1 {
				t.Errorf("error %q, %d real runs; want the transfer to run once", res.Error, real)
			}
			if runs[len(runs)-1].Options.ItemizeUnchanged {
				t.Errorf("the real run lists unchanged files")
			}
		})
	}
}

func TestETASmoother_NeverDropsFasterThanTimePasses(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		at   time.Duration // since t0
		eta  time.Duration // rsync's estimate
		want time.Duration
	}{
		{0, 100 * time.Second, 100 * time.Second},
		{1 * time.Second, 10 * time.Second, 99 * time.Second},   // a leap down is held back
		{2 * time.Second, 98 * time.Second, 98 * time.Second},   // counting down with the clock
		{3 * time.Second, 200 * time.Second, 200 * time.Second}, // it can rise at once
		{13 * time.Second, 150 * time.Second, 190 * time.Second},
		{14 * time.Second, 195 * time.Second, 195 * time.Second}, // above the floor: taken as is
		{500 * time.Second, 0, 0},                                // the floor goes below zero
		{501 * time.Second, 0, 0},
	}
	var s etaSmoother
	for i, st := range steps {
		if got := s.next(st.eta, t0.Add(st.at)); got != st.want {
			t.Errorf("step %d (t+%s, eta %s): got %s, want %s", i, st.at, st.eta, got, st.want)
		}
	}
}

func TestOutputReader_SortsLinesAndThrottlesProgress(t *testing.T) {
	var rec recorder
	o := newOutputReader(TransferInfo{Index: 4}, rec.emit, 1)
	o.line(process.Stdout, "         32,768   3%    1.00MB/s    0:00:30")
	o.line(process.Stdout, "         65,536   6%    1.00MB/s    0:00:01") // within 100 ms: dropped
	o.line(process.Stdout, ">f+++++++++ data/P/x")
	o.line(process.Stdout, "Number of regular files transferred: 2")
	o.line(process.Stdout, "Total transferred file size: 1,234 bytes")
	o.line(process.Stderr, "rsync: some warning")
	o.line(process.Stderr, "   ")
	o.line(process.Stdout, "      1,048,576 100%   10.00MB/s    0:00:07 (xfr#1, to-chk=0/3)")
	o.done()

	var progress []rsync.Progress
	var outputs []string
	for _, ev := range rec.events {
		if ev.Transfer.Index != 4 {
			t.Errorf("event for transfer %d", ev.Transfer.Index)
		}
		switch ev.Kind {
		case Progress:
			progress = append(progress, ev.Progress)
		case Output:
			outputs = append(outputs, fmt.Sprintf("%s:%d:%s", ev.Stream, ev.LineKind, ev.Line))
		}
	}
	if len(progress) != 2 {
		t.Fatalf("progress events %+v, want the first and the end's", progress)
	}
	if progress[0].ETA != 30*time.Second || progress[1] != (rsync.Progress{Bytes: 1048576, Percent: 100, Rate: 10 << 20}) {
		t.Errorf("progress %+v", progress)
	}
	wantOut := []string{fmt.Sprintf("stdout:%d:>f+++++++++ data/P/x", LineChange),
		fmt.Sprintf("stdout:%d:Number of regular files transferred: 2", LineStats),
		fmt.Sprintf("stdout:%d:Total transferred file size: 1,234 bytes", LineStats),
		fmt.Sprintf("stderr:%d:rsync: some warning", LineProblem), fmt.Sprintf("stderr:%d:   ", LineProblem)}
	if !slices.Equal(outputs, wantOut) {
		t.Errorf("output events %q, want %q", outputs, wantOut)
	}
	if o.stats != (rsync.Stats{Files: 2, Bytes: 1234}) || len(o.changes) != 1 || o.lastError != "rsync: some warning" {
		t.Errorf("stats %+v changes %+v last error %q", o.stats, o.changes, o.lastError)
	}
	if len(o.tail) != 5 {
		t.Errorf("tail %q, want the 5 non-progress lines", o.tail)
	}
}

func TestOutputReader_KeepsBoundedTailAndChanges(t *testing.T) {
	o := newOutputReader(TransferInfo{}, func(Event) {}, 1)
	for i := 0; i < maxChanges+50; i++ {
		o.line(process.Stdout, fmt.Sprintf(">f+++++++++ f%d", i))
	}
	if len(o.tail) != tailLines || o.tail[tailLines-1] != fmt.Sprintf(">f+++++++++ f%d", maxChanges+49) {
		t.Errorf("tail has %d lines ending %q", len(o.tail), o.tail[len(o.tail)-1])
	}
	if len(o.changes) != maxChanges {
		t.Errorf("%d changes kept, want %d", len(o.changes), maxChanges)
	}
}
