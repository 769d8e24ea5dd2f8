package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/versions"
)

// PrunedVersion is a kept copy a prune removed (or, in a dry run, would remove), and why.
type PrunedVersion struct {
	KeptVersion
	Reason string // "older than 30 days"
}

// PruneReport is what a prune removed, and the space versions take afterwards.
type PruneReport struct {
	DryRun  bool
	Removed []PrunedVersion // oldest first
	Folders []string        // run folders and folders removed whole, as computer:path
	Space   []VersionSpace  // per computer, after the prune
	Errors  []string        // computers that could not be listed or pruned, with why
}

// Bytes is the space the removed copies took.
func (r PruneReport) Bytes() int64 {
	var n int64
	for _, v := range r.Removed {
		n += v.Size
	}
	return n
}

// PruneVersions applies the retention policy of every project (or of the one named) to
// the copies kept on every enabled computer, and removes the copies it expires, with the
// folders they leave empty and the run folders that hold nothing. Each removal is logged.
// With dryRun nothing is removed. A computer that fails is reported and the others go on.
func (s *Service) PruneVersions(ctx context.Context, project string, dryRun bool) (PruneReport, error) {
	if err := s.pinKnownHosts(); err != nil {
		return PruneReport{}, err
	}
	computers, err := s.versionComputers(ctx, "")
	if err != nil {
		return PruneReport{}, err
	}
	projects, err := s.versionProjects(project)
	if err != nil {
		return PruneReport{}, err
	}
	return s.prune(ctx, computers, projects, dryRun, time.Now()), nil
}

// prune is PruneVersions over computers and projects at now.
func (s *Service) prune(ctx context.Context, computers []fleet.Computer, projects []resolvedProject, dryRun bool, now time.Time) PruneReport {
	report := PruneReport{DryRun: dryRun}
	byName := map[string]fleet.Computer{}
	for _, c := range computers {
		byName[c.Name] = c
	}
	for _, sc := range s.scanVersions(ctx, computers, projects, false) {
		if sc.err != nil {
			report.Errors = append(report.Errors, sc.err.Error())
			report.Space = append(report.Space, sc.space())
			continue
		}
		removed := expiredBy(sc, projects, now)
		doomed := versions.Doomed(sc.folders, keptOf(removed), s.runBusy)
		if !dryRun && len(doomed) > 0 {
			if _, err := versions.Remove(ctx, byName[sc.computer], doomed, s.transferEnv(), listTimeouts.IO); err != nil {
				report.Errors = append(report.Errors, err.Error())
				s.log.WithField("computer", sc.computer).Warn(err.Error())
				report.Space = append(report.Space, sc.space())
				continue
			}
		}
		s.logRemovals(removed, dryRun)
		report.Removed = append(report.Removed, removed...)
		for _, d := range doomed {
			report.Folders = append(report.Folders, sc.computer+":"+d)
		}
		report.Space = append(report.Space, spaceAfter(sc, removed, dryRun))
	}
	return report
}

// expiredBy is, project by project, what the project's policy removes of sc's copies.
func expiredBy(sc versionScan, projects []resolvedProject, now time.Time) []PrunedVersion {
	byProject := map[string][]versions.Kept{}
	for _, k := range sc.folders.Kept {
		if p := projectOf(projects, k.Path); p != "" {
			byProject[p] = append(byProject[p], k)
		}
	}
	var out []PrunedVersion
	for _, p := range projects {
		for _, r := range versions.Expired(byProject[p.name], p.policy, now) {
			out = append(out, PrunedVersion{KeptVersion: KeptVersion{Kept: r.Kept, Project: p.name}, Reason: r.Reason})
		}
	}
	return out
}

func keptOf(rs []PrunedVersion) []versions.Kept {
	out := make([]versions.Kept, len(rs))
	for i, r := range rs {
		out[i] = r.Kept
	}
	return out
}

func spaceAfter(sc versionScan, removed []PrunedVersion, dryRun bool) VersionSpace {
	sp := sc.space()
	if !dryRun {
		sp.Files -= len(removed)
		for _, r := range removed {
			sp.Bytes -= r.Size
		}
	}
	return sp
}

func (s *Service) logRemovals(removed []PrunedVersion, dryRun bool) {
	verb := "removed"
	if dryRun {
		verb = "would remove"
	}
	for _, r := range removed {
		s.log.WithField("computer", r.Computer).WithField("project", r.Project).WithField("run", r.RunID).
			Infof("%s version %s of %s (%s)", verb, r.Path, r.Time.Local().Format("2006-01-02 15:04"), r.Reason)
	}
}

// runBusy reports whether the run whose versions folder is named run is in progress in
// this process: its folder may be empty now and filling.
func (s *Service) runBusy(run string) bool {
	_, id, err := versions.ParseRun(run)
	if err != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, busy := s.active[id]
	return busy
}

// autoPruneEvery spaces the prunes runs make on one computer: expiry counts in hours and
// days, and a prune lists the computer, which a watch pushing every second must not pay
// each time.
const autoPruneEvery = time.Hour

// duePrune are the computers that ended res ok and were not pruned by a run of this
// service within autoPruneEvery; it notes them as pruned at now.
func (s *Service) duePrune(computers []fleet.Computer, res Result, now time.Time) []fleet.Computer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []fleet.Computer
	for _, c := range computers {
		if computerOK(res, c.Name) && now.Sub(s.pruned[c.Name]) >= autoPruneEvery {
			s.pruned[c.Name] = now
			due = append(due, c)
		}
	}
	return due
}

// pruneAfter applies the retention policies after a run that transferred files, to the
// computers that took part and ended ok, each at most every autoPruneEvery: best effort,
// logged, never failing the run. A run that changed nothing kept nothing new, so a no-op
// sync stays the listing round alone.
func (s *Service) pruneAfter(ctx context.Context, a engine.Action, res Result) {
	if res.Status != StatusOK || res.Files == 0 || ctx.Err() != nil {
		return
	}
	computers := s.duePrune(a.Computers, res, time.Now())
	if len(computers) == 0 {
		return
	}
	projects, err := s.versionProjects("")
	if err != nil {
		s.log.WithField("run", res.RunID).Warn("old versions were not pruned: " + err.Error())
		return
	}
	report := s.prune(ctx, computers, projects, false, time.Now())
	if len(report.Errors) > 0 {
		s.log.WithField("run", res.RunID).Warn("old versions were not pruned everywhere: " + strings.Join(report.Errors, "; "))
	}
	if len(report.Removed) > 0 {
		s.log.WithField("run", res.RunID).Info(fmt.Sprintf("pruned %d old versions", len(report.Removed)))
	}
}
