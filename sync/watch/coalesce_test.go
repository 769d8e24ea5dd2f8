package watch

import (
	"context"
	"sync"
	"testing"
	"time"
)

// blockingRun records runs and holds each until released.
type blockingRun struct {
	mu      sync.Mutex
	runs    []Trigger
	started chan struct{}
	release chan struct{}
}

func newBlockingRun() *blockingRun {
	return &blockingRun{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blockingRun) run(_ context.Context, _ string, why Trigger) error {
	b.mu.Lock()
	b.runs = append(b.runs, why)
	b.mu.Unlock()
	b.started <- struct{}{}
	<-b.release
	return nil
}

func (b *blockingRun) triggers() []Trigger {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Trigger(nil), b.runs...)
}

func TestCoalescer_TriggersDuringARunBecomeOneFollowUp(t *testing.T) {
	b := newBlockingRun()
	c := NewCoalescer(b.run, nil)
	ctx := context.Background()
	c.Trigger(ctx, "p", Changed)
	<-b.started
	for range 5 {
		c.Trigger(ctx, "p", Changed)
	}
	c.Trigger(ctx, "p", Interval)
	c.Trigger(ctx, "p", Changed)
	close(b.release)
	c.Wait()
	got := b.triggers()
	if len(got) != 2 || got[0] != Changed || got[1] != Interval {
		t.Fatalf("runs %v, want [watch interval]: one run, then one follow-up that is the full sync", got)
	}
}

func TestCoalescer_ProjectsRunIndependently(t *testing.T) {
	b := newBlockingRun()
	c := NewCoalescer(b.run, nil)
	ctx := context.Background()
	c.Trigger(ctx, "a", Changed)
	c.Trigger(ctx, "b", Changed)
	for range 2 {
		select {
		case <-b.started:
		case <-time.After(5 * time.Second):
			t.Fatal("project b waited for project a")
		}
	}
	close(b.release)
	c.Wait()
}

func TestCoalescer_ReportsFailedRuns(t *testing.T) {
	var failed []string
	c := NewCoalescer(func(context.Context, string, Trigger) error { return context.DeadlineExceeded },
		func(p string, err error) { failed = append(failed, p) })
	c.Trigger(context.Background(), "p", Changed)
	c.Wait()
	if len(failed) != 1 || failed[0] != "p" {
		t.Fatalf("failures reported: %v", failed)
	}
}
