//go:build windows

package data

import (
	"errors"

	"golang.org/x/sys/windows"
)

func (l *processLock) tryExclusive() (bool, error) {
	err := windows.LockFileEx(l.handle(), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	l.exclusive = err == nil
	return l.exclusive, err
}

// shared takes (or downgrades to) a shared lock, waiting while another
// process holds the exclusive one. Windows cannot convert a lock in place.
func (l *processLock) shared() error {
	if l.exclusive {
		if err := windows.UnlockFileEx(l.handle(), 0, 1, 0, new(windows.Overlapped)); err != nil {
			return err
		}
		l.exclusive = false
	}
	return windows.LockFileEx(l.handle(), 0, 0, 1, 0, new(windows.Overlapped))
}

func (l *processLock) handle() windows.Handle { return windows.Handle(l.file.Fd()) }
