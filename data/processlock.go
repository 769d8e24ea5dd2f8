package data

import "os"

// processLock tells whether another process has the database open. Every
// open Store holds a shared lock on a file next to the database; getting an
// exclusive lock means nobody else does.
//
// It is a separate file because closing any descriptor of the database file
// itself would drop SQLite's POSIX locks on it.
type processLock struct {
	file      *os.File
	exclusive bool
}

func openProcessLock(path string) (*processLock, error) {
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &processLock{file: file}, nil
}

// release drops the lock; the file stays, since removing a lock file races
// with processes that are about to lock it.
func (l *processLock) release() error { return l.file.Close() }
