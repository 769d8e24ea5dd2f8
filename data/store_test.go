package data

import (
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"filesync/sync/fleet"
)

func TestDefaultPathPrefersFILESYNC_DB(t *testing.T) {
	t.Setenv("FILESYNC_DB", "/somewhere/else.db")
	got, err := DefaultPath()
	if err != nil || got != "/somewhere/else.db" {
		t.Fatalf("DefaultPath() = %q, %v; want /somewhere/else.db", got, err)
	}
}

func TestDefaultPathFallsBackToUserConfigDir(t *testing.T) {
	t.Setenv("FILESYNC_DB", "")
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", config)
	t.Setenv("AppData", config)
	want, err := os.UserConfigDir()
	if err != nil {
		t.Skipf("no user config dir here: %v", err)
	}
	want = filepath.Join(want, "filesync", "filesync.db")
	got, err := DefaultPath()
	if err != nil || got != want {
		t.Fatalf("DefaultPath() = %q, %v; want %q", got, err, want)
	}
}

func TestOpenCreatesPrivateFolderAndFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "config", "filesync")
	path := filepath.Join(dir, "filesync.db")
	openAt(t, path)

	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)
	assertMode(t, path+".lock", 0o600)
}

func TestOpenTightensLooseFileButNotAnExistingFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "filesync.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	openAt(t, path)

	assertMode(t, dir, 0o755)
	assertMode(t, path, 0o600)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o; want %o", path, got, want)
	}
}

func TestEveryConnectionGetsTheDSNPragmas(t *testing.T) {
	store := openTemp(t)
	sqlDB, err := store.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	// Holding two connections at once proves the pragmas are not only on the first.
	first, err := sqlDB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := sqlDB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()

	for i, conn := range []*sql.Conn{first, second} {
		tests := []struct{ pragma, want string }{
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"busy_timeout", "10000"},
		}
		for _, tt := range tests {
			var got string
			if err := conn.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, tt.pragma, err)
			}
			if strings.ToLower(got) != tt.want {
				t.Errorf("connection %d: PRAGMA %s = %q; want %q", i, tt.pragma, got, tt.want)
			}
		}
	}
}

func TestOpenHandlesPathsThatNeedEscaping(t *testing.T) {
	names := []string{
		"with space/file sync.db",
		"hash#dir/file#1.db",
		"question?dir/what?x=y&z.db",
		"percent%20dir/100%25.db",
		"all of #them?%/db #?.db",
	}
	parent := t.TempDir()
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			// Not t.TempDir(): its name would contain the very characters under test.
			root := filepath.Join(parent, strconv.Itoa(i))
			path := filepath.Join(root, filepath.FromSlash(name))
			store, err := Open(path, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			mustAddComputer(t, store, local("here", "/data"))
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}

			assertOnlyDatabaseFiles(t, root, path)
			reopened := openAt(t, path)
			if _, err := reopened.Computer("here"); err != nil {
				t.Fatalf("the computer did not survive reopening: %v", err)
			}
		})
	}
}

// assertOnlyDatabaseFiles fails when SQLite wrote anywhere but path (and its
// -wal, -shm and .lock companions), which is what a badly escaped URI does.
func assertOnlyDatabaseFiles(t *testing.T, root, path string) {
	t.Helper()
	allowed := map[string]bool{path: true, path + "-wal": true, path + "-shm": true, path + ".lock": true}
	found := false
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !allowed[p] {
			t.Errorf("unexpected file %s", p)
		}
		found = found || p == path
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("%s does not exist", path)
	}
}

func TestReopenMarksRunningRunsInterrupted(t *testing.T) {
	path := tempDBPath(t)
	first, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	unfinished, err := first.StartRun(fleet.TriggerSync, "all computers")
	if err != nil {
		t.Fatal(err)
	}
	finished, err := first.StartRun(fleet.TriggerPush, "gpu-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := first.FinishRun(finished.ID, fleet.StatusOK, 10, 1, ""); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := openAt(t, path)

	if second.Interrupted() != 1 {
		t.Errorf("Interrupted() = %d; want 1", second.Interrupted())
	}
	run, err := second.RunDetail(unfinished.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != fleet.StatusInterrupted || run.EndedAt == nil || run.Error != interruptedRunError {
		t.Errorf("unfinished run = status %q, ended %v, error %q; want interrupted, ended, %q",
			run.Status, run.EndedAt, run.Error, interruptedRunError)
	}
	if run, _ := second.RunDetail(finished.ID); run.Status != fleet.StatusOK {
		t.Errorf("finished run became %q", run.Status)
	}
}

func TestOpenLeavesRunsOfAnotherOpenStoreAlone(t *testing.T) {
	path := tempDBPath(t)
	gui := openAt(t, path)
	run, err := gui.StartRun(fleet.TriggerSync, "all computers")
	if err != nil {
		t.Fatal(err)
	}

	cli := openAt(t, path)

	if cli.Interrupted() != 0 {
		t.Errorf("Interrupted() = %d while the other store is open; want 0", cli.Interrupted())
	}
	if got, _ := cli.RunDetail(run.ID); got.Status != fleet.StatusRunning {
		t.Errorf("the other store's run became %q; want it still running", got.Status)
	}
}
