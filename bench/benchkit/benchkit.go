// Package benchkit holds what the benchmark programs under bench/ share: their scratch
// folder and running work on a few cores at a time.
package benchkit

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// WorkDir returns the absolute scratch folder dir, created if missing; for "" a new one
// under /tmp named prefix…, kept short since ssh ControlMaster sockets live under it and
// removed at cleanup unless keep. onCleanup registers what to do at the end.
func WorkDir(dir, prefix string, keep bool, onCleanup func(func())) (string, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		return filepath.Abs(dir)
	}
	dir, err := os.MkdirTemp("/tmp", prefix)
	if err != nil {
		return "", err
	}
	if !keep {
		onCleanup(func() { _ = os.RemoveAll(dir) })
	}
	return dir, nil
}

// TwoAtATime runs do(0) … do(n-1), two at once (the machines here have two cores), and
// returns their errors joined.
func TwoAtATime(n int, do func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	sem := make(chan struct{}, 2)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = do(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
