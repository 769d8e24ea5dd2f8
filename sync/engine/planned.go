package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/plan"
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
	pr, err := r.plannedJobs(ctx)
	if err != nil {
		return err
	}
	for stage := 0; ; stage++ {
		jobs, more := pr.stage(r, stage)
		if !more {
			break
		}
		if err := r.runJobs(ctx, jobs); err != nil {
			return err
		}
	}
	return r.runJobs(ctx, pr.after)
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
	sends      int   // regular files sent
	bytes      int64 // their size
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
		g.bytes += c.Size
	}
	if c.Folder {
		g.folded = append(g.folded, c.Path)
	}
	if len(g.projects) == 0 || g.projects[len(g.projects)-1] != c.Project {
		g.projects = append(g.projects, c.Project)
		g.folders = append(g.folders, fs...)
	}
}

// plannedJobs are the plan's transfers, in stages, and none to a destination whose disk
// cannot take the bytes it would receive (see guardSpace). The deletions of a pair of
// computers whose sends look like renames (a file deleted and one sent of the same size
// and mtime) run after the sends, which find the old file as their basis (rsync --fuzzy)
// instead of sending its data again.
func (r *runState) plannedJobs(ctx context.Context) (plannedRun, error) {
	needs := map[string]int64{}
	for _, d := range r.action.Planned.Deliveries {
		if r.results[d.To] != nil {
			needs[d.To] += d.Bytes
		}
	}
	r.refused = r.guardSpace(ctx, needs, true)
	var ds []index.Delivery
	for _, d := range r.action.Planned.Deliveries {
		if !r.refused[d.To] {
			ds = append(ds, d)
		}
	}
	return r.deliveryJobs(ds)
}

// fanOutBytes: files of at least this much that many destinations need from one computer
// go through a relay tree (receivers pass them on), so the sender's uplink carries
// ⌈log2 N⌉ copies instead of N−1.
const fanOutBytes = 64 << 20

// plannedRun is a planned run's transfers: the first stage, the relay trees of the files
// many destinations need from one computer, and the transfers that wait for all others.
type plannedRun struct {
	first []job
	trees []*fanOut
	after []job
}

// fanOut is one group of files that several destinations need from one computer, sent
// round by round from those that already hold them.
type fanOut struct {
	group  *listedGroup
	rounds [][]plan.Step
	sent   map[string]*job // by destination: the job that sent it the files
}

// stage returns the jobs of stage i (the first, or round i of every tree), and whether
// there is such a stage. A receiver whose transfer failed passes nothing on: its round's
// destination gets the files from the first sender.
func (pr *plannedRun) stage(r *runState, i int) ([]job, bool) {
	var jobs []job
	more := i == 0
	if i == 0 {
		jobs = append(jobs, pr.first...)
	}
	for _, t := range pr.trees {
		if i >= len(t.rounds) {
			continue
		}
		more = true
		for _, step := range t.rounds[i] {
			from := step.From
			if prev, ok := t.sent[from]; ok && !r.succeeded(prev.shown.Index) {
				from = t.group.from
			}
			g := *t.group
			g.from = from
			j := r.listedJob(&g, step.To)
			t.sent[step.To] = &j
			jobs = append(jobs, j)
		}
	}
	return jobs, more
}

// succeeded reports whether the run's transfer numbered index ended without an error.
func (r *runState) succeeded(index int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.done {
		if t.Index == index {
			return t.Error == ""
		}
	}
	return false
}

// runDeletions sends a push's deletions to every reachable computer but the sender.
func (r *runState) runDeletions(ctx context.Context, reachable map[string]fleet.Computer) error {
	var ds []index.Delivery
	for _, c := range r.action.Computers {
		if _, ok := reachable[c.Name]; ok && c.Name != r.action.Target {
			ds = append(ds, index.Delivery{To: c.Name, Changes: r.action.Deletions})
		}
	}
	pr, err := r.deliveryJobs(ds)
	if err != nil {
		return err
	}
	return r.runJobs(ctx, pr.first)
}

// deliveryJobs are the listed transfers of ds: one per destination, sending computer and
// set of options, or two where renames are likely (see plannedJobs): the sends first, then
// the deletions. Large groups of files that more than RelayThreshold−1 destinations need
// alike from one computer go through a relay tree instead.
func (r *runState) deliveryJobs(ds []index.Delivery) (plannedRun, error) {
	resolved := map[string][]folders.Folder{}
	projects := map[string]fleet.Project{}
	for _, p := range r.action.Projects {
		res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
		if err != nil {
			return plannedRun{}, fmt.Errorf("project %s: %w", p.Name, err)
		}
		resolved[p.Name], projects[p.Name] = res.Folders, p
	}
	var pr plannedRun
	var order []string             // the groups alike, in the plan's order
	alike := map[string][]string{} // their destinations
	groupOf := map[string]*listedGroup{}
	// Without an agent, a receiver passing files on relays them through this computer,
	// which the sender could as well have sent them from.
	passOn := r.engine.cfg.Env.Agent
	for _, d := range ds {
		var groups []*listedGroup
		for _, c := range d.Changes {
			g := groupFor(&groups, c.From, r.optionsKey(projects[c.Project]))
			g.add(c, resolved[c.Project])
		}
		for _, g := range groups {
			sends, deletes := g.splitRenames(resolved)
			if passOn && deletes == nil && !g.deletes && g.bytes >= fanOutBytes {
				k := g.sameAs()
				if _, seen := alike[k]; !seen {
					order = append(order, k)
				}
				alike[k], groupOf[k] = append(alike[k], d.To), g
				continue
			}
			pr.first = append(pr.first, r.listedJob(sends, d.To))
			if deletes != nil {
				pr.after = append(pr.after, r.listedJob(deletes, d.To))
			}
		}
	}
	for _, k := range order {
		g, dests := groupOf[k], alike[k]
		if len(dests)+1 <= plan.RelayThreshold {
			for _, to := range dests {
				pr.first = append(pr.first, r.listedJob(g, to))
			}
			continue
		}
		pr.trees = append(pr.trees, &fanOut{group: g, rounds: plan.Push(g.from, dests).Rounds, sent: map[string]*job{}})
	}
	return pr, nil
}

// sameAs is what two destinations' groups share when one could pass the other its files.
func (g *listedGroup) sameAs() string {
	return fmt.Sprintf("%s\x00%v\x00%s", g.from, g.key, strings.Join(g.files, "\x00"))
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

// settled are the conflicts the run settled: a losing copy on a computer a transfer to
// which failed (or was refused) may not have been overwritten, so it is no loser yet; the
// next sync finds the conflict again.
func settled(conflicts []index.Conflict, transfers []TransferResult, refused map[string]bool) []index.Conflict {
	failed := maps.Clone(refused)
	if failed == nil {
		failed = map[string]bool{}
	}
	for _, t := range transfers {
		failed[t.To] = failed[t.To] || t.Error != ""
	}
	var out []index.Conflict
	for _, c := range conflicts {
		c.Losers = slices.DeleteFunc(slices.Clone(c.Losers), func(l index.Version) bool { return failed[l.Computer] })
		if len(c.Losers) > 0 {
			out = append(out, c)
		}
	}
	return out
}
