package watch

import (
	"sync"
	"testing"
	"time"
)

type fireLog struct {
	mu    sync.Mutex
	times []time.Time
}

func (f *fireLog) fire(string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.times = append(f.times, time.Now())
}

func (f *fireLog) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.times)
}

func TestDebouncer_BurstFiresOnceAfterQuiet(t *testing.T) {
	var log fireLog
	d := NewDebouncer(50*time.Millisecond, time.Second, log.fire)
	for range 1000 {
		d.Touch("p")
	}
	time.Sleep(300 * time.Millisecond)
	if n := log.count(); n != 1 {
		t.Fatalf("a burst of 1,000 touches fired %d times, want 1", n)
	}
}

func TestDebouncer_ContinuousStreamStillFiresEveryMax(t *testing.T) {
	var log fireLog
	d := NewDebouncer(100*time.Millisecond, 300*time.Millisecond, log.fire)
	stop := time.Now().Add(1200 * time.Millisecond)
	for time.Now().Before(stop) {
		d.Touch("p")
		time.Sleep(20 * time.Millisecond)
	}
	d.Stop()
	if n := log.count(); n < 2 {
		t.Fatalf("a stream never quiet for 100 ms fired %d times in 1.2 s, want several (max delay 300 ms)", n)
	}
}

func TestDebouncer_KeysAreIndependent(t *testing.T) {
	var log fireLog
	d := NewDebouncer(30*time.Millisecond, time.Second, log.fire)
	d.Touch("a")
	d.Touch("b")
	time.Sleep(200 * time.Millisecond)
	if n := log.count(); n != 2 {
		t.Fatalf("two keys fired %d times, want 2", n)
	}
}
