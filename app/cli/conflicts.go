package cli

import (
	"fmt"
	"strings"

	"filesync/app/service"
)

// printConflicts writes the line about a run's conflicts and each conflict under it,
// then the line about its halts and each halt under that.
func (a *appContext) printConflicts(conflicts []service.Conflict, halts []service.Halt) {
	if line := service.ConflictSummary(conflicts); line != "" {
		fmt.Fprintln(a.stdout, line)
	}
	for _, c := range conflicts {
		fmt.Fprintln(a.stdout, indent(service.ConflictText(c)))
	}
	if line := service.HaltSummary(halts); line != "" {
		fmt.Fprintln(a.stdout, line)
	}
	for _, h := range halts {
		fmt.Fprintln(a.stdout, indent(service.HaltText(h)))
	}
}

func indent(text string) string { return "  " + strings.ReplaceAll(text, "\n", "\n  ") }

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
