package service

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"filesync/sync/rsync"
	"filesync/widgets/units"
)

// ConflictSummary is one line about a run's conflicts, e.g. "2 conflicts — older copies
// kept in gpu-2:~/mlcomp/.filesync/versions/20261202-031500-run7"; "" when there were none.
func ConflictSummary(conflicts []Conflict) string {
	if len(conflicts) == 0 {
		return ""
	}
	var kept []string
	lost := 0
	for _, c := range conflicts {
		for _, l := range c.Losers {
			if l.Kept == "" {
				lost++
			} else if folder := versionsFolder(l.Kept); !slices.Contains(kept, folder) {
				kept = append(kept, folder)
			}
		}
	}
	var parts []string
	if len(kept) > 0 {
		parts = append(parts, "older copies kept in "+strings.Join(kept, ", "))
	}
	if lost > 0 {
		parts = append(parts, units.Count(lost, "overwritten file")+" not kept")
	}
	count := units.Count(len(conflicts), "conflict")
	if len(parts) == 0 {
		return count
	}
	return count + " — " + strings.Join(parts, "; ")
}

// versionsFolder is the run's versions folder a kept copy lies in, as computer:path.
func versionsFolder(kept string) string {
	marker := "/" + rsync.VersionsDir + "/"
	i := strings.Index(kept, marker)
	if i < 0 {
		return path.Dir(kept)
	}
	run, _, _ := strings.Cut(kept[i+len(marker):], "/")
	return kept[:i+len(marker)] + run
}

// HaltSummary is one line listing the computers' projects a run held back, e.g.
// "2 projects held back: p on gpu-2, q on nas"; "" when there were none.
func HaltSummary(halts []Halt) string {
	if len(halts) == 0 {
		return ""
	}
	names := make([]string, len(halts))
	for i, h := range halts {
		names[i] = h.Project + " on " + h.Computer
	}
	return units.Count(len(halts), "project") + " held back: " + strings.Join(names, ", ")
}

// ConflictReport lists a run's conflicts under ConflictSummary's line, each with the copy
// that won and, indented under it, each copy it overwrote and where that copy was kept;
// then its halts under HaltSummary's line. Every line ends in a newline; "" when there
// were neither.
func ConflictReport(conflicts []Conflict, halts []Halt) string {
	var b strings.Builder
	if line := ConflictSummary(conflicts); line != "" {
		b.WriteString(line + "\n")
	}
	for _, c := range conflicts {
		writeConflict(&b, c)
	}
	if line := HaltSummary(halts); line != "" {
		b.WriteString(line + "\n")
	}
	for _, h := range halts {
		fmt.Fprintf(&b, "  project %s: %s\n", h.Project, h.Reason)
	}
	return b.String()
}

func writeConflict(b *strings.Builder, c Conflict) {
	fmt.Fprintf(b, "  %s (project %s): %s won\n", c.Path, c.Project, versionText(c.Winner))
	for _, l := range c.Losers {
		kept := "not kept"
		if l.Kept != "" {
			kept = "kept in " + l.Kept
		}
		fmt.Fprintf(b, "    %s: %s\n", versionText(l), kept)
	}
}

func versionText(v Version) string {
	return fmt.Sprintf("%s's copy (modified %s, %s)", v.Computer, time.Unix(v.MTime, 0).Local().Format(time.DateTime), units.Bytes(v.Size))
}
