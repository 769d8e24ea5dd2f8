package watch

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/folders"
	"filesync/sync/writers"
)

// Project is one project as the watch sees it.
type Project struct {
	Name     string
	Root     string           // this computer's root folder, absolute
	Folders  []folders.Folder // resolved sync folders with their excludes
	Watch    bool             // push on change
	Interval time.Duration    // run a full sync this often; 0 = never
}

// Defaults of Service.
const (
	DefaultQuiet       = 100 * time.Millisecond // a burst ends after this long without a change
	DefaultMaxDelay    = 5 * time.Second        // a continuous stream still ships this often
	DefaultRetryEvery  = 30 * time.Second       // a failed run is tried again this often
	DefaultSafetyEvery = 10 * time.Minute       // inotify can miss events: push anyway this often
	DefaultHoldPoll    = 200 * time.Millisecond // held files are looked at again this often
	DefaultFolderQuiet = time.Second            // a new folder is pushed once this quiet
)

// Run is one run the watch asks for.
type Run struct {
	Project string
	Why     Trigger
	// Held are the paths (relative to the root; a folder stands for all in it) that may
	// still be being written on this computer: a push leaves them out this time, and the
	// watch pushes again as soon as they are closed and quiet.
	Held []string
}

// Service watches and schedules Projects until its context ends.
type Service struct {
	Projects []Project
	Run      func(ctx context.Context, r Run) error
	// Quiet is how long a changed file must stay unchanged, and a burst of changes end,
	// before a push.
	Quiet time.Duration
	// FolderQuiet is how long a folder created since the last push must stay unchanged
	// before it is pushed, as a whole.
	FolderQuiet time.Duration
	MaxDelay    time.Duration
	RetryEvery  time.Duration
	SafetyEvery time.Duration
	HoldPoll    time.Duration // how often held files are looked at again
	OpenFiles   OpenFilesFunc // files open for writing under a root (default writers.Open)
	Log         logrus.FieldLogger

	mu     sync.Mutex
	failed map[string]bool
	holds  map[string]*holds
	poll   map[string]bool // projects whose held files are being polled
	polls  sync.WaitGroup
	// heldLogged is the held paths last logged per project.
	heldLogged map[string]string
}

// Serve runs until ctx ends. It fails only when a folder cannot be watched at all.
func (s *Service) Serve(ctx context.Context) error {
	s.defaults()
	var debounce *Debouncer
	runs := NewCoalescer(func(ctx context.Context, project string, why Trigger) error {
		return s.runAndRemember(ctx, project, why, debounce)
	}, s.logFailure)
	debounce = NewDebouncer(s.Quiet, s.MaxDelay, func(project string) { runs.Trigger(ctx, project, Changed) })
	defer func() {
		debounce.Stop()
		runs.Wait()
		s.polls.Wait()
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, p := range s.Projects {
		if p.Watch {
			h := newHolds(p, s.Quiet, s.FolderQuiet, s.OpenFiles)
			s.holds[p.Name] = h
			tree, err := NewTree(p.Root, p.Folders, func(c Change) {
				h.note(c, time.Now())
				debounce.Touch(p.Name)
			})
			if err != nil {
				return err
			}
			s.Log.WithField("project", p.Name).Infof("watching %d folders under %s", len(tree.Watched()), p.Root)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := tree.Serve(ctx); err != nil {
					s.Log.WithField("project", p.Name).Error(err)
				}
			}()
		}
		if p.Interval > 0 {
			wg.Add(1)
			go func() { defer wg.Done(); every(ctx, p.Interval, func() { runs.Trigger(ctx, p.Name, Interval) }) }()
		}
	}
	wg.Add(2)
	go func() { defer wg.Done(); every(ctx, s.RetryEvery, func() { s.retryFailed(ctx, runs) }) }()
	go func() { defer wg.Done(); every(ctx, s.SafetyEvery, func() { s.pushWatched(ctx, runs) }) }()
	<-ctx.Done()
	return nil
}

func (s *Service) defaults() {
	s.Quiet = orDuration(s.Quiet, DefaultQuiet)
	s.MaxDelay = orDuration(s.MaxDelay, DefaultMaxDelay)
	s.RetryEvery = orDuration(s.RetryEvery, DefaultRetryEvery)
	s.SafetyEvery = orDuration(s.SafetyEvery, DefaultSafetyEvery)
	s.HoldPoll = orDuration(s.HoldPoll, DefaultHoldPoll)
	s.FolderQuiet = orDuration(s.FolderQuiet, DefaultFolderQuiet)
	if s.OpenFiles == nil {
		s.OpenFiles = writers.Open
	}
	s.failed, s.holds, s.poll, s.heldLogged = map[string]bool{}, map[string]*holds{}, map[string]bool{}, map[string]string{}
	if s.Log == nil {
		l := logrus.New()
		l.SetLevel(logrus.PanicLevel)
		s.Log = l
	}
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// runAndRemember runs with the project's held paths left out, notes whether the project
// needs another try, and, while paths are held, watches them to push again once they are
// released.
func (s *Service) runAndRemember(ctx context.Context, project string, why Trigger, debounce *Debouncer) error {
	h := s.holds[project]
	start := time.Now()
	var held []string
	if h != nil {
		held = h.held(start)
	}
	s.logHeld(project, held)
	if len(held) > 0 {
		if why == Changed && h.onlyHeld(held) {
			s.pollHeld(ctx, project, h, held, debounce) // nothing else changed: no push yet
			return nil
		}
	}
	err := s.Run(ctx, Run{Project: project, Why: why, Held: held})
	s.mu.Lock()
	s.failed[project] = err != nil
	s.mu.Unlock()
	if h == nil {
		return err
	}
	if err == nil {
		h.pushed(start, held)
	}
	if len(held) > 0 {
		s.pollHeld(ctx, project, h, held, debounce)
	}
	return err
}

// logHeld says which paths are held back, each time that set changes.
func (s *Service) logHeld(project string, held []string) {
	text := strings.Join(held, ", ")
	s.mu.Lock()
	same := s.heldLogged[project] == text
	s.heldLogged[project] = text
	s.mu.Unlock()
	if !same && text != "" {
		s.Log.WithField("project", project).Infof("holding back, as still being written: %s", text)
	}
}

// pollHeld looks at the held paths and touches the project as soon as one of them is
// released (closed and quiet), so that it is pushed within moments of its end. While the
// tree still sees writes to them it waits HoldPoll without reading /proc; once they are
// quiet but still open it reads /proc at spacings growing to 5 × HoldPoll, since a writer
// may keep a file open for minutes between writes.
func (s *Service) pollHeld(ctx context.Context, project string, h *holds, held []string, debounce *Debouncer) {
	s.mu.Lock()
	if s.poll[project] {
		s.mu.Unlock()
		return
	}
	s.poll[project] = true
	s.mu.Unlock()
	s.polls.Add(1)
	go func() {
		defer s.polls.Done()
		defer func() { s.mu.Lock(); delete(s.poll, project); s.mu.Unlock() }()
		wait, looked := s.HoldPoll, time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			if h.changedSince(looked, held) {
				wait, looked = s.HoldPoll, time.Now()
				continue
			}
			looked = time.Now()
			if now := h.held(looked); released(held, now) && ctx.Err() == nil {
				debounce.Touch(project)
				return
			}
			wait = min(2*wait, 5*s.HoldPoll)
		}
	}()
}

// released reports whether some path of before is no longer held in now.
func released(before, now []string) bool {
	for _, p := range before {
		if !within(p, now) {
			return true
		}
	}
	return false
}

func (s *Service) logFailure(project string, err error) {
	s.Log.WithField("project", project).Warnf("automatic sync failed (%v); trying again within %s", err, s.RetryEvery)
}

func (s *Service) retryFailed(ctx context.Context, runs *Coalescer) {
	s.mu.Lock()
	var again []string
	for p, failed := range s.failed {
		if failed {
			again = append(again, p)
		}
	}
	s.mu.Unlock()
	for _, p := range again {
		runs.Trigger(ctx, p, Retry)
	}
}

func (s *Service) pushWatched(ctx context.Context, runs *Coalescer) {
	for _, p := range s.Projects {
		if p.Watch {
			runs.Trigger(ctx, p.Name, Retry)
		}
	}
}

// every calls f every d until ctx ends.
func every(ctx context.Context, d time.Duration, f func()) {
	ticker := time.NewTicker(d)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			f()
		}
	}
}
