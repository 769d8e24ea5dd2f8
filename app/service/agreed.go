package service

import (
	"context"
	"time"

	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/listing"
	"filesync/widgets/units"
)

// agreedState loads the listings stored after the last complete syncs, by computer and
// project. A listing that cannot be read counts as never synced, with a warning.
func (s *Service) agreedState(projects []fleet.Project) (map[string]map[string]listing.Listing, error) {
	stored, err := s.store.Agreed(projectNames(projects))
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]listing.Listing{}
	for _, a := range stored {
		l, err := listing.Decode(a.Listing)
		if err != nil {
			s.log.WithField("computer", a.Computer).WithField("project", a.Project).Warn(
				"the last agreed state cannot be read (" + err.Error() + "); the next complete sync stores it again")
			continue
		}
		if out[a.Computer] == nil {
			out[a.Computer] = map[string]listing.Listing{}
		}
		out[a.Computer][a.Project] = l
	}
	return out, nil
}

// recordAgreed lists, after a complete sync, what the computers that received ended with
// and stores it, all of it at once, as the fleet's last agreed state.
func (s *Service) recordAgreed(ctx context.Context, a engine.Action) {
	computers := a.Computers
	if a.Kind == engine.SyncComputer {
		c, _ := fleet.ByName(a.Computers, a.Target)
		computers = []fleet.Computer{c}
	}
	projects := resolveAll(a.Projects)
	members := s.listAll(ctx, computers, projects)
	var rows []data.AgreedListing
	var files, size int
	now := time.Now()
	for _, m := range members {
		if m.Err != nil {
			s.log.WithField("computer", m.Name).Warn("the fleet's agreed state was not stored: " + m.Err.Error())
			return
		}
		for _, p := range projects {
			l := m.Listing.In(p.Folders)
			b, err := listing.Encode(l)
			if err != nil {
				s.log.WithError(err).Warn("the fleet's agreed state was not stored")
				return
			}
			rows = append(rows, data.AgreedListing{Computer: m.Name, Project: p.Name, TakenAt: now, Files: len(l), Listing: b})
			files, size = files+len(l), size+len(b)
		}
	}
	if err := s.store.SaveAgreed(rows); err != nil {
		s.log.WithError(err).Warn("the fleet's agreed state was not stored")
		return
	}
	s.log.Debugf("stored the fleet's agreed state: %d listings, %d paths in %s", len(rows), files, units.Bytes(int64(size)))
}
