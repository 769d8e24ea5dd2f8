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

// ConflictText is a conflict in words: the file and the copy that won on its first line,
// then one indented line for each copy it overwrote and where that copy was kept.
func ConflictText(c Conflict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (project %s): %s won", c.Path, c.Project, versionText(c.Winner))
	for _, l := range c.Losers {
		kept := "not kept"
		if l.Kept != "" {
			kept = "kept in " + l.Kept
		}
		fmt.Fprintf(&b, "\n  %s: %s", versionText(l), kept)
	}
	return b.String()
}

func versionText(v Version) string {
	return fmt.Sprintf("%s's copy (modified %s, %s)", v.Computer, time.Unix(v.MTime, 0).Local().Format(time.DateTime), units.Bytes(v.Size))
}

// HaltText is a held-back project in words: "gpu-2, project p: its folder … is missing".
func HaltText(h Halt) string {
	return fmt.Sprintf("%s, project %s: %s", h.Computer, h.Project, h.Reason)
}
