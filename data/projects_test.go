package data

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
)

func TestProjectListFieldsRoundTrip(t *testing.T) {
	tests := []struct {
		name                string
		syncFolders, ignore []string
	}{
		{"several entries", []string{"data", "models/with space", `quote"d`, "ünïcode"}, []string{"*.tmp", "__pycache__"}},
		{"empty lists", []string{}, []string{}},
		{"nil lists", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			p := NewProject("vision")
			p.SyncFolders, p.Ignore = tt.syncFolders, tt.ignore
			if err := store.AddProject(&p); err != nil {
				t.Fatal(err)
			}
			got, err := store.Project("vision")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.SyncFolders, tt.syncFolders) || !reflect.DeepEqual(got.Ignore, tt.ignore) {
				t.Errorf("got %#v, %#v; want %#v, %#v", got.SyncFolders, got.Ignore, tt.syncFolders, tt.ignore)
			}
		})
	}
}

func TestProjectBooleansAreStoredAsGiven(t *testing.T) {
	tests := []struct {
		name    string
		project func() Project
		want    Project
	}{
		{"NewProject keeps versions, merges and propagates deletions", func() Project { return NewProject("p") },
			Project{Mode: fleet.Merge, Deletes: fleet.Propagate, Versions: true}},
		{"versions turned off stay off", func() Project { p := NewProject("p"); p.Versions = false; return p },
			Project{Mode: fleet.Merge, Deletes: fleet.Propagate, Versions: false}},
		{"an empty mode becomes merge, empty deletes propagate", func() Project { return Project{Name: "p", Watch: true, IntervalMinutes: 15} },
			Project{Mode: fleet.Merge, Deletes: fleet.Propagate, Watch: true, IntervalMinutes: 15}},
		{"mirror with open permissions", func() Project {
			p := NewProject("p")
			p.Mode, p.OpenPermissions = fleet.Mirror, true
			return p
		}, Project{Mode: fleet.Mirror, Deletes: fleet.Propagate, Versions: true, OpenPermissions: true}},
		{"deleted files kept", func() Project { p := NewProject("p"); p.Deletes = fleet.Keep; return p },
			Project{Mode: fleet.Merge, Deletes: fleet.Keep, Versions: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			p := tt.project()
			if err := store.AddProject(&p); err != nil {
				t.Fatal(err)
			}
			got, err := store.Project("p")
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode != tt.want.Mode || got.Deletes != tt.want.Deletes || got.Versions != tt.want.Versions || got.OpenPermissions != tt.want.OpenPermissions ||
				got.Watch != tt.want.Watch || got.IntervalMinutes != tt.want.IntervalMinutes {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestBadProjectsAreRejectedAndChangeNothing(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Store) error
		wantText string
	}{
		{"adding a taken name", func(s *Store) error { p := NewProject("vision"); return s.AddProject(&p) },
			`a project named "vision" already exists; choose another name`},
		{"renaming to a taken name", func(s *Store) error { p := NewProject("vision"); return s.UpdateProject("nlp", &p) },
			`a project named "vision" already exists`},
		{"an unknown mode", func(s *Store) error { p := NewProject("new"); p.Mode = "sideways"; return s.AddProject(&p) },
			`mode "sideways" is neither "merge" nor "mirror"`},
		{"an unknown deletes", func(s *Store) error { p := NewProject("new"); p.Deletes = "forget"; return s.AddProject(&p) },
			`deletes "forget" is neither "propagate" nor "keep"`},
		{"an unknown deletes on edit", func(s *Store) error { p := NewProject("nlp"); p.Deletes = "forget"; return s.UpdateProject("nlp", &p) },
			`deletes "forget" is neither "propagate" nor "keep"`},
		{"an empty name", func(s *Store) error { p := NewProject(""); return s.AddProject(&p) },
			"the name is empty"},
		{"a negative interval", func(s *Store) error {
			p := NewProject("nlp")
			p.IntervalMinutes = -5
			return s.UpdateProject("nlp", &p)
		},
			"interval -5 minutes is negative"},
		{"editing a missing project", func(s *Store) error { p := NewProject("ghost"); return s.UpdateProject("ghost", &p) },
			`no project named "ghost"`},
		{"deleting a missing project", func(s *Store) error { return s.DeleteProject("ghost") },
			`no project named "ghost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			for _, name := range []string{"vision", "nlp"} {
				p := NewProject(name)
				p.SyncFolders = []string{"data"}
				if err := store.AddProject(&p); err != nil {
					t.Fatal(err)
				}
			}
			before := mustDump(t, store)

			err := tt.change(store)

			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("err = %v; want it to contain %q", err, tt.wantText)
			}
			if after := mustDump(t, store); after != before {
				t.Errorf("the database changed:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

func TestProjectLifecycle(t *testing.T) {
	store := openTemp(t)
	for _, name := range []string{"b", "a"} {
		p := NewProject(name)
		if err := store.AddProject(&p); err != nil {
			t.Fatal(err)
		}
	}
	renamed := NewProject("c")
	renamed.SyncFolders = []string{"x"}
	if err := store.UpdateProject("a", &renamed); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteProject("b"); err != nil {
		t.Fatal(err)
	}

	projects, err := store.Projects()
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 1 || projects[0].Name != "c" || projects[0].ID != renamed.ID {
		t.Errorf("projects = %+v; want only c with id %d", projects, renamed.ID)
	}
	if _, err := store.Project("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Project(a) = %v; want ErrNotFound", err)
	}
}

func TestDumpShowsEveryColumnButTimestamps(t *testing.T) {
	store := openTemp(t)
	mustAddComputer(t, store, remote("gpu-1", "127.0.0.5", 22))
	p := NewProject("vision")
	p.SyncFolders = []string{"data"}
	if err := store.AddProject(&p); err != nil {
		t.Fatal(err)
	}

	dump := mustDump(t, store)

	for _, want := range []string{`Name: "gpu-1"`, "Port: 22", "LastSyncAt: nil", "BWLimitKBps: 0", `SyncFolders: ["data"]`, "Versions: true"} {
		if !strings.Contains(dump, want) {
			t.Errorf("dump lacks %q:\n%s", want, dump)
		}
	}
	for _, unwanted := range []string{"CreatedAt", "UpdatedAt"} {
		if strings.Contains(dump, unwanted) {
			t.Errorf("dump contains %s", unwanted)
		}
	}
	if again := mustDump(t, store); again != dump {
		t.Error("two dumps differ")
	}
}

func TestUpdateProject_EmptyDeletesLeavesTheStoredValue(t *testing.T) {
	store := openTemp(t)
	p := NewProject("vision")
	p.Deletes = fleet.Keep
	if err := store.AddProject(&p); err != nil {
		t.Fatal(err)
	}
	edit := NewProject("vision")
	edit.Deletes = ""
	if err := store.UpdateProject("vision", &edit); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Project("vision"); got.Deletes != fleet.Keep {
		t.Errorf("after an edit without deletes: %q, want keep", got.Deletes)
	}
}

// projectBeforeDeletes is the projects table as databases made before the Deletes column
// hold it.
type projectBeforeDeletes struct {
	ID              uint     `gorm:"primaryKey"`
	Name            string   `gorm:"uniqueIndex;not null"`
	SyncFolders     []string `gorm:"serializer:json"`
	Ignore          []string `gorm:"serializer:json"`
	Mode            fleet.Mode
	Versions        bool
	OpenPermissions bool
	Watch           bool
	IntervalMinutes int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (projectBeforeDeletes) TableName() string { return "projects" }

// TestOpen_ProjectsFromBeforeDeletesKeepDeletedFiles: an upgrade must not start deleting
// files in projects that were synced as a union; projects added after it propagate.
func TestOpen_ProjectsFromBeforeDeletesKeepDeletedFiles(t *testing.T) {
	path := tempDBPath(t)
	writeOldProjects(t, path, "old-a", "old-b")

	store := openAt(t, path)
	fresh := NewProject("fresh")
	if err := store.AddProject(&fresh); err != nil {
		t.Fatal(err)
	}

	projects, err := store.Projects()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]fleet.Deletes{"fresh": fleet.Propagate, "old-a": fleet.Keep, "old-b": fleet.Keep}
	for _, p := range projects {
		if p.Deletes != want[p.Name] {
			t.Errorf("project %s: deletes %q, want %q", p.Name, p.Deletes, want[p.Name])
		}
	}
	if len(projects) != len(want) {
		t.Errorf("%d projects after the upgrade, want %d", len(projects), len(want))
	}
}

// writeOldProjects creates a database at path with the old projects table holding the
// named projects.
func writeOldProjects(t *testing.T, path string, names ...string) {
	t.Helper()
	if err := ensurePrivateFile(path); err != nil {
		t.Fatal(err)
	}
	db, err := openGorm(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&projectBeforeDeletes{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if err := db.Create(&projectBeforeDeletes{Name: name, Mode: fleet.Merge, Versions: true}).Error; err != nil {
			t.Fatal(err)
		}
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
}
