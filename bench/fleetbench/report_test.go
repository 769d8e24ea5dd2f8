package main

import (
	"testing"
	"time"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestSummarize_MedianMinMax(t *testing.T) {
	tests := []struct {
		name          string
		in            []time.Duration
		med, min, max time.Duration
	}{
		{"odd count", ms(30, 10, 20), 20 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond},
		{"even count averages the middle two", ms(40, 10, 30, 20), 25 * time.Millisecond, 10 * time.Millisecond, 40 * time.Millisecond},
		{"one run", ms(7), 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := summarize(tt.in)
			if !ok || s.median != tt.med || s.min != tt.min || s.max != tt.max || s.n != len(tt.in) {
				t.Errorf("summarize(%v) = %+v, %v", tt.in, s, ok)
			}
		})
	}
	if _, ok := summarize(nil); ok {
		t.Error("summarize(nil) reported a result")
	}
}

// TestPairedExtra: differences are taken run by run, so a slow spell that hits both
// contenders of one run cancels out, where the difference of the medians would not.
func TestPairedExtra(t *testing.T) {
	push := ms(800, 1100, 790, 1120, 805)
	rsync := ms(750, 1040, 740, 1060, 755)
	s, ok := pairedExtra(push, rsync)
	if !ok || s.median != 50*time.Millisecond || s.min != 50*time.Millisecond || s.max != 60*time.Millisecond {
		t.Errorf("pairedExtra = %+v, %v; want median 50 ms, min 50 ms, max 60 ms", s, ok)
	}
	if s, _ := pairedExtra(ms(1, 2, 3), ms(1, 2)); s.n != 2 {
		t.Errorf("runs of unequal count: %d pairs, want 2", s.n)
	}
}

func TestExtraText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		77 * time.Millisecond:   "77 ms more",
		-12 * time.Millisecond:  "12 ms less",
		1500 * time.Microsecond: "2 ms more",
	} {
		if got := extraText(d); got != want {
			t.Errorf("extraText(%v) = %q, want %q", d, got, want)
		}
	}
}
