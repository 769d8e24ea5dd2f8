package engine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFolderLocks_ExclusionByComputerAndFolder(t *testing.T) {
	cases := []struct {
		name       string
		held       []string // computer, then folders
		want       []string
		wantBlocks bool
	}{
		{"same computer and folder", []string{"b", "data/P"}, []string{"b", "data/P"}, true},
		{"one shared folder of several", []string{"b", "data/P", "models/P"}, []string{"b", "models/P", "data/Q"}, true},
		{"same folder on another computer", []string{"b", "data/P"}, []string{"c", "data/P"}, false},
		{"other folder on the same computer", []string{"b", "data/P"}, []string{"b", "data/Q"}, false},
		{"names that would collide if joined naively", []string{"b/x", "y"}, []string{"b", "x/y"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := folderLocks{t.TempDir()}
			release, err := l.acquire(context.Background(), tc.held[0], tc.held[1:])
			if err != nil {
				t.Fatal(err)
			}
			defer release()
			ctx, cancel := context.WithTimeout(context.Background(), 3*lockPoll)
			defer cancel()
			second, err := l.acquire(ctx, tc.want[0], tc.want[1:])
			if tc.wantBlocks {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("second acquire = %v, want it to wait until the deadline", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("second acquire blocked: %v", err)
			}
			second()
		})
	}
}

func TestFolderLocks_WaiterGetsLockWhenReleased(t *testing.T) {
	l := folderLocks{t.TempDir()}
	release, err := l.acquire(context.Background(), "b", []string{"data/P"})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := l.acquire(context.Background(), "b", []string{"data/P"})
		if err == nil {
			r()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("second acquire returned %v while the lock was held", err)
	case <-time.After(2 * lockPoll):
	}
	release()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("waiter: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("waiter did not get the lock after release")
	}
}

func TestFolderLocks_CancelWhileWaitingReturnsContextError(t *testing.T) {
	l := folderLocks{t.TempDir()}
	release, err := l.acquire(context.Background(), "b", []string{"data/P"})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	r, err := l.acquire(ctx, "b", []string{"data/A", "data/P"})
	if !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("acquire = %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "data/P") || !strings.Contains(err.Error(), "b") {
		t.Errorf("error %q should name the folder and computer", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancel took %s", d)
	}
	// data/A, taken before the wait, was given back.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	r, err = l.acquire(ctx2, "b", []string{"data/A"})
	if err != nil {
		t.Fatalf("data/A still held after the cancelled acquire: %v", err)
	}
	r()
}

func TestFolderLocks_FilesLiveInLockDirAndBindOtherProcesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "locks") // created on demand
	l := folderLocks{dir}
	release, err := l.acquire(context.Background(), "b", []string{"data/P", "models/P"})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("lock dir holds %v, want 2 lock files", entries)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("lock dir mode %v, want 0700", info.Mode().Perm())
	}
	path := l.path("b", "data/P")
	if filepath.Dir(path) != dir || !strings.HasSuffix(path, ".lock") {
		t.Errorf("lock path %s is not a .lock file in %s", path, dir)
	}
	if _, err := exec.LookPath("flock"); err == nil {
		// flock(1) uses flock(2) too: another process sees the lock while it is held.
		if err := exec.Command("flock", "--nonblock", path, "true").Run(); err == nil {
			t.Errorf("another process took a held lock")
		}
		release()
		if err := exec.Command("flock", "--nonblock", path, "true").Run(); err != nil {
			t.Errorf("another process could not take a released lock: %v", err)
		}
	} else {
		release()
	}
}

// TestFolderLocks_OppositeOrderDoesNotDeadlock: folders are locked in a fixed order, so
// two jobs naming the same folders in opposite orders cannot wait for each other.
func TestFolderLocks_OppositeOrderDoesNotDeadlock(t *testing.T) {
	l := folderLocks{t.TempDir()}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 10; i++ {
		for _, order := range [][]string{{"x", "y"}, {"y", "x"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				r, err := l.acquire(ctx, "b", order)
				if err != nil {
					errs <- err
					return
				}
				r()
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("acquire: %v", err)
	}
}
