package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
)

// runPlanned runs a plan made from the fleet's listings. The listing stands for each
// computer's probe. Each destination gets one transfer per sending computer (and set of
// options), naming exactly the files it sends and the paths it deletes; the destination's
// folder locks keep its transfers one after the other.
func (r *runState) runPlanned(ctx context.Context) error {
	for _, c := range r.action.Listed {
		cr := c
		r.results[c.Name] = &cr
		r.emit(Event{Kind: ComputerChecked, Computer: &cr})
	}
	if t := r.results[r.action.Target]; r.action.Kind == SyncComputer && (t == nil || t.Status != fleet.StatusOK) {
		return fmt.Errorf("%s cannot take part, so nothing was transferred", r.action.Target)
	}
	r.markHalts()
	jobs, after, err := r.plannedJobs()
	if err != nil {
		return err
	}
	if err := r.runJobs(ctx, jobs); err != nil {
		return err
	}
	return r.runJobs(ctx, after)
}

// markHalts fails the computers whose project the plan left alone, with the reasons.
func (r *runState) markHalts() {
	for _, h := range r.action.Planned.Halts {
		cr := r.results[h.Computer]
		switch {
		case cr == nil:
		case cr.Status == fleet.StatusOK:
			cr.Status, cr.Reason = fleet.StatusFailed, h.Reason
		case cr.Status == fleet.StatusFailed:
			cr.Reason += "; " + h.Reason
		}
	}
}

// listedGroup is the changes one destination receives from one computer with one set of
// options: one rsync.
type listedGroup struct {
	from       string
	key        optionsKey
	files      []string
	folders    []folders.Folder
	projects   []string
	folded     []string
	deletes    bool
	overwrites bool
	sends      int // regular files sent
	changes    []index.Change
	fuzzy      bool // look for a renamed file's old copy as the basis
}

// splitRenames returns g, or, when a deletion and a send of g look like a rename, its
// sends (with --fuzzy) and its deletions as two groups.
func (g *listedGroup) splitRenames(resolved map[string][]folders.Folder) (*listedGroup, *listedGroup) {
	deleted := map[[2]int64]bool{}
	for _, c := range g.changes {
		if c.Delete && !c.Folder {
			deleted[[2]int64{c.Size, c.MTime}] = true
		}
	}
	renamed := slices.ContainsFunc(g.changes, func(c index.Change) bool { return !c.Delete && deleted[[2]int64{c.Size, c.MTime}] })
	if !renamed {
		return g, nil
	}
	sends := &listedGroup{from: g.from, key: g.key, fuzzy: true}
	deletes := &listedGroup{from: g.from, key: g.key}
	for _, c := range g.changes {
		part := sends
		if c.Delete {
			part = deletes
		}
		part.add(c, resolved[c.Project])
	}
	return sends, deletes
}

func (g *listedGroup) add(c index.Change, fs []folders.Folder) {
	g.changes = append(g.changes, c)
	g.files = append(g.files, c.Path)
	g.deletes = g.deletes || c.Delete
	g.overwrites = g.overwrites || c.Overwrites
	if !c.Delete && !c.Link {
		g.sends++
	}
	if c.Folder {
		g.folded = append(g.folded, c.Path)
	}
	if len(g.projects) == 0 || g.projects[len(g.projects)-1] != c.Project {
		g.projects = append(g.projects, c.Project)
		g.folders = append(g.folders, fs...)
	}
}

// plannedJobs are the plan's transfers, and those that must wait for them: the deletions
// of a pair of computers whose sends look like renames (a file deleted and one sent of the
// same size and mtime) run after the sends, which find the old file as their basis
// (rsync --fuzzy) instead of sending its data again.
func (r *runState) plannedJobs() ([]job, []job, error) {
	return r.deliveryJobs(r.action.Planned.Deliveries)
}

// runDeletions sends a push's deletions to every reachable computer but the sender.
func (r *runState) runDeletions(ctx context.Context, reachable map[string]fleet.Computer) error {
	var ds []index.Delivery
	for _, c := range r.action.Computers {
		if _, ok := reachable[c.Name]; ok && c.Name != r.action.Target {
			ds = append(ds, index.Delivery{To: c.Name, Changes: r.action.Deletions})
		}
	}
	jobs, _, err := r.deliveryJobs(ds)
	if err != nil {
		return err
	}
	return r.runJobs(ctx, jobs)
}

// deliveryJobs are the listed transfers of ds: one per destination, sending computer and
// set of options, or two where renames are likely (see plannedJobs): the sends first, then
// the deletions.
func (r *runState) deliveryJobs(ds []index.Delivery) ([]job, []job, error) {
	resolved := map[string][]folders.Folder{}
	projects := map[string]fleet.Project{}
	for _, p := range r.action.Projects {
		res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
		if err != nil {
			return nil, nil, fmt.Errorf("project %s: %w", p.Name, err)
		}
		resolved[p.Name], projects[p.Name] = res.Folders, p
	}
	var jobs, after []job
	for _, d := range ds {
		var groups []*listedGroup
		for _, c := range d.Changes {
			g := groupFor(&groups, c.From, r.optionsKey(projects[c.Project]))
			g.add(c, resolved[c.Project])
		}
		for _, g := range groups {
			sends, deletes := g.splitRenames(resolved)
			jobs = append(jobs, r.listedJob(sends, d.To))
			if deletes != nil {
				after = append(after, r.listedJob(deletes, d.To))
			}
		}
	}
	return jobs, after, nil
}

func groupFor(groups *[]*listedGroup, from string, key optionsKey) *listedGroup {
	for _, g := range *groups {
		if g.from == from && g.key == key {
			return g
		}
	}
	g := &listedGroup{from: from, key: key}
	*groups = append(*groups, g)
	return g
}

// listedJob is the transfer of g to the destination. Deleted and overwritten-in-conflict
// files always go into the destination's versions, whatever the project keeps otherwise.
func (r *runState) listedJob(g *listedGroup, to string) job {
	key := g.key
	key.versions = key.versions || g.deletes || g.overwrites
	tj := r.transferJob(r.computer(g.from), r.computer(to), g.folders, key)
	tj.Files = make([]string, len(g.files))
	for i, f := range g.files {
		tj.Files[i] = strings.TrimSuffix(f, "/")
	}
	tj.Options.DeleteMissing, tj.Options.Fuzzy = g.deletes, g.fuzzy
	j := r.newJob(tj)
	j.shown.Projects, j.folded, j.sends = g.projects, g.folded, g.sends
	return j
}
