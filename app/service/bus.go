package service

import (
	"slices"
	"sync"
	"time"

	"filesync/sync/engine"
)

// EventKind says what an Event reports.
type EventKind = engine.EventKind

// The kinds of event: the engine's, and the service's own.
const (
	ComputerChecked = engine.ComputerChecked // a computer was probed before a run's plan
	Queued          = engine.Queued          // a transfer waits for its turn
	Started         = engine.Started         // a transfer's command runs
	ProgressMade    = engine.Progress        // a transfer reported totals (at most ~10 a second)
	Output          = engine.Output          // one line of a transfer's output
	Finished        = engine.Finished        // a transfer ended
	// RunStarted: a run was recorded and can be cancelled (Trigger, Scope).
	RunStarted EventKind = "run started"
	// RunFinished: a run ended and its results and the computers' statuses are stored.
	RunFinished = engine.RunFinished
	// LogEntry: a line of the log (Log), whoever wrote it.
	LogEntry EventKind = "log"
	// StoreChanged: the database was written, by this process or another one.
	StoreChanged EventKind = "store changed"
	// Listed: a computer's listing for a status or dry run progressed or ended (Listing).
	Listed EventKind = "listed"
)

// Event is one thing that happened in this process.
type Event struct {
	engine.Event
	Trigger Trigger          // RunStarted
	Scope   string           // RunStarted
	Log     *LogLine         // LogEntry
	Listing *ListingProgress // Listed
}

// ListingProgress is how far one computer's listing has come.
type ListingProgress struct {
	Computer string
	Entries  int  // paths listed so far
	Done     bool // the listing ended (Err says why when it failed)
	Err      string
}

func engineEvent(k EventKind) engine.Event { return engine.Event{Kind: k} }

// LogLine is one entry of the log.
type LogLine struct {
	Time     time.Time
	Level    string // "error", "warning", "info" or "debug"
	Computer string // who it is about: a computer, or "from → to" for a transfer
	Project  string
	Text     string
}

// maxQueued is how many events a subscription holds for a subscriber that has not taken
// them; past it, progress reports, output and log lines are dropped (counted), while the
// events that start and end runs and transfers are always kept.
const maxQueued = 10000

// Bus hands every published event to every subscription. Publish never blocks: each
// subscription queues what its subscriber has not taken yet. A subscriber sees the
// events published after it subscribed, in order.
type Bus struct {
	mu   sync.Mutex
	subs []*Subscription
}

// Publish sends ev to the subscribers that want its kind, stamping its time if unset.
func (b *Bus) Publish(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		s.push(ev)
	}
}

// Subscribe returns a subscription to the events of the given kinds (every kind when
// none is given). Close it when done.
func (b *Bus) Subscribe(kinds ...EventKind) *Subscription {
	s := &Subscription{bus: b, kinds: kinds, wake: make(chan struct{}, 1), stop: make(chan struct{}), out: make(chan Event)}
	b.mu.Lock()
	b.subs = append(b.subs, s)
	b.mu.Unlock()
	go s.pump()
	return s
}

func (b *Bus) remove(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = slices.DeleteFunc(b.subs, func(x *Subscription) bool { return x == s })
}

// Subscription is one subscriber's view of the bus.
type Subscription struct {
	bus     *Bus
	kinds   []EventKind
	mu      sync.Mutex
	queue   []Event
	dropped int
	wake    chan struct{}
	stop    chan struct{}
	once    sync.Once
	out     chan Event
}

// Events delivers the subscription's events; it is closed by Close.
func (s *Subscription) Events() <-chan Event { return s.out }

// Dropped is how many progress, output and log events were dropped because the
// subscriber fell more than maxQueued events behind.
func (s *Subscription) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Close ends the subscription: no more events are queued and Events is closed.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.bus.remove(s)
		close(s.stop)
	})
}

func (s *Subscription) push(ev Event) {
	if len(s.kinds) > 0 && !slices.Contains(s.kinds, ev.Kind) {
		return
	}
	s.mu.Lock()
	if len(s.queue) >= maxQueued && droppable(ev.Kind) {
		s.dropped++
		s.mu.Unlock()
		return
	}
	s.queue = append(s.queue, ev)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func droppable(k EventKind) bool {
	return k == ProgressMade || k == Output || k == LogEntry
}

// pump moves queued events to the subscriber, one at a time, until Close.
func (s *Subscription) pump() {
	defer close(s.out)
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.mu.Unlock()
			select {
			case <-s.wake:
				continue
			case <-s.stop:
				return
			}
		}
		ev := s.queue[0]
		s.queue[0] = Event{}
		s.queue = s.queue[1:]
		s.mu.Unlock()
		select {
		case s.out <- ev:
		case <-s.stop:
			return
		}
	}
}
