package cli

import (
	"fmt"

	"filesync/app/service"
)

// printConflicts lists a run's conflicts and halts.
func (a *appContext) printConflicts(conflicts []service.Conflict, halts []service.Halt) {
	fmt.Fprint(a.stdout, service.ConflictReport(conflicts, halts))
}

type versionJSON struct {
	Computer string `json:"computer"`
	Size     int64  `json:"size"`
	MTime    int64  `json:"mtime"`          // Unix seconds
	Kept     string `json:"kept,omitempty"` // where an overwritten copy was kept
}

type conflictJSON struct {
	Project string        `json:"project"`
	Path    string        `json:"path"`
	Winner  versionJSON   `json:"winner"`
	Losers  []versionJSON `json:"losers"`
}

type haltJSON struct {
	Computer string `json:"computer"`
	Project  string `json:"project"`
	Reason   string `json:"reason"`
}

func conflictsView(conflicts []service.Conflict) []conflictJSON {
	out := []conflictJSON{}
	for _, c := range conflicts {
		cj := conflictJSON{Project: c.Project, Path: c.Path, Winner: versionView(c.Winner), Losers: []versionJSON{}}
		for _, l := range c.Losers {
			cj.Losers = append(cj.Losers, versionView(l))
		}
		out = append(out, cj)
	}
	return out
}

func versionView(v service.Version) versionJSON {
	return versionJSON{v.Computer, v.Size, v.MTime, v.Kept}
}

func haltsView(halts []service.Halt) []haltJSON {
	out := []haltJSON{}
	for _, h := range halts {
		out = append(out, haltJSON{h.Computer, h.Project, h.Reason})
	}
	return out
}
