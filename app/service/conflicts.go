package service

import "filesync/data"

// storeConflicts records the run's conflicts and halts in the history and logs them, so
// that the log says what the run overwrote or left alone.
func (s *Service) storeConflicts(res Result) {
	log := s.log.WithField("run", res.RunID)
	if err := s.store.AddConflictsAndHalts(res.RunID, runConflicts(res.Conflicts), runHalts(res.Halts)); err != nil {
		log.WithError(err).Warn("could not record the run's conflicts in the history")
	}
	if summary := ConflictSummary(res.Conflicts); summary != "" {
		log.Warn(summary)
	}
	for _, h := range res.Halts {
		log.WithField("computer", h.Computer).WithField("project", h.Project).Warn(h.Reason)
	}
}

func runConflicts(conflicts []Conflict) []data.RunConflict {
	out := make([]data.RunConflict, len(conflicts))
	for i, c := range conflicts {
		out[i] = data.RunConflict{Project: c.Project, Path: c.Path, Winner: c.Winner.Computer,
			WinnerSize: c.Winner.Size, WinnerMTime: c.Winner.MTime}
		for _, l := range c.Losers {
			out[i].Losers = append(out[i].Losers, data.ConflictLoser{Computer: l.Computer, Size: l.Size, MTime: l.MTime, Kept: l.Kept})
		}
	}
	return out
}

func runHalts(halts []Halt) []data.RunHalt {
	out := make([]data.RunHalt, len(halts))
	for i, h := range halts {
		out[i] = data.RunHalt{Computer: h.Computer, Project: h.Project, Reason: h.Reason}
	}
	return out
}

// StoredConflicts is what a run in the history reported, as its Result did: the files
// in conflict and the computers' projects it left alone.
func StoredConflicts(run data.Run) ([]Conflict, []Halt) {
	conflicts := make([]Conflict, len(run.Conflicts))
	for i, c := range run.Conflicts {
		conflicts[i] = Conflict{Project: c.Project, Path: c.Path,
			Winner: Version{Computer: c.Winner, Size: c.WinnerSize, MTime: c.WinnerMTime}}
		for _, l := range c.Losers {
			conflicts[i].Losers = append(conflicts[i].Losers, Version{Computer: l.Computer, Size: l.Size, MTime: l.MTime, Kept: l.Kept})
		}
	}
	halts := make([]Halt, len(run.Halts))
	for i, h := range run.Halts {
		halts[i] = Halt{Computer: h.Computer, Project: h.Project, Reason: h.Reason}
	}
	return conflicts, halts
}
