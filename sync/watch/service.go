package watch

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/folders"
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
)

// Service watches and schedules Projects until its context ends.
type Service struct {
	Projects    []Project
	Run         RunFunc
	Quiet       time.Duration
	MaxDelay    time.Duration
	RetryEvery  time.Duration
	SafetyEvery time.Duration
	Log         logrus.FieldLogger

	mu     sync.Mutex
	failed map[string]bool
}

// Serve runs until ctx ends. It fails only when a folder cannot be watched at all.
func (s *Service) Serve(ctx context.Context) error {
	s.defaults()
	runs := NewCoalescer(s.runAndRemember, s.logFailure)
	debounce := NewDebouncer(s.Quiet, s.MaxDelay, func(project string) { runs.Trigger(ctx, project, Changed) })
	defer func() {
		debounce.Stop()
		runs.Wait()
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, p := range s.Projects {
		if p.Watch {
			tree, err := NewTree(p.Root, p.Folders, func() { debounce.Touch(p.Name) })
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
	s.failed = map[string]bool{}
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

// runAndRemember runs and notes whether the project needs another try.
func (s *Service) runAndRemember(ctx context.Context, project string, why Trigger) error {
	err := s.Run(ctx, project, why)
	s.mu.Lock()
	s.failed[project] = err != nil
	s.mu.Unlock()
	return err
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
