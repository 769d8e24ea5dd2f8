package data

import (
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/versions"
)

// Computer is a machine (or a local folder) that takes part in syncs.
type Computer struct {
	ID             uint   `gorm:"primaryKey"`
	Name           string `gorm:"uniqueIndex;not null"`
	Host           string // DNS name, IP or ~/.ssh/config alias; empty for local computers
	Port           int    // 0: as ssh's configuration says for Host (else 22)
	User           string // "": as ssh's configuration says for Host (else the local user)
	Root           string // "~/..." or absolute
	Local          bool   // a folder on this machine, reached without ssh
	Enabled        bool   // takes part in syncs
	SyncWithOthers bool   // others may pull from it
	Relay          bool   // transfers touching it are staged through this computer
	Identity       string // ssh identity file, optional
	BWLimitKBps    int    // 0 = unlimited
	// HostKeys holds pinned host keys as authorized_keys lines, newline separated.
	HostKeys                 string
	InsecureSkipHostKeyCheck bool
	LastSyncAt               *time.Time
	LastStatus               fleet.Status // "" until its first sync
	LastError                string
	CreatedAt                time.Time
	UpdatedAt                time.Time
}

// NewComputer returns a computer with the defaults a new one should get: port and user
// left to ssh's configuration, root ~/mlcomp, enabled and open to syncs with others.
func NewComputer(name string) Computer {
	return Computer{Name: name, Root: fleet.DefaultRoot, Enabled: true, SyncWithOthers: true}
}

// Project is a set of folders under each computer's root that are synced.
type Project struct {
	ID          uint     `gorm:"primaryKey"`
	Name        string   `gorm:"uniqueIndex;not null"`
	SyncFolders []string `gorm:"serializer:json"`
	Ignore      []string `gorm:"serializer:json"`
	Mode        fleet.Mode
	// Deletes says whether a file deleted on one computer is deleted on the others. The
	// column's default fills the rows of databases made before it existed: they were
	// synced as a union, so they keep deleted files. New projects propagate.
	Deletes fleet.Deletes `gorm:"not null;default:keep"`
	// Versions keeps overwritten files under <root>/.filesync/versions/<run>/.
	Versions bool
	// VersionsKeep, VersionsDays and VersionsMaxGB are how long the kept copies stay (see
	// VersionPolicy). A project stored before they existed has an empty VersionsKeep, which
	// reads as the default policy.
	VersionsKeep  versions.Scheme
	VersionsDays  int
	VersionsMaxGB float64
	// OpenPermissions passes --perms --chmod=777 to rsync, as the seed did.
	OpenPermissions bool
	Watch           bool
	IntervalMinutes int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// NewProject returns a project with the defaults a new one should get:
// merge mode with versions kept, deletions propagated, and the temporary names of
// training frameworks and editors ignored. Go's zero value cannot express
// "versions on unless turned off", so callers building a Project should start here.
func NewProject(name string) Project {
	d := versions.DefaultPolicy()
	return Project{Name: name, Ignore: folders.TempNames(), Mode: fleet.Merge, Deletes: fleet.Propagate, Versions: true,
		VersionsKeep: d.Scheme, VersionsDays: d.Days, VersionsMaxGB: d.MaxGB}
}

// VersionPolicy is the retention of p's kept copies: the default (30 days) until one is set.
func (p Project) VersionPolicy() versions.Policy {
	if p.VersionsKeep == "" {
		return versions.DefaultPolicy()
	}
	return versions.Policy{Scheme: p.VersionsKeep, Days: p.VersionsDays, MaxGB: p.VersionsMaxGB}
}

// SetVersionPolicy stores pol as p's retention of kept copies.
func (p *Project) SetVersionPolicy(pol versions.Policy) {
	p.VersionsKeep, p.VersionsDays, p.VersionsMaxGB = pol.Scheme, pol.Days, pol.MaxGB
}

// Run is one sync operation as shown in the history.
type Run struct {
	ID        uint `gorm:"primaryKey"`
	Trigger   fleet.Trigger
	Scope     string    // human description, e.g. "all computers; projects: a, b"
	StartedAt time.Time `gorm:"index"`
	EndedAt   *time.Time
	Status    fleet.Status `gorm:"index"`
	Bytes     int64
	Files     int64
	Error     string
	Transfers []Transfer `gorm:"constraint:OnDelete:CASCADE"`
	// Conflicts and Halts are what a sync planned from the fleet's listings reported.
	Conflicts []RunConflict `gorm:"constraint:OnDelete:CASCADE"`
	Halts     []RunHalt     `gorm:"constraint:OnDelete:CASCADE"`
}

// Transfer is one rsync invocation within a run.
type Transfer struct {
	ID         uint `gorm:"primaryKey"`
	RunID      uint `gorm:"index;not null"`
	From       string
	To         string
	Folders    string // comma-separated folder list as shown
	Argv       string // the command line as shown to the user
	ExitCode   int
	Bytes      int64
	Files      int64
	DurationMS int64
	OutputTail string
	Error      string
	StartedAt  time.Time
}

// RunConflict is a file of a run changed on two or more computers since they last
// agreed: the winner's copy was sent to the others.
type RunConflict struct {
	ID          uint `gorm:"primaryKey"`
	RunID       uint `gorm:"index;not null"`
	Project     string
	Path        string
	Winner      string // the computer whose copy won
	WinnerSize  int64
	WinnerMTime int64           // Unix seconds
	Losers      []ConflictLoser `gorm:"serializer:json"`
}

// ConflictLoser is a computer's copy of a conflicting file that the winner overwrote.
type ConflictLoser struct {
	Computer string `json:"computer"`
	Size     int64  `json:"size"`
	MTime    int64  `json:"mtime"` // Unix seconds
	Kept     string `json:"kept"`  // where the copy was kept, as computer:path; "" when it was not
}

// RunHalt is a computer's project that a run left alone, or whose deletions it skipped.
type RunHalt struct {
	ID       uint `gorm:"primaryKey"`
	RunID    uint `gorm:"index;not null"`
	Computer string
	Project  string
	Reason   string
}

func (c *Computer) applyDefaults() {
	if c.Root == "" {
		c.Root = fleet.DefaultRoot
	}
	c.LastSyncAt = utcPtr(c.LastSyncAt)
}

func (p *Project) applyDefaults() {
	if p.Mode == "" {
		p.Mode = fleet.Merge
	}
	// Set before Create: gorm would leave an empty value to the column's default, keep.
	if p.Deletes == "" {
		p.Deletes = fleet.Propagate
	}
}

// Times are stored in UTC because the driver writes them as text and
// ORDER BY compares that text; mixed offsets would sort wrongly.
func now() time.Time { return time.Now().UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
