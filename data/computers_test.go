package data

import (
	"errors"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
)

func TestAddComputerAppliesDefaultsAndKeepsFalseBooleans(t *testing.T) {
	store := openTemp(t)
	c := Computer{Name: "bare", Host: "127.0.0.9"}
	mustAddComputer(t, store, c)

	got, err := store.Computer("bare")
	if err != nil {
		t.Fatal(err)
	}
	if got.Port != 0 || got.Root != "~/mlcomp" {
		t.Errorf("port %d, root %q; want 0 (ssh's configuration decides), ~/mlcomp", got.Port, got.Root)
	}
	if got.Enabled || got.SyncWithOthers {
		t.Errorf("false booleans were stored as true: %+v", got)
	}
	if got.ID == 0 {
		t.Error("no ID assigned")
	}
}

func TestComputerRoundTripsEveryField(t *testing.T) {
	store := openTemp(t)
	synced := time.Date(2025, 3, 4, 5, 6, 7, 890, time.FixedZone("CET", 3600))
	want := Computer{
		Name: "gpu-1", Host: "gpu1.example.org", Port: 2222, User: "ml", Root: "/srv/mlcomp",
		Enabled: true, SyncWithOthers: true, Relay: true, Identity: "~/.ssh/id_gpu",
		BWLimitKBps: 5000, HostKeys: "ssh-ed25519 AAAA1\nssh-rsa AAAA2", InsecureSkipHostKeyCheck: true,
		LastSyncAt: &synced, LastStatus: fleet.StatusFailed, LastError: "exit 23",
	}
	added := mustAddComputer(t, store, want)

	got, err := store.Computer("gpu-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastSyncAt.Equal(synced) {
		t.Errorf("LastSyncAt = %v; want %v", got.LastSyncAt, synced)
	}
	want.ID, want.LastSyncAt, got.LastSyncAt = added.ID, nil, nil
	want.CreatedAt, want.UpdatedAt, got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestComputersAreOrderedByName(t *testing.T) {
	store := openTemp(t)
	for _, name := range []string{"zeta", "alpha", "mid"} {
		mustAddComputer(t, store, local(name, "/data/"+name))
	}
	computers, err := store.Computers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range computers {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "alpha,mid,zeta" {
		t.Errorf("order = %v", names)
	}
}

func TestComputerConflictsAreRejectedAndChangeNothing(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*Store) error
		wantField string
		wantText  string
	}{
		{
			name:      "adding a taken name",
			change:    func(s *Store) error { c := remote("gpu-1", "127.9.9.9", 22); return s.AddComputer(&c) },
			wantField: "name",
			wantText:  `a computer named "gpu-1" already exists; choose another name`,
		},
		{
			name:      "adding a taken host and port",
			change:    func(s *Store) error { c := remote("gpu-2", "127.0.0.5", 22); return s.AddComputer(&c) },
			wantField: "host",
			wantText:  "gpu-1 already uses 127.0.0.5:22; ",
		},
		{
			name:      "adding a taken host in other letter case",
			change:    func(s *Store) error { c := remote("gpu-2", "GPU.example.org", 22); return s.AddComputer(&c) },
			wantField: "host",
			wantText:  "named-host already uses GPU.example.org:22",
		},
		{
			name: "renaming to a taken name",
			change: func(s *Store) error {
				c := remote("gpu-1", "127.0.0.6", 22)
				return s.UpdateComputer("gpu-other", &c)
			},
			wantField: "name",
			wantText:  `a computer named "gpu-1" already exists`,
		},
		{
			name: "moving to a taken host and port",
			change: func(s *Store) error {
				c := remote("gpu-other", "127.0.0.5", 22)
				return s.UpdateComputer("gpu-other", &c)
			},
			wantField: "host",
			wantText:  "gpu-1 already uses 127.0.0.5:22",
		},
		{
			name:      "a name taken in another case",
			change:    func(s *Store) error { c := local("gpu-1", "/x"); c.Name = "GPU-1"; return s.AddComputer(&c) },
			wantField: "name",
			wantText:  `a computer named "GPU-1" already exists`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
			mustAddComputer(t, store, remote("gpu-other", "127.0.0.6", 22))
			mustAddComputer(t, store, remote("named-host", "gpu.example.org", 22))
			mustAddComputer(t, store, local("my laptop", "/home/me/mlcomp"))
			before := mustDump(t, store)

			err := tt.change(store)

			var conflict *ConflictError
			if !errors.As(err, &conflict) || !errors.Is(err, ErrConflict) {
				t.Fatalf("err = %v; want a *ConflictError", err)
			}
			if conflict.Field != tt.wantField {
				t.Errorf("Field = %q; want %q", conflict.Field, tt.wantField)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("message %q does not contain %q", err, tt.wantText)
			}
			if after := mustDump(t, store); after != before {
				t.Errorf("the database changed:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

func TestComputersThatDoNotConflict(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Store) error
	}{
		{"a second local computer with an empty host", func(s *Store) error {
			c := local("laptop-2", "/other")
			return s.AddComputer(&c)
		}},
		{"a local computer on a remote computer's host", func(s *Store) error {
			c := local("laptop-2", "/other")
			c.Host = "127.0.0.5"
			return s.AddComputer(&c)
		}},
		{"the same host on another port", func(s *Store) error {
			c := remote("gpu-1b", "127.0.0.5", 2222)
			return s.AddComputer(&c)
		}},
		{"a remote computer with no host yet", func(s *Store) error {
			c := remote("later", "", 22)
			return s.AddComputer(&c)
		}},
		{"an edit that keeps its own name and host", func(s *Store) error {
			c := remote("gpu-1", "127.0.0.5", 22)
			c.User = "root"
			return s.UpdateComputer("gpu-1", &c)
		}},
		{"a rename to a free name", func(s *Store) error {
			c := remote("gpu-renamed", "127.0.0.5", 22)
			return s.UpdateComputer("gpu-1", &c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
			mustAddComputer(t, store, local("laptop", "/home/me/mlcomp"))
			mustAddComputer(t, store, remote("empty-host", "", 22))
			if err := tt.change(store); err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
		})
	}
}

func TestUpdateComputerReplacesTheRecordAndKeepsItsIdentity(t *testing.T) {
	store := openTemp(t)
	added := mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))

	changed := remote("gpu-one", "127.0.0.50", 2200)
	changed.Enabled = false
	if err := store.UpdateComputer("gpu-1", &changed); err != nil {
		t.Fatal(err)
	}

	got, err := store.Computer("gpu-one")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != added.ID || !got.CreatedAt.Equal(added.CreatedAt) {
		t.Errorf("identity changed: id %d→%d, created %v→%v", added.ID, got.ID, added.CreatedAt, got.CreatedAt)
	}
	if got.Host != "127.0.0.50" || got.Port != 2200 || got.Enabled {
		t.Errorf("fields not replaced: %+v", got)
	}
	if _, err := store.Computer("gpu-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old name still found: %v", err)
	}
}

func TestInvalidComputersAreRejected(t *testing.T) {
	tests := []struct {
		name     string
		computer Computer
		wantText string
	}{
		{"empty name", Computer{Host: "h"}, "the name is empty"},
		{"port out of range", Computer{Name: "x", Host: "h", Port: 70000}, "port 70000"},
		{"negative port", Computer{Name: "x", Host: "h", Port: -1}, "port -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			before := mustDump(t, store)
			err := store.AddComputer(&tt.computer)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("err = %v; want it to mention %q", err, tt.wantText)
			}
			if mustDump(t, store) != before {
				t.Error("the database changed")
			}
		})
	}
}

func TestSetComputerStatusChangesOnlyItsColumns(t *testing.T) {
	store := openTemp(t)
	added := mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
	synced := time.Now()

	if err := store.SetComputerStatus("gpu-1", fleet.StatusOK, "", &synced); err != nil {
		t.Fatal(err)
	}
	if err := store.SetComputerStatus("gpu-1", fleet.StatusUnreachable, "no route to host", nil); err != nil {
		t.Fatal(err)
	}

	got, err := store.Computer("gpu-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.LastStatus != fleet.StatusUnreachable || got.LastError != "no route to host" {
		t.Errorf("status %q, error %q", got.LastStatus, got.LastError)
	}
	if got.LastSyncAt == nil || !got.LastSyncAt.Equal(synced) {
		t.Errorf("LastSyncAt = %v; want %v kept from the first call", got.LastSyncAt, synced)
	}
	if !got.UpdatedAt.Equal(added.UpdatedAt) || got.Host != added.Host {
		t.Errorf("other columns changed: %+v", got)
	}
}

func TestSetHostKeysReplacesThePinnedKeys(t *testing.T) {
	store := openTemp(t)
	mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
	keys := "ssh-ed25519 AAAAC3Nza\necdsa-sha2-nistp256 AAAAE2Vj"
	if err := store.SetHostKeys("gpu-1", keys); err != nil {
		t.Fatal(err)
	}
	got, err := store.Computer("gpu-1")
	if err != nil || got.HostKeys != keys {
		t.Errorf("HostKeys = %q, %v; want %q", got.HostKeys, err, keys)
	}
}

func TestDeleteComputerRemovesItAndFreesTheName(t *testing.T) {
	store := openTemp(t)
	mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
	if err := store.DeleteComputer("gpu-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Computer("gpu-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("still there: %v", err)
	}
	mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
}

func TestMissingComputersAreNotFound(t *testing.T) {
	store := openTemp(t)
	mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
	before := mustDump(t, store)
	tests := []struct {
		name string
		call func() error
	}{
		{"Computer", func() error { _, err := store.Computer("ghost"); return err }},
		{"UpdateComputer", func() error { c := remote("ghost", "127.1.1.1", 22); return store.UpdateComputer("ghost", &c) }},
		{"DeleteComputer", func() error { return store.DeleteComputer("ghost") }},
		{"SetComputerStatus", func() error { return store.SetComputerStatus("ghost", fleet.StatusOK, "", nil) }},
		{"SetHostKeys", func() error { return store.SetHostKeys("ghost", "ssh-ed25519 AAAA") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var notFound *NotFoundError
			if !errors.Is(err, ErrNotFound) || !errors.As(err, &notFound) {
				t.Fatalf("err = %v; want ErrNotFound", err)
			}
			want := `no computer named "ghost"`
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q does not contain %q", err, want)
			}
			if mustDump(t, store) != before {
				t.Error("the database changed")
			}
		})
	}
}
