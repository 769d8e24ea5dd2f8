package widgets

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestTransferProgressShowsBytesRateAndETA(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total int64
		eta   time.Duration
		want  string
	}{
		{"known total", 40_000_000, 7 * time.Second, "12.3 MB of 40.0 MB · 5.1 MB/s · ETA 0:07"},
		{"unknown total", 0, 7 * time.Second, "12.3 MB · 5.1 MB/s · ETA 0:07"},
		{"unknown ETA", 40_000_000, -1, "12.3 MB of 40.0 MB · 5.1 MB/s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			p := NewTransferProgress(TransferTitle("c1", "c2", []string{"data/p", "models/p"}))
			test.NewTempWindow(t, p)
			p.SetTotal(tc.total)

			p.Update(12_300_000, 30, 5_100_000, tc.eta)

			if p.Detail() != tc.want {
				t.Errorf("detail = %q, want %q", p.Detail(), tc.want)
			}
			if p.Progress() != 0.3 {
				t.Errorf("progress = %v, want 0.3", p.Progress())
			}
			if want := "c1 → c2  data/p, models/p"; p.Title() != want {
				t.Errorf("title = %q, want %q", p.Title(), want)
			}
		})
	}
}

func TestTransferProgressCancelCallsOnCancelOnce(t *testing.T) {
	test.NewTempApp(t)
	p := NewTransferProgress("c1 → c2  data/p")
	test.NewTempWindow(t, p)
	calls := 0
	p.OnCancel = func() { calls++ }

	test.Tap(p.cancel)
	test.Tap(p.cancel)

	if calls != 1 {
		t.Errorf("OnCancel called %d times, want 1", calls)
	}
}
