package paths

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestFor_PutsKnownHostsBesideTheDatabase(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	db := filepath.Join("/srv", "config", "filesync", "filesync.db")
	p, err := For(db)
	if err != nil {
		t.Fatal(err)
	}
	if p.DB != db {
		t.Errorf("DB = %q, want %q", p.DB, db)
	}
	if want := filepath.Join("/srv", "config", "filesync", "known_hosts"); p.KnownHosts != want {
		t.Errorf("KnownHosts = %q, want %q", p.KnownHosts, want)
	}
}

func TestFor_ChoosesTheRuntimeFolder(t *testing.T) {
	cases := []struct {
		name          string
		filesync, xdg string
		want          string // "" is this user's folder in the temporary folder
	}{
		{"FILESYNC_RUNTIME_DIR is used as it is", "/run/shared/fs", "/run/user/1000", "/run/shared/fs"},
		{"else a folder of XDG_RUNTIME_DIR", "", "/run/user/1000", "/run/user/1000/filesync"},
		{"else a folder of this user's in the temporary folder", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			t.Setenv("FILESYNC_RUNTIME_DIR", c.filesync)
			t.Setenv("XDG_RUNTIME_DIR", c.xdg)
			want := c.want
			if want == "" {
				want = filepath.Join(tmp, fmt.Sprintf("filesync-%d", os.Getuid()))
			}
			p, err := For("/data/filesync.db")
			if err != nil {
				t.Fatal(err)
			}
			if p.Runtime != want {
				t.Errorf("Runtime = %q, want %q", p.Runtime, want)
			}
			if w := filepath.Join(want, "locks"); p.Locks() != w {
				t.Errorf("Locks() = %q, want %q", p.Locks(), w)
			}
			if w := filepath.Join(want, "ssh"); p.Control() != w {
				t.Errorf("Control() = %q, want %q", p.Control(), w)
			}
		})
	}
}

func TestFor_PutsStageAndLogUnderXDGCacheHome(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	p, err := For("/data/filesync.db")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "filesync", "stage"); p.Stage != want {
		t.Errorf("Stage = %q, want %q", p.Stage, want)
	}
	if want := filepath.Join(cache, "filesync", "filesync.log"); p.Log != want {
		t.Errorf("Log = %q, want %q", p.Log, want)
	}
}

func TestFor_FailsWithoutACacheFolder(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if _, err := For("/data/filesync.db"); err == nil {
		t.Fatal("For succeeded with neither XDG_CACHE_HOME nor HOME set; want an error: stage and log have nowhere to go")
	}
}

func TestPrepare_CreatesTheRuntimeFoldersForThisUserOnly(t *testing.T) {
	p := Paths{Runtime: filepath.Join(t.TempDir(), "missing", "filesync")}
	if err := p.Prepare(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{p.Runtime, p.Locks(), p.Control()} {
		info, err := os.Stat(dir)
		if err != nil {
			t.Errorf("%s not created: %v", dir, err)
			continue
		}
		if !info.IsDir() || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want a folder with mode 0700", dir, info.Mode())
		}
	}
}

func TestPrepare_LeavesAnExistingFolderAsItIs(t *testing.T) {
	p := Paths{Runtime: filepath.Join(t.TempDir(), "shared")}
	for _, dir := range []string{p.Runtime, p.Control()} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o775); err != nil { // whatever the umask
			t.Fatal(err)
		}
	}
	if err := p.Prepare(); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{p.Runtime: 0o775, p.Control(): 0o775, p.Locks(): 0o700}
	for dir, mode := range want {
		info, err := os.Stat(dir)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		if info.Mode().Perm() != mode {
			t.Errorf("%s: mode %v after Prepare, want %v", dir, info.Mode().Perm(), mode)
		}
	}
}

func TestPrepare_FailsWhenAFolderCannotBeCreated(t *testing.T) {
	runtime := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(runtime, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := (Paths{Runtime: runtime}).Prepare(); err == nil {
		t.Fatal("Prepare succeeded with a file where the runtime folder should be")
	}
}
