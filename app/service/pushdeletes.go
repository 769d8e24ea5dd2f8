package service

import (
	"context"
	"slices"
	"strings"

	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/listing"
)

// othersName stands, in a push's deletion plan, for every computer the push reaches.
const othersName = "every other computer"

// pushDeletions is what a push carries of its sender's deletions.
type pushDeletions struct {
	projects []index.Project
	agreed   agreement // the sender's
	halts    []Halt
}

// planPushDeletions finds what the sender deleted since its agreed state, in the projects
// that propagate deletions (and merge), and puts it in a.Deletions. It is planned as a
// Sync all between the sender and a computer holding exactly the sender's agreed files,
// so a push decides as a sync does: folders deleted as a whole are one change, a missing
// or emptied folder of the sender halts its project, and deleting more than half stops
// unless forced. A sender never synced deletes nothing.
func (s *Service) planPushDeletions(ctx context.Context, a *engine.Action) (pushDeletions, error) {
	var projects []fleet.Project
	for _, p := range a.Projects {
		if p.Deletes == fleet.Propagate && p.Mode != fleet.Mirror {
			projects = append(projects, p)
		}
	}
	if len(projects) == 0 {
		return pushDeletions{}, nil
	}
	agreed, err := s.agreedState(projects)
	if err != nil {
		return pushDeletions{}, err
	}
	ag, synced := agreed[a.Target]
	if !synced {
		return pushDeletions{}, nil
	}
	sender, _ := fleet.ByName(a.Computers, a.Target)
	pd := pushDeletions{projects: resolveAll(projects), agreed: ag}
	now, err := s.listOne(ctx, sender, allFolders(pd.projects))
	if err != nil {
		return pushDeletions{}, err
	}
	members := []index.Member{
		{Name: a.Target, Listing: now, Agreed: ag.listings, AgreedAt: ag.at},
		{Name: othersName, Listing: allOf(ag.listings), Agreed: ag.listings, AgreedAt: ag.at},
	}
	pl := index.Build(members, pd.projects).SyncAll(a.Force)
	for _, d := range pl.Deliveries {
		for _, c := range d.Changes {
			if d.To == othersName && c.Delete {
				a.Deletions = append(a.Deletions, c)
			}
		}
	}
	pd.halts = pl.Halts
	return pd, nil
}

// allOf is the listings of every project as one listing, sorted by path.
func allOf(byProject map[string]listing.Listing) listing.Listing {
	var all listing.Listing
	for _, l := range byProject {
		all = append(all, l...)
	}
	return listing.Sorted(all)
}

// forgetDeleted drops, after a push that delivered its deletions, the deleted paths from
// the sender's agreed state, which keeps its time: the sender still agrees with the
// fleet on everything else it held then, and the next push need not delete them again.
func (s *Service) forgetDeleted(sender string, pd pushDeletions, deletions []index.Change) {
	var rows []data.AgreedListing
	for _, p := range pd.projects {
		l, synced := pd.agreed.listings[p.Name]
		if !synced {
			continue
		}
		gone := deletedIn(p.Name, deletions)
		kept := slices.DeleteFunc(slices.Clone(l), gone)
		b, err := listing.Encode(kept)
		if err != nil {
			s.log.WithError(err).Warn("the sender's agreed state was not updated")
			return
		}
		rows = append(rows, data.AgreedListing{Computer: sender, Project: p.Name, TakenAt: pd.agreed.at[p.Name], Files: len(kept), Listing: b})
	}
	if err := s.store.SaveAgreed(rows); err != nil {
		s.log.WithError(err).Warn("the sender's agreed state was not updated")
	}
}

// deletedIn reports whether an entry of project ("": of any) is one of the deletions or
// inside a deleted folder.
func deletedIn(project string, deletions []index.Change) func(listing.Entry) bool {
	files := map[string]bool{}
	var folders []string
	for _, c := range deletions {
		switch {
		case project != "" && c.Project != project:
		case c.Folder:
			folders = append(folders, c.Path+"/")
		default:
			files[c.Path] = true
		}
	}
	return func(e listing.Entry) bool {
		return files[e.Path] || slices.ContainsFunc(folders, func(f string) bool { return e.Path+"/" == f || strings.HasPrefix(e.Path, f) })
	}
}
