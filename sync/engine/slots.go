package engine

import (
	"context"
	"sort"
	"sync"
)

// slots caps how many transfers run at once, in all and per computer.
type slots struct {
	global      chan struct{}
	perComputer int
	mu          sync.Mutex
	computers   map[string]chan struct{}
}

func newSlots(global, perComputer int) *slots {
	return &slots{global: make(chan struct{}, global), perComputer: perComputer, computers: map[string]chan struct{}{}}
}

func (s *slots) computer(name string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.computers[name]
	if !ok {
		c = make(chan struct{}, s.perComputer)
		s.computers[name] = c
	}
	return c
}

// acquire takes a slot on each named computer (in name order, so waits cannot form a
// cycle), then a global slot. It returns the release function.
func (s *slots) acquire(ctx context.Context, names ...string) (func(), error) {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	var held []chan struct{}
	release := func() {
		for _, c := range held {
			<-c
		}
	}
	for _, name := range sorted {
		if err := take(ctx, s.computer(name)); err != nil {
			release()
			return nil, err
		}
		held = append(held, s.computer(name))
	}
	if err := take(ctx, s.global); err != nil {
		release()
		return nil, err
	}
	held = append(held, s.global)
	return release, nil
}

func take(ctx context.Context, c chan struct{}) error {
	select {
	case c <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
