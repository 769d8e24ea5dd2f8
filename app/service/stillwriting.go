package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/listing"
	"filesync/sync/transfer"
	"filesync/sync/writers"
	"filesync/widgets/units"
)

// A file whose mtime is within youngAge of the listing may still be being written; it is
// listed again on its sender at least recheckGap after the listing, and sent only if its
// size and mtime have not moved. The age is generous so that a sender's clock a few
// minutes off still has its fresh files checked; the gap spans a writer's pause of a
// second between two writes.
const (
	youngAge   = 10 * time.Minute
	recheckGap = 1500 * time.Millisecond
	// recheckPaths bounds the files a recheck names one by one; past it the sender's
	// folders are listed again whole.
	recheckPaths = 256
)

// dropStillWriting leaves out of pl every file still being written on the computer that
// was to send it, and returns them: a file open for writing on this computer, or a file
// whose size or mtime changed on its sender since listedAt. The next sync takes them.
func (s *Service) dropStillWriting(ctx context.Context, pl *index.Plan, computers []fleet.Computer, fs []folders.Folder, listedAt time.Time) []StillWriting {
	busy := openOnThisComputer(*pl, computers) // sender → paths
	young := youngChanges(*pl, listedAt)
	if len(young) > 0 {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Until(listedAt.Add(recheckGap))):
		}
	}
	for from, changes := range young {
		if c, ok := fleet.ByName(computers, from); ok {
			for p := range s.changedSince(ctx, c, changes, fs) {
				mark(busy, from, p)
			}
		}
	}
	return dropBusy(pl, busy)
}

func mark(busy map[string]map[string]bool, computer, path string) {
	if busy[computer] == nil {
		busy[computer] = map[string]bool{}
	}
	busy[computer][path] = true
}

// openOnThisComputer are the files pl sends from a computer that is a folder on this
// machine and that a process here holds open for writing, whatever their age.
func openOnThisComputer(pl index.Plan, computers []fleet.Computer) map[string]map[string]bool {
	busy := map[string]map[string]bool{}
	open := map[string]map[string]bool{}
	for _, d := range pl.Deliveries {
		for _, ch := range d.Changes {
			c, ok := fleet.ByName(computers, ch.From)
			if ch.Delete || !ok || !c.Local {
				continue
			}
			if _, looked := open[c.Name]; !looked {
				open[c.Name] = openUnder(c)
			}
			if open[c.Name][ch.Path] {
				mark(busy, c.Name, ch.Path)
			}
		}
	}
	return busy
}

// openUnder lists the files open for writing under a local computer's root.
func openUnder(c fleet.Computer) map[string]bool {
	root, err := transfer.LocalRoot(c.Root)
	if err != nil {
		return nil
	}
	open, _ := writers.Open(root)
	return open
}

// youngChanges are the files of pl, by sender, whose listed mtime is within youngAge of
// listedAt (or after it).
func youngChanges(pl index.Plan, listedAt time.Time) map[string][]index.Change {
	out := map[string][]index.Change{}
	seen := map[string]bool{}
	for _, d := range pl.Deliveries {
		for _, c := range d.Changes {
			key := c.From + "\x00" + c.Path
			if c.Delete || seen[key] || time.Unix(c.MTime, 0).Before(listedAt.Add(-youngAge)) {
				continue
			}
			seen[key] = true
			out[c.From] = append(out[c.From], c)
		}
	}
	return out
}

// changedSince lists changes' files on c again and returns those that moved (or
// vanished).
func (s *Service) changedSince(ctx context.Context, c fleet.Computer, changes []index.Change, fs []folders.Folder) map[string]bool {
	busy := map[string]bool{}
	recheck := fs
	if len(changes) <= recheckPaths {
		recheck = make([]folders.Folder, len(changes))
		for i, ch := range changes {
			recheck[i] = folders.Folder{Path: ch.Path}
		}
	}
	now, err := listing.List(ctx, c, recheck, s.transferEnv(), listTimeouts, nil)
	if err != nil {
		s.log.WithField("computer", c.Name).Warnf("could not list the files to send again (%v); sending them as listed", err)
		return busy
	}
	current := map[string]listing.Entry{}
	for _, e := range now {
		current[e.Path] = e
	}
	for _, ch := range changes {
		e, ok := current[ch.Path]
		if !ok || e.Size != ch.Size || e.MTime != ch.MTime {
			busy[ch.Path] = true
		}
	}
	return busy
}

// dropBusy removes from pl the changes sent from a busy file, and the conflicts such a
// copy would have won, and returns what it removed, one per sender and path.
func dropBusy(pl *index.Plan, busy map[string]map[string]bool) []StillWriting {
	var out []StillWriting
	reported := map[string]bool{}
	for i, d := range pl.Deliveries {
		kept := index.Delivery{To: d.To, Halted: d.Halted}
		for _, c := range d.Changes {
			if c.Delete || !busy[c.From][c.Path] {
				kept.Add(c)
				continue
			}
			if key := c.From + "\x00" + c.Path; !reported[key] {
				reported[key] = true
				out = append(out, StillWriting{Computer: c.From, Project: c.Project, Path: c.Path})
			}
		}
		pl.Deliveries[i] = kept
	}
	var conflicts []index.Conflict
	for _, c := range pl.Conflicts {
		if !busy[c.Winner.Computer][c.Path] {
			conflicts = append(conflicts, c)
		}
	}
	pl.Conflicts = conflicts
	return out
}

// stillWritingNote is the summary's mention of the files left for the next sync.
func stillWritingNote(files []StillWriting) string {
	names := make([]string, 0, min(len(files), 3))
	for _, f := range files[:min(len(files), 3)] {
		names = append(names, f.Computer+":"+f.Path)
	}
	more := ""
	if len(files) > 3 {
		more = fmt.Sprintf(" and %d more", len(files)-3)
	}
	return fmt.Sprintf("%s still being written, left for the next sync (%s%s)", units.Count(len(files), "file"), strings.Join(names, ", "), more)
}
