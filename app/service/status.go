package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/listing"
	"filesync/sync/probe"
	"filesync/widgets/units"
)

// StatusRequest asks how the fleet stands, without syncing.
type StatusRequest struct {
	Projects []string // none: every project
	Computer string   // only this computer's row; "": every enabled computer's
}

// FleetStatus is how each enabled computer's copy of each project stands against the
// rest of the fleet: what a Sync all would bring it and what it would send.
type FleetStatus struct {
	Computers []ComputerResult // the rows, in the fleet's order: ok, or why it could not be listed
	Projects  []string         // the columns
	Cells     []Cell           // row by row
	Took      time.Duration
}

// Tally counts the cells out of sync (halted ones too) and the computers that could not
// be listed.
func (f FleetStatus) Tally() (outOfSync, unlisted int) {
	for _, c := range f.Cells {
		if c.State == CellOutOfSync || c.State == CellHalted {
			outOfSync++
		}
	}
	for _, c := range f.Computers {
		if c.Status != StatusOK {
			unlisted++
		}
	}
	return outOfSync, unlisted
}

// Summary is the status in a sentence: "everything is in sync (4 computers, 2 projects;
// listed in 1.2s)", or how many cells differ and how many computers could not be listed.
func (f FleetStatus) Summary() string {
	out, unlisted := f.Tally()
	took := f.Took.Round(10 * time.Millisecond)
	if out == 0 && unlisted == 0 {
		return fmt.Sprintf("everything is in sync (%s, %s; listed in %s)", units.Count(len(f.Computers), "computer"), units.Count(len(f.Projects), "project"), took)
	}
	return fmt.Sprintf("%d of %d cells out of sync, %d of %d computers could not be listed; listed in %s",
		out, len(f.Cells), unlisted, len(f.Computers), took)
}

// CellCounts are what a sync would do to a cell, in a few words each: "3 files, 2.5 kB to
// receive", "2 newer here"; none for a cell in sync or unreachable.
func CellCounts(c Cell) []string {
	var parts []string
	if c.Receive.Files > 0 {
		parts = append(parts, fmt.Sprintf("%s, %s to receive", units.Count(c.Receive.Files, "file"), units.Bytes(c.Receive.Bytes)))
	}
	if c.NewerHere.Files > 0 {
		parts = append(parts, fmt.Sprintf("%d newer here", c.NewerHere.Files))
	}
	if c.Removed.Files > 0 {
		parts = append(parts, fmt.Sprintf("%d to delete", c.Removed.Files))
	}
	return parts
}

// InSync reports whether every cell is in sync (an unreachable one is not).
func (f FleetStatus) InSync() bool {
	for _, c := range f.Cells {
		if c.State != CellInSync {
			return false
		}
	}
	return true
}

// Status lists every enabled computer's project folders at once (one rsync --list-only
// each, over its multiplexed connection) and compares them. It transfers nothing,
// creates nothing and records no run. Listed events report the progress.
func (s *Service) Status(ctx context.Context, req StatusRequest) (FleetStatus, error) {
	start := time.Now()
	f, err := s.indexFleet(ctx, req.Projects)
	if err != nil {
		return FleetStatus{}, err
	}
	if req.Computer != "" {
		if err := s.checkTarget(req.Computer, f.computers); err != nil {
			return FleetStatus{}, err
		}
	}
	st := FleetStatus{Projects: projectNames(f.projects), Took: time.Since(start)}
	for _, c := range computerResults(f.members) {
		if req.Computer != "" && c.Name != req.Computer {
			continue
		}
		st.Computers = append(st.Computers, c)
		for _, p := range f.projects {
			cell, _ := f.index.Cell(c.Name, p.Name)
			st.Cells = append(st.Cells, cell)
		}
	}
	if err := ctx.Err(); err != nil {
		return FleetStatus{}, err
	}
	return st, nil
}

// indexedFleet is one listing round over the fleet, compared.
type indexedFleet struct {
	computers []fleet.Computer
	projects  []fleet.Project
	resolved  []index.Project
	members   []index.Member // with their listings, for the agreed state a sync stores
	index     *index.Index
}

// indexFleet lists the enabled computers' folders of the projects named (all when none).
func (s *Service) indexFleet(ctx context.Context, projectNames []string) (indexedFleet, error) {
	computers, err := s.enabledComputers(ctx)
	if err != nil {
		return indexedFleet{}, err
	}
	projects, err := s.syncedProjects(projectNames)
	if err != nil {
		return indexedFleet{}, err
	}
	return s.indexComputers(ctx, computers, projects)
}

func (s *Service) indexComputers(ctx context.Context, computers []fleet.Computer, projects []fleet.Project) (indexedFleet, error) {
	if err := s.pinKnownHosts(); err != nil {
		return indexedFleet{}, err
	}
	resolved := resolveAll(projects)
	agreed, err := s.agreedState(projects)
	if err != nil {
		return indexedFleet{}, err
	}
	members := s.listAll(ctx, computers, resolved)
	for i := range members {
		ag := agreed[members[i].Name]
		members[i].Agreed, members[i].AgreedAt = ag.listings, ag.at
	}
	ix := index.Build(members, resolved)
	for i := range members {
		members[i].Agreed = nil
	}
	return indexedFleet{computers: computers, projects: projects, resolved: resolved, members: members, index: ix}, nil
}

// resolveAll resolves the projects' folders (syncedProjects has checked they resolve).
func resolveAll(projects []fleet.Project) []index.Project {
	out := make([]index.Project, len(projects))
	for i, p := range projects {
		res, _ := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
		out[i] = index.Project{Name: p.Name, Folders: res.Folders, Propagate: p.Deletes == fleet.Propagate}
	}
	return out
}

func allFolders(projects []index.Project) []folders.Folder {
	var fs []folders.Folder
	for _, p := range projects {
		fs = append(fs, p.Folders...)
	}
	return fs
}

// listAll lists every computer at once; a computer that cannot be listed gets Err and
// never delays the others.
func (s *Service) listAll(ctx context.Context, computers []fleet.Computer, projects []index.Project) []index.Member {
	members := make([]index.Member, len(computers))
	fs := allFolders(projects)
	var wg sync.WaitGroup
	for i, c := range computers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := s.listOne(ctx, c, fs)
			members[i] = index.Member{Name: c.Name, ReceiveOnly: c.ReceiveOnly, Listing: l, Err: err}
		}()
	}
	wg.Wait()
	return members
}

// listTimeouts: a listing fails when no data moves for a minute, as a transfer does, and
// a computer that answers nothing within the ssh connect timeout is taken as down.
var listTimeouts = listing.Timeouts{IO: 60 * time.Second, Answer: ConnectTimeout}

func (s *Service) listOne(ctx context.Context, c fleet.Computer, fs []folders.Folder) (listing.Listing, error) {
	progress := func(n int, done bool, err error) {
		ev := Event{Event: engine.Event{Kind: Listed}, Listing: &ListingProgress{Computer: c.Name, Entries: n, Done: done}}
		if err != nil {
			ev.Listing.Err = err.Error()
		}
		s.bus.Publish(ev)
	}
	if err := probe.Trusted(c); err != nil {
		progress(0, true, err)
		return nil, err
	}
	env := s.transferEnv()
	if argv, err := listing.Command(c, fs, env, listTimeouts.IO); err == nil {
		s.log.WithField("computer", c.Name).Debug("$ " + ShellQuote(argv...))
	}
	l, err := listing.List(ctx, c, fs, env, listTimeouts, func(n int) { progress(n, false, nil) })
	if err != nil {
		err = s.explainListing(ctx, c, err)
		s.log.WithField("computer", c.Name).Warn(err.Error())
	}
	progress(len(l), true, err)
	return l, err
}

// explainListing says why a listing failed in the words a probe uses.
func (s *Service) explainListing(ctx context.Context, c fleet.Computer, err error) error {
	var le *listing.Error
	switch {
	case ctx.Err() != nil || !errors.As(err, &le) || c.Local:
		return err
	case errors.Is(err, listing.ErrNoAnswer):
		return &probe.Error{Computer: c.Name, Status: StatusUnreachable, Reason: fmt.Sprintf("unreachable at %s: %v", c.Address(), le.Err)}
	}
	var sshLines []string
	for _, line := range le.Stderr {
		if !strings.HasPrefix(line, "rsync") {
			sshLines = append(sshLines, line)
		}
	}
	// ssh's own failure ends rsync with 255, or with 12 when ssh said no after starting.
	if len(sshLines) == 0 || le.ExitCode != 255 && le.ExitCode != 12 {
		return fmt.Errorf("%s: listing its folders failed: %s", c.Name, strings.Join(le.Stderr, "; "))
	}
	return probe.Explain(ctx, c, s.sshConfig(), 255, sshLines)
}

func projectNames(ps []fleet.Project) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}
