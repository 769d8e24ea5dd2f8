// Package paths says where FileSync keeps its files on this computer: the database, the
// pinned host keys, multiplexing sockets, locks, relay stages and the log.
package paths

import (
	"fmt"
	"os"
	"path/filepath"
)

// Paths are the app's folders and files.
type Paths struct {
	DB         string // the SQLite database
	KnownHosts string // pinned host keys, beside the database
	Runtime    string // ssh ControlMaster sockets and lock files (short path: socket names are limited)
	Stage      string // relay stages
	Log        string // the rotating log file
}

// For returns the paths of the app using the database at db. Overrides: FILESYNC_RUNTIME_DIR
// for the runtime folder, XDG_CACHE_HOME (through os.UserCacheDir) for stage and log.
func For(db string) (Paths, error) {
	p := Paths{DB: db, KnownHosts: filepath.Join(filepath.Dir(db), "known_hosts")}
	p.Runtime = runtimeDir()
	cache, err := os.UserCacheDir()
	if err != nil {
		return p, fmt.Errorf("find the cache folder: %w", err)
	}
	p.Stage = filepath.Join(cache, "filesync", "stage")
	p.Log = filepath.Join(cache, "filesync", "filesync.log")
	return p, nil
}

func runtimeDir() string {
	if dir := os.Getenv("FILESYNC_RUNTIME_DIR"); dir != "" {
		return dir
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "filesync")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("filesync-%d", os.Getuid()))
}

// Locks is the folder of the (computer, folder) lock files.
func (p Paths) Locks() string { return filepath.Join(p.Runtime, "locks") }

// Control is the folder of ssh ControlMaster sockets.
func (p Paths) Control() string { return filepath.Join(p.Runtime, "ssh") }

// Prepare creates the runtime folders, readable by this user only. A folder that exists
// already is left as it is: it may be a shared one the user pointed us at.
func (p Paths) Prepare() error {
	for _, dir := range []string{p.Runtime, p.Locks(), p.Control()} {
		if _, err := os.Stat(dir); err == nil {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	return nil
}
