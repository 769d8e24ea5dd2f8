package benchkit

import (
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

func TestTwoAtATime_RunsEachOnceAtMostTwoAtOnceAndJoinsTheErrors(t *testing.T) {
	var running, most, ran atomic.Int32
	boom := errors.New("boom")
	err := TwoAtATime(6, func(i int) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
		ran.Add(1)
		if i == 3 {
			return boom
		}
		return nil
	})
	if ran.Load() != 6 || most.Load() != 2 || !errors.Is(err, boom) {
		t.Errorf("ran %d, at most %d at once, error %v; want 6, 2 and boom", ran.Load(), most.Load(), err)
	}
}

func TestWorkDir_ANewFolderIsRemovedAtCleanupUnlessKept(t *testing.T) {
	for _, keep := range []bool{false, true} {
		var cleanups []func()
		dir, err := WorkDir("", "bkt", keep, func(f func()) { cleanups = append(cleanups, f) })
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range cleanups {
			f()
		}
		if _, err := os.Stat(dir); os.IsNotExist(err) == keep {
			t.Errorf("keep %v: after cleanup %s exists: %v", keep, dir, err == nil)
		}
		os.RemoveAll(dir)
	}
}
