//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package data

import (
	"errors"
	"syscall"
)

func (l *processLock) tryExclusive() (bool, error) {
	err := flock(l.fd(), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	l.exclusive = err == nil
	return l.exclusive, err
}

// shared takes (or downgrades to) a shared lock, waiting while another
// process holds the exclusive one.
func (l *processLock) shared() error {
	l.exclusive = false
	return flock(l.fd(), syscall.LOCK_SH)
}

func (l *processLock) fd() int { return int(l.file.Fd()) }

func flock(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
