// Package paths says where FileSync keeps its files on this computer: the database, the
// pinned host keys, multiplexing sockets, locks, relay stages and the log.
package paths

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
)

// Paths are the app's folders and files.
type Paths struct {
	DB         string // the SQLite database
	KnownHosts string // pinned host keys, beside the database
	Runtime    string // ssh ControlMaster sockets and lock files (short path: socket names are limited)
	Stage      string // relay stages
	Log        string // the rotating log file
	SSHConfig  string // the ssh_config ssh is handed with -F; "" leaves ssh to read its own
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
	p.SSHConfig = sshConfig()
	return p, nil
}

// sshConfig is $HOME/.ssh/config when ssh would not read it itself. ssh finds ~/.ssh in
// the home folder of the password database and ignores $HOME, while FileSync (local root
// folders, the ~ of the docs) follows $HOME; when the two differ, the file under $HOME is
// handed to ssh with -F, which then skips /etc/ssh/ssh_config.
func sshConfig() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	if u, err := user.Current(); err == nil && filepath.Clean(u.HomeDir) == filepath.Clean(home) {
		return ""
	}
	file := filepath.Join(home, ".ssh", "config")
	if _, err := os.Stat(file); err != nil {
		return ""
	}
	return file
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
