package widgets

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkLogView_Ingest100k appends 100,000 lines from 4 goroutines, all at once (flood) or
// spread over about a second (paced), while a UI loop flushes at the view's own 10 Hz; it reports
// how long until the last line is in the list (at least one tick) and the longest flush, which
// is how long the UI loop stalls.
func BenchmarkLogView_Ingest100k(b *testing.B) {
	const total = 100_000
	lines := make([]LogLine, total)
	for i := range lines {
		lines[i] = LogLine{Time: time.Now(), Level: "info", Computer: "c1", Project: "data/p", Text: fmt.Sprintf("sent file %d of %d", i, total)}
	}
	for _, bc := range []struct {
		name  string
		burst int
		pause time.Duration
	}{
		{"flood", 500, 0},
		{"paced", 250, 10 * time.Millisecond},
	} {
		b.Run(bc.name, func(b *testing.B) {
			test.NewTempApp(b)
			var toLast, longest time.Duration
			for b.Loop() {
				l := NewLogView(DefaultLogCapacity)
				l.manual = true
				w := test.NewWindow(l)
				w.Resize(fyne.NewSize(1000, 600))

				start := time.Now()
				done := appendConcurrently(l, lines, 4, bc.burst, bc.pause)
				longest = max(longest, flushUntilDone(l, done))
				toLast += time.Since(start)
				if got := l.Lines(); l.Len() != DefaultLogCapacity || got[len(got)-1].Text == "" || !l.Following() {
					b.Fatalf("Len() = %d, Following() = %v after the burst", l.Len(), l.Following())
				}
				w.Close()
			}
			b.ReportMetric(ms(toLast)/float64(b.N), "ms-to-last-line")
			b.ReportMetric(ms(longest), "ms-longest-flush")
		})
	}
}

// appendConcurrently splits lines among producers, each appending bursts with a pause between
// them; done closes when all are in.
func appendConcurrently(l *LogView, lines []LogLine, producers, burst int, pause time.Duration) <-chan struct{} {
	var wg sync.WaitGroup
	share := len(lines) / producers
	for p := range producers {
		wg.Add(1)
		go func(mine []LogLine) {
			defer wg.Done()
			for i := 0; i < len(mine); i += burst {
				l.Append(mine[i:min(i+burst, len(mine))]...)
				time.Sleep(pause)
			}
		}(lines[p*share : (p+1)*share])
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}

// flushUntilDone flushes like the UI loop does, on each logFlushInterval tick, until a flush
// that started after done closed; it returns the longest single flush.
func flushUntilDone(l *LogView, done <-chan struct{}) time.Duration {
	tick := time.NewTicker(logFlushInterval)
	defer tick.Stop()
	var longest time.Duration
	for {
		<-tick.C
		finished := isClosed(done)
		start := time.Now()
		l.Flush()
		longest = max(longest, time.Since(start))
		if finished {
			return longest
		}
	}
}

func isClosed(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// BenchmarkLogView_Memory1M appends 1,000,000 distinct lines, flushing every 10,000 like a
// 10 Hz UI under a 100,000 lines/s flood, and reports the live heap afterwards (heap-MB) and
// what this view added to it (view-heap-MB). The test driver never expires Fyne's renderer
// cache, so views from earlier iterations and benchmarks stay alive and inflate heap-MB.
func BenchmarkLogView_Memory1M(b *testing.B) {
	test.NewTempApp(b)
	var heapMB, growthMB float64
	for b.Loop() {
		before := liveHeap()
		l := NewLogView(DefaultLogCapacity)
		l.manual = true
		w := test.NewWindow(l)
		w.Resize(fyne.NewSize(1000, 600))
		for i := range 1_000_000 {
			l.Append(LogLine{Time: time.Now(), Level: "info", Computer: "c1", Project: "data/p", Text: fmt.Sprintf("sent file %d with a typical rsync message", i)})
			if i%10_000 == 9_999 {
				l.Flush()
			}
		}
		after := liveHeap()
		heapMB, growthMB = mb(int64(after)), mb(int64(after)-int64(before))
		runtime.KeepAlive(l)
		w.Close()
	}
	b.ReportMetric(heapMB, "heap-MB")
	b.ReportMetric(growthMB, "view-heap-MB")
	b.ReportMetric(residentMB(b), "rss-MB")
}

// residentMB is this process's resident set size (VmRSS), everything included.
func residentMB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
			return n / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }
