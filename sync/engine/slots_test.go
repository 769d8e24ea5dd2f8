package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// concurrency records how many holders are inside at once and the most ever seen.
type concurrency struct {
	now, max atomic.Int32
}

func (c *concurrency) enter() {
	n := c.now.Add(1)
	for {
		m := c.max.Load()
		if n <= m || c.max.CompareAndSwap(m, n) {
			return
		}
	}
}

func (c *concurrency) leave() { c.now.Add(-1) }

func TestSlots_CapsHold(t *testing.T) {
	cases := []struct {
		name             string
		global, perPC    int
		pairs            func(i int) []string
		wantMax, workers int
	}{
		{
			name: "global cap", global: 3, perPC: 100, workers: 24,
			pairs:   func(i int) []string { return []string{fmt.Sprintf("s%d", i), fmt.Sprintf("d%d", i)} },
			wantMax: 3,
		},
		{
			name: "per-computer cap", global: 100, perPC: 2, workers: 24,
			pairs:   func(i int) []string { return []string{fmt.Sprintf("other%d", i), "hub"} },
			wantMax: 2,
		},
		{
			name: "per-computer cap with the computer as source or destination", global: 100, perPC: 2, workers: 24,
			pairs: func(i int) []string {
				if i%2 == 0 {
					return []string{"hub", fmt.Sprintf("z%d", i)}
				}
				return []string{fmt.Sprintf("a%d", i), "hub"}
			},
			wantMax: 2,
		},
		{
			name: "both caps, the tighter one binds", global: 3, perPC: 1, workers: 24,
			pairs:   func(i int) []string { return []string{fmt.Sprintf("x%d", i%2), fmt.Sprintf("y%d", i)} },
			wantMax: 2, // only two distinct sources x0 and x1, one slot each
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSlots(tc.global, tc.perPC)
			var c concurrency
			var wg sync.WaitGroup
			errs := make(chan error, tc.workers)
			for i := 0; i < tc.workers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					release, err := s.acquire(context.Background(), tc.pairs(i)...)
					if err != nil {
						errs <- err
						return
					}
					c.enter()
					time.Sleep(3 * time.Millisecond)
					c.leave()
					release()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("acquire: %v", err)
			}
			if got := c.max.Load(); got != int32(tc.wantMax) {
				t.Errorf("max concurrency %d, want %d", got, tc.wantMax)
			}
		})
	}
}

func TestSlots_AcquireHonoursCancelAndLeaksNothing(t *testing.T) {
	s := newSlots(1, 1)
	hold, err := s.acquire(context.Background(), "a", "b")
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		names []string
	}{
		{"waiting for a computer slot", []string{"b", "c"}},
		{"waiting for the global slot", []string{"c", "d"}},
	}
	for _, tc := range cases {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		release, err := s.acquire(ctx, tc.names...)
		if !errors.Is(err, context.Canceled) || release != nil {
			t.Errorf("%s: acquire = %v, want context.Canceled and no release", tc.name, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: cancel took %s", tc.name, d)
		}
	}

	// The cancelled acquisitions gave back what they had taken: with the first holder
	// gone, every computer and the global slot are free again.
	hold()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	release, err := s.acquire(ctx, "c", "d")
	if err != nil {
		t.Fatalf("slots leaked by cancelled acquisitions: %v", err)
	}
	release()
	release, err = s.acquire(ctx, "b", "a")
	if err != nil {
		t.Fatalf("slots not given back: %v", err)
	}
	release()
}

func TestSlots_OpposingPairsDoNotDeadlock(t *testing.T) {
	s := newSlots(4, 1)
	var wg sync.WaitGroup
	done := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if r, err := s.acquire(context.Background(), "a", "b"); err == nil {
				r()
			}
		}()
		go func() {
			defer wg.Done()
			if r, err := s.acquire(context.Background(), "b", "a"); err == nil {
				r()
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("acquisitions of (a, b) and (b, a) deadlocked")
	}
}
