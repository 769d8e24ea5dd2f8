package watch

import (
	"sync"
	"time"
)

// Debouncer turns a stream of touches per key into calls of fire: after Quiet without a
// touch, or at the latest Max after the first touch of a burst, so a continuous stream of
// writes still ships every Max.
type Debouncer struct {
	Quiet, Max time.Duration
	fire       func(key string)
	mu         sync.Mutex
	bursts     map[string]*burst
}

type burst struct {
	first time.Time
	timer *time.Timer
}

// NewDebouncer returns a Debouncer calling fire (on its own goroutine).
func NewDebouncer(quiet, max time.Duration, fire func(key string)) *Debouncer {
	return &Debouncer{Quiet: quiet, Max: max, fire: fire, bursts: map[string]*burst{}}
}

// Touch records a change of key.
func (d *Debouncer) Touch(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	b, ok := d.bursts[key]
	if !ok {
		b = &burst{first: now}
		d.bursts[key] = b
		b.timer = time.AfterFunc(d.Quiet, func() { d.expire(key, b) })
		return
	}
	wait := min(d.Quiet, d.Max-now.Sub(b.first))
	b.timer.Reset(max(wait, 0))
}

func (d *Debouncer) expire(key string, b *burst) {
	d.mu.Lock()
	if d.bursts[key] != b {
		d.mu.Unlock()
		return
	}
	delete(d.bursts, key)
	d.mu.Unlock()
	d.fire(key)
}

// Stop cancels every pending call.
func (d *Debouncer) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for key, b := range d.bursts {
		b.timer.Stop()
		delete(d.bursts, key)
	}
}
