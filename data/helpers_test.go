package data

import (
	"path/filepath"
	"testing"
)

func tempDBPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "filesync.db")
}

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	store, err := Open(path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return store
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	return openAt(t, tempDBPath(t))
}

func mustDump(t *testing.T, store *Store) string {
	t.Helper()
	dump, err := store.Dump()
	if err != nil {
		t.Fatalf("Dump: %v", err)
	}
	return dump
}

func mustAddComputer(t *testing.T, store *Store, c Computer) Computer {
	t.Helper()
	if err := store.AddComputer(&c); err != nil {
		t.Fatalf("AddComputer(%s): %v", c.Name, err)
	}
	return c
}

func remote(name, host string, port int) Computer {
	c := NewComputer(name)
	c.Host, c.Port, c.User = host, port, "ubuntu"
	return c
}

func local(name, root string) Computer {
	c := NewComputer(name)
	c.Local, c.Root = true, root
	return c
}
