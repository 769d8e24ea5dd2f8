package data

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"filesync/sync/fleet"

	"github.com/glebarez/sqlite"
	"github.com/sirupsen/logrus"
	"gorm.io/gorm"
)

// interruptedRunError is the Error given to runs found "running" at Open.
const interruptedRunError = "the app stopped while this run was in progress"

// The pragmas are applied by the driver to every pooled connection.
// busy_timeout comes first so that it already covers the journal_mode switch.
// _time_format must stay out: the driver stops reading parameters after it,
// which would silently drop _txlock.
const connectionParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"

// Store is the open database. It is safe for concurrent use, also together
// with other processes that opened the same file.
type Store struct {
	db          *gorm.DB
	path        string
	lock        *processLock
	interrupted int
}

// DefaultPath returns $FILESYNC_DB if set, else
// os.UserConfigDir()/filesync/filesync.db.
func DefaultPath() (string, error) {
	if path := os.Getenv("FILESYNC_DB"); path != "" {
		return path, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the database location (set FILESYNC_DB to choose one): %w", err)
	}
	return filepath.Join(dir, "filesync", "filesync.db"), nil
}

// Open opens the database at path, creating it (and its folder, mode 0700)
// if needed, with mode 0600. It brings the schema up to date.
//
// When no other process has the database open, runs still "running" were
// left by a process that died: Open marks them "interrupted" and
// Interrupted reports how many. While another process has it open those runs
// may be in progress, so they are left alone.
//
// A nil log discards gorm's messages.
func Open(path string, log logrus.FieldLogger) (*Store, error) {
	store, err := open(path, log)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return store, nil
}

func open(path string, log logrus.FieldLogger) (_ *Store, err error) {
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if err := ensurePrivateFile(path); err != nil {
		return nil, err
	}
	lock, err := openProcessLock(path + ".lock")
	if err != nil {
		return nil, err
	}
	store := &Store{path: path, lock: lock}
	defer func() {
		if err != nil {
			store.close()
		}
	}()
	alone, err := lock.tryExclusive()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.file.Name(), err)
	}
	if store.db, err = openGorm(path, log); err != nil {
		return nil, err
	}
	if err := migrate(store.db); err != nil {
		return nil, fmt.Errorf("update the schema: %w", err)
	}
	if alone {
		if store.interrupted, err = interruptRunningRuns(store.db); err != nil {
			return nil, fmt.Errorf("mark unfinished runs as interrupted: %w", err)
		}
	}
	// Waits for any process in its own exclusive phase, so that it cannot
	// mark runs we start after returning as interrupted.
	if err := lock.shared(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.file.Name(), err)
	}
	return store, nil
}

// Interrupted is how many runs Open found "running" and marked "interrupted".
func (s *Store) Interrupted() int { return s.interrupted }

// Path is the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	if err := s.close(); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) close() error {
	var errs []error
	if s.db != nil {
		sqlDB, err := s.db.DB()
		if err == nil {
			err = sqlDB.Close()
		}
		errs = append(errs, err)
	}
	errs = append(errs, s.lock.release())
	return errors.Join(errs...)
}

func openGorm(path string, log logrus.FieldLogger) (*gorm.DB, error) {
	dsn, err := dataSourceName(path)
	if err != nil {
		return nil, err
	}
	return gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:  newGormLogger(log),
		NowFunc: now,
	})
}

// dataSourceName builds an SQLite URI. The driver splits the DSN at its first
// "?" and SQLite cuts the path at "#", so the path is percent-escaped.
func dataSourceName(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	slashed := filepath.ToSlash(abs)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed // Windows: C:/x becomes /C:/x
	}
	escaped := (&url.URL{Path: slashed}).EscapedPath()
	// The empty authority "//" keeps a path starting with "//" (UNC) a path.
	return "file://" + escaped + "?" + connectionParams, nil
}

// migrate runs in one IMMEDIATE transaction so that two processes creating
// a new database at once do not both try to create the tables.
func migrate(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Computer{}, &Project{}, &Run{}, &Transfer{}, &RunConflict{}, &RunHalt{}, &AgreedListing{})
	})
}

func interruptRunningRuns(db *gorm.DB) (int, error) {
	result := db.Model(&Run{}).Where("status = ?", fleet.StatusRunning).UpdateColumns(map[string]any{
		"status":   fleet.StatusInterrupted,
		"ended_at": now(),
		"error":    interruptedRunError,
	})
	return int(result.RowsAffected), result.Error
}

func ensurePrivateDir(dir string) error {
	_, err := os.Stat(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

func ensurePrivateFile(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		return file.Close()
	case err != nil:
		return err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return os.Chmod(path, 0o600)
	}
	return nil
}
