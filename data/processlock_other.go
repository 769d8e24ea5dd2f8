//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package data

// Without file locks we cannot see other processes; treating every Open as
// the only one keeps crash recovery working at the cost of possibly marking
// another process's live run as interrupted.
func (l *processLock) tryExclusive() (bool, error) { return true, nil }

func (l *processLock) shared() error { return nil }
