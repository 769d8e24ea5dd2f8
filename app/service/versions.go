package service

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/listing"
	"filesync/sync/rsync"
	"filesync/sync/versions"
)

// The versions vocabulary, as the front ends see it.
type (
	// VersionPolicy is a project's retention of kept copies.
	VersionPolicy = versions.Policy
	// VersionScheme is how a policy thins kept copies out: days or staggered.
	VersionScheme = versions.Scheme
)

// The schemes, and the days a new project keeps its copies.
const (
	KeepDays    = versions.KeepDays
	Staggered   = versions.Staggered
	DefaultDays = versions.DefaultDays
)

// Why is why a copy was kept.
type Why string

// The reasons a copy is kept.
const (
	Overwritten Why = "overwritten" // a newer copy replaced it
	Deleted     Why = "deleted"     // the file is gone from that computer
	Conflicted  Why = "conflict"    // it lost a conflict: changed on several computers, another copy won
)

// VersionQuery asks which kept copies there are; the zero value asks for all of them.
type VersionQuery struct {
	Project  string // only the copies of this project's folders
	Computer string // only this computer's
	Path     string // only this file's, or the files' under this folder
	Run      uint   // only those this run kept
}

// KeptVersion is one kept copy of a file.
type KeptVersion struct {
	versions.Kept
	Project string // whose folders hold the path; "" when no project's do
	Why     Why
}

// VersionSpace is what one computer's versions folder holds in all.
type VersionSpace struct {
	Computer string
	Files    int
	Bytes    int64
	Err      string // why it could not be listed
}

// VersionList is the kept copies a query found, newest first, and the space versions
// take on each computer listed.
type VersionList struct {
	Versions []KeptVersion
	Space    []VersionSpace
}

// Failed is how many computers could not be listed.
func (l VersionList) Failed() int {
	n := 0
	for _, s := range l.Space {
		if s.Err != "" {
			n++
		}
	}
	return n
}

// Versions lists the kept copies on every enabled computer (or on q.Computer): one rsync
// --list-only of its versions folder and of the projects' folders each, at once. A copy
// lost a conflict when its run recorded that computer's copy of the path as a loser; it
// was deleted when the path is gone from that computer now; else it was overwritten.
func (s *Service) Versions(ctx context.Context, q VersionQuery) (VersionList, error) {
	if err := s.pinKnownHosts(); err != nil {
		return VersionList{}, err
	}
	computers, err := s.versionComputers(ctx, q.Computer)
	if err != nil {
		return VersionList{}, err
	}
	projects, err := s.versionProjects(q.Project)
	if err != nil {
		return VersionList{}, err
	}
	scans := s.scanVersions(ctx, computers, projects, true)
	conflicts, err := s.conflictLosers(scans)
	if err != nil {
		return VersionList{}, err
	}
	var out VersionList
	for _, sc := range scans {
		out.Space = append(out.Space, sc.space())
		for _, k := range sc.folders.Kept {
			project := projectOf(projects, k.Path)
			kv := KeptVersion{Kept: k, Project: project, Why: sc.why(k, project, conflicts)}
			if q.matches(kv, projects) {
				out.Versions = append(out.Versions, kv)
			}
		}
	}
	slices.SortFunc(out.Versions, newestFirst)
	return out, nil
}

func (q VersionQuery) matches(k KeptVersion, projects []resolvedProject) bool {
	switch {
	case q.Project != "" && k.Project != projects[0].name:
		return false
	case q.Path != "" && !listing.Within(k.Path, cleanPath(q.Path)):
		return false
	}
	return q.Run == 0 || k.RunID == q.Run
}

// cleanPath is a path as typed, relative to the root folder: "./data/p/x/" is "data/p/x".
func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+strings.TrimSpace(p)), "/")
}

func newestFirst(a, b KeptVersion) int {
	return cmp.Or(b.Time.Compare(a.Time), cmp.Compare(a.Computer, b.Computer), cmp.Compare(a.Path, b.Path))
}

// resolvedProject is a project's name, policy and folders under a root.
type resolvedProject struct {
	name    string
	policy  versions.Policy
	folders []folders.Folder
}

// versionProjects are every project, or the one named, resolved.
func (s *Service) versionProjects(name string) ([]resolvedProject, error) {
	var stored []data.Project
	if name == "" {
		all, err := s.store.Projects()
		if err != nil {
			return nil, err
		}
		stored = all
	} else {
		p, err := s.Project(name)
		if err != nil {
			return nil, err
		}
		stored = []data.Project{p}
	}
	out := make([]resolvedProject, 0, len(stored))
	for _, p := range stored {
		res, err := ResolveFolders(p)
		if err != nil {
			return nil, err
		}
		out = append(out, resolvedProject{name: p.Name, policy: p.VersionPolicy(), folders: res.Folders})
	}
	return out, nil
}

// projectOf is the project whose folders hold path ("" for none).
func projectOf(projects []resolvedProject, path string) string {
	for _, p := range projects {
		for _, f := range p.folders {
			if listing.Within(path, f.Path) {
				return p.name
			}
		}
	}
	return ""
}

// versionComputers are the enabled computers, or the one named, which must be enabled.
func (s *Service) versionComputers(ctx context.Context, name string) ([]fleet.Computer, error) {
	stored, err := s.store.Computers()
	if err != nil {
		return nil, err
	}
	var out []fleet.Computer
	for _, c := range stored {
		if !c.Enabled || name != "" && !strings.EqualFold(c.Name, name) {
			continue
		}
		rc, err := s.resolve(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	if name != "" && len(out) == 0 {
		return nil, s.checkTarget(name, nil)
	}
	return out, nil
}

// versionScan is one computer's versions folder, and (for the listing) its project folders.
type versionScan struct {
	computer string
	folders  versions.Folders
	current  listing.Listing // what it holds now in the projects' folders
	withNow  bool            // current was listed
	err      error
}

func (sc versionScan) space() VersionSpace {
	sp := VersionSpace{Computer: sc.computer, Files: len(sc.folders.Kept)}
	for _, k := range sc.folders.Kept {
		sp.Bytes += k.Size
	}
	if sc.err != nil {
		sp.Err = sc.err.Error()
	}
	return sp
}

// why a copy of project's (or of no project's) was kept; see Versions.
func (sc versionScan) why(k versions.Kept, project string, losers map[loserKey]bool) Why {
	switch {
	case losers[loserKey{k.RunID, k.Computer, k.Path}]:
		return Conflicted
	case sc.withNow && project != "" && !sc.current.Has(k.Path):
		return Deleted
	}
	return Overwritten
}

// scanVersions lists every computer's versions folder at once and, withNow, the projects'
// folders in the same rsync.
func (s *Service) scanVersions(ctx context.Context, computers []fleet.Computer, projects []resolvedProject, withNow bool) []versionScan {
	fs := []folders.Folder{{Path: rsync.VersionsDir}}
	if withNow {
		for _, p := range projects {
			fs = append(fs, p.folders...)
		}
	}
	scans := make([]versionScan, len(computers))
	var wg sync.WaitGroup
	for i, c := range computers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := s.listOne(ctx, c, fs)
			sc := versionScan{computer: c.Name, err: err, withNow: withNow && err == nil}
			if err == nil {
				sc.folders = versions.FromListing(c.Name, l)
				sc.current = withoutVersions(l)
			}
			scans[i] = sc
		}()
	}
	wg.Wait()
	return scans
}

// withoutVersions is l without the versions folder's entries.
func withoutVersions(l listing.Listing) listing.Listing {
	out := make(listing.Listing, 0, len(l))
	for _, e := range l {
		if !listing.Within(e.Path, rsync.VersionsDir) {
			out = append(out, e)
		}
	}
	return out
}

// loserKey is a computer's copy of a path that a run overwrote in a conflict.
type loserKey struct {
	run      uint
	computer string
	path     string
}

// conflictLosers loads, for the runs whose copies the scans found, the copies that lost
// a conflict.
func (s *Service) conflictLosers(scans []versionScan) (map[loserKey]bool, error) {
	seen := map[uint]bool{}
	var ids []uint
	for _, sc := range scans {
		for _, k := range sc.folders.Kept {
			if !seen[k.RunID] {
				seen[k.RunID] = true
				ids = append(ids, k.RunID)
			}
		}
	}
	stored, err := s.store.ConflictsOfRuns(ids)
	if err != nil {
		return nil, fmt.Errorf("read which versions lost a conflict: %w", err)
	}
	out := map[loserKey]bool{}
	for _, c := range stored {
		for _, l := range c.Losers {
			out[loserKey{c.RunID, l.Computer, c.Path}] = true
		}
	}
	return out, nil
}
