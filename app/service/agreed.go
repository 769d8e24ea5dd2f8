package service

import (
	"context"
	"time"

	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/listing"
	"filesync/widgets/units"
)

// agreement is a computer's agreed states, by project, and when each was taken.
type agreement struct {
	listings map[string]listing.Listing
	at       map[string]time.Time
}

// agreedState loads the listings stored after the last complete syncs, by computer. A
// listing that cannot be read counts as never synced, with a warning.
func (s *Service) agreedState(projects []fleet.Project) (map[string]agreement, error) {
	stored, err := s.store.Agreed(projectNames(projects))
	if err != nil {
		return nil, err
	}
	out := map[string]agreement{}
	for _, a := range stored {
		l, err := listing.Decode(a.Listing)
		if err != nil {
			s.log.WithField("computer", a.Computer).WithField("project", a.Project).Warn(
				"the last agreed state cannot be read (" + err.Error() + "); the next complete sync stores it again")
			continue
		}
		ag, ok := out[a.Computer]
		if !ok {
			ag = agreement{listings: map[string]listing.Listing{}, at: map[string]time.Time{}}
			out[a.Computer] = ag
		}
		ag.listings[a.Project], ag.at[a.Project] = l, a.TakenAt
	}
	return out, nil
}

// recordAgreed stores, after a planned sync, what each computer that received and ended
// ok now holds, as its agreed state: the base that tells "deleted here" from "new there"
// in the next sync. Only a sync that listed every computer stores anything, so an agreed
// state never misses a file that lived only on a computer that was down. A computer holds
// what it was listed with, changed as planned; one whose transfers sent fewer files than
// planned (changed after the listing) is listed again.
func (s *Service) recordAgreed(ctx context.Context, a engine.Action, f indexedFleet, res Result) {
	for _, m := range f.members {
		if m.Err != nil {
			return
		}
	}
	deliveries := map[string]index.Delivery{}
	for _, d := range a.Planned.Deliveries {
		deliveries[d.To] = d
	}
	var relist []fleet.Computer
	listed := map[string]listing.Listing{}
	for i, m := range f.members {
		switch d, receiver := deliveries[m.Name]; {
		case !receiver || !computerOK(res, m.Name):
		case sentAsPlanned(res, d):
			listed[m.Name] = applied(m.Listing, d.Changes)
		default:
			relist = append(relist, f.computers[i])
		}
	}
	for _, m := range s.listAll(ctx, relist, f.resolved) {
		if m.Err != nil {
			s.log.WithField("computer", m.Name).Warn("its agreed state was not stored: " + m.Err.Error())
			continue
		}
		listed[m.Name] = m.Listing
	}
	s.saveAgreed(listed, f.resolved)
}

// sentAsPlanned reports whether d's destination received every regular file planned.
func sentAsPlanned(res Result, d index.Delivery) bool {
	planned, sent := 0, int64(0)
	for _, c := range d.Changes {
		if !c.Delete && !c.Link {
			planned++
		}
	}
	for _, t := range res.Transfers {
		if t.To == d.To {
			sent += t.Files
		}
	}
	return sent >= int64(planned)
}

// applied is l after changes: the files sent take their new size and time, the deleted
// files and folders are gone.
func applied(l listing.Listing, changes []index.Change) listing.Listing {
	gone := deletedIn("", changes)
	sent := map[string]bool{}
	for _, c := range changes {
		if !c.Delete {
			sent[c.Path] = true
		}
	}
	out := make(listing.Listing, 0, len(l)+len(sent))
	for _, e := range l {
		if !gone(e) && !sent[e.Path] {
			out = append(out, e)
		}
	}
	for _, c := range changes {
		if !c.Delete {
			kind := listing.File
			if c.Link {
				kind = listing.Link
			}
			out = append(out, listing.Entry{Path: c.Path, Kind: kind, Size: c.Size, MTime: c.MTime})
		}
	}
	return listing.Sorted(out)
}

func computerOK(res Result, name string) bool {
	for _, c := range res.Computers {
		if c.Name == name {
			return c.Status == StatusOK
		}
	}
	return false
}

// saveAgreed stores each computer's listing, project by project, in one transaction.
func (s *Service) saveAgreed(listed map[string]listing.Listing, projects []index.Project) {
	var rows []data.AgreedListing
	var files, size int
	now := time.Now()
	for name, l := range listed {
		for _, p := range projects {
			in := l.In(p.Folders)
			b, err := listing.Encode(in)
			if err != nil {
				s.log.WithError(err).Warn("the fleet's agreed state was not stored")
				return
			}
			rows = append(rows, data.AgreedListing{Computer: name, Project: p.Name, TakenAt: now, Files: len(in), Listing: b})
			files, size = files+len(in), size+len(b)
		}
	}
	if err := s.store.SaveAgreed(rows); err != nil {
		s.log.WithError(err).Warn("the fleet's agreed state was not stored")
		return
	}
	s.log.Debugf("stored the fleet's agreed state: %d listings, %d paths in %s", len(rows), files, units.Bytes(int64(size)))
}
