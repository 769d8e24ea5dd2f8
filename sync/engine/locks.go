package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"
)

// folderLocks gives one writer per (computer, folder) across every FileSync process of this
// user: flock on a file per pair. flock locks belong to the open file, so two goroutines of
// one process exclude each other too.
type folderLocks struct{ dir string }

const lockPoll = 50 * time.Millisecond

func (l folderLocks) path(computer, folder string) string {
	sum := sha256.Sum256([]byte(computer + "\x00" + folder))
	return filepath.Join(l.dir, hex.EncodeToString(sum[:12])+".lock")
}

// acquire locks every folder of computer, in a fixed order so that two jobs cannot wait for
// each other; it returns the release function.
func (l folderLocks) acquire(ctx context.Context, computer string, folders []string) (func(), error) {
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return nil, fmt.Errorf("create lock folder: %w", err)
	}
	sorted := append([]string(nil), folders...)
	sort.Strings(sorted)
	var held []*os.File
	release := func() {
		for _, f := range held {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			f.Close()
		}
	}
	for _, folder := range sorted {
		f, err := lockFile(ctx, l.path(computer, folder))
		if err != nil {
			release()
			return nil, fmt.Errorf("lock %s on %s: %w", folder, computer, err)
		}
		held = append(held, f)
	}
	return release, nil
}

func lockFile(ctx context.Context, path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
