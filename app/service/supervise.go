package service

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Serve is a long-running service: it works until ctx ends, then returns nil.
type Serve func(ctx context.Context) error

// Supervisor runs long-running services (automatic sync, the store watch) until its
// context ends. A service that returns an error is logged and started again after a
// pause that doubles up to MaxBackoff; one that returns nil before the end is logged
// and not restarted.
type Supervisor struct {
	Log        logrus.FieldLogger
	MaxBackoff time.Duration // default 30 s
	wg         sync.WaitGroup
}

// Go starts serve under the supervisor.
func (s *Supervisor) Go(ctx context.Context, name string, serve Serve) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.keep(ctx, name, serve)
	}()
}

// Wait returns once every service has returned.
func (s *Supervisor) Wait() { s.wg.Wait() }

func (s *Supervisor) keep(ctx context.Context, name string, serve Serve) {
	limit := s.MaxBackoff
	if limit <= 0 {
		limit = 30 * time.Second
	}
	pause := min(time.Second, limit)
	for {
		err := serve(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			s.Log.Warnf("%s stopped by itself", name)
			return
		}
		s.Log.Errorf("%s failed: %v; starting it again in %s", name, err, pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, limit)
	}
}

// StoreWatchInterval is how often WatchStore looks for writes to the database.
const StoreWatchInterval = time.Second

// WatchStore publishes StoreChanged whenever the database was written (by this process
// or another, such as a command line run while the window is open), until ctx ends.
func (s *Service) WatchStore(ctx context.Context) error {
	w, err := s.store.WatchChanges(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	ticker := time.NewTicker(StoreWatchInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		changed, err := w.Changed(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if changed {
			s.bus.Publish(Event{Event: engineEvent(StoreChanged)})
		}
	}
}
