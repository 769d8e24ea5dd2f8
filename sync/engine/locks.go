package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gofrs/flock"
)

// folderLocks gives one writer per (computer, folder) across every FileSync process of this
// user: a file lock per pair (flock on Unix, LockFileEx on Windows). The locks belong to the
// open file, so two goroutines of one process exclude each other too, and a process that
// dies releases them.
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
	var held []*flock.Flock
	release := func() {
		for _, f := range held {
			_ = f.Unlock()
		}
	}
	for _, folder := range sorted {
		f := flock.New(l.path(computer, folder), flock.SetPermissions(0o600))
		ok, err := f.TryLockContext(ctx, lockPoll)
		if !ok || err != nil {
			release()
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("lock %s on %s: %w", folder, computer, err)
		}
		held = append(held, f)
	}
	return release, nil
}
