package index

import (
	"fmt"
	"slices"

	"filesync/sync/listing"
)

// fate is what a sync does with one path of a project, decided once for the whole fleet
// as a two-way sync does: each member's copy is compared with its last agreed one.
type fate struct {
	keep    int // the member whose copy every computer ends with; none when deleted
	deleter int // when deleted: a member that lacks the file, the source of the deletion
	// conflict: the path changed on two or more members since their agreed states (or
	// differs between members never synced); the newest copy still wins.
	conflict bool
}

// deleted reports whether the sync removes the path from every computer holding it.
func (f fate) deleted() bool { return f.keep == none && f.deleter != none }

func (ix *Index) decideAll(p *projectIndex, force bool) []fate {
	fates := make([]fate, len(p.paths))
	for i := range p.paths {
		fates[i] = ix.decide(p, i, force)
	}
	return fates
}

// fates are the project's decisions: with force, halted members take part as if they had
// never been synced, so they receive everything and delete nothing.
func (ix *Index) fates(p *projectIndex, force bool) []fate {
	if !force || !slices.ContainsFunc(p.halted, func(r string) bool { return r != "" }) {
		return p.fate
	}
	return ix.decideAll(p, true)
}

// takesPart reports whether member m is a source or destination of project p.
func (ix *Index) takesPart(p *projectIndex, m int, force bool) bool {
	return ix.members[m].Err == nil && (p.halted[m] == "" || force)
}

// decide picks the copy a sync keeps: the newest (then the larger, then the first
// member's), as rsync --update does. When nothing changed anywhere since the agreed
// states and the project propagates deletions, a file deleted on one member is deleted
// on all: either a member held it in its agreed state and lacks it now, or a member
// agreed without it after every holder last agreed with it (a holder that missed the run
// that deleted it). A modification anywhere wins over a deletion, unless it is the very
// copy the deleting member had agreed on (it received that copy, then deleted it).
func (ix *Index) decide(p *projectIndex, row int, force bool) fate {
	n := len(ix.members)
	f := fate{keep: none, deleter: none}
	var changed, deletedCopies []copyOf
	var holders, lastHolder, lastAbsent int64
	absent := none
	for m, member := range ix.members {
		if member.ReceiveOnly || !ix.takesPart(p, m, force) {
			continue
		}
		here, base := p.copyAt(row, m, n), p.baseAt(row, m, n)
		switch ix.stateOf(p, row, m) {
		case unchanged:
			holders++
			lastHolder = max(lastHolder, p.at[m])
		case modified:
			if !slices.Contains(changed, here) {
				changed = append(changed, here)
			}
		case deletedHere:
			f.deleter, deletedCopies = m, append(deletedCopies, base)
		case absentSynced:
			if p.at[m] > lastAbsent {
				lastAbsent, absent = p.at[m], m
			}
		}
		if here.present && (f.keep == none || newer(here, p.copyAt(row, f.keep, n))) {
			f.keep = m
		}
	}
	f.conflict = len(changed) > 1
	unseen := slices.ContainsFunc(changed, func(c copyOf) bool { return !slices.Contains(deletedCopies, c) })
	switch {
	case !p.Propagate || unseen:
		f.deleter = none
	case f.deleter != none:
		f.keep = none
	case holders > 0 && absent != none && lastAbsent > lastHolder && len(changed) == 0:
		f.keep, f.deleter = none, absent
	default:
		f.deleter = none
	}
	return f
}

// copyState is how a member's copy of a path stands against its agreed state.
type copyState int

const (
	unchanged    copyState = iota // held, as agreed
	modified                      // held, changed or added since (or never synced)
	deletedHere                   // agreed, no longer held
	absentSynced                  // neither held nor agreed, by a synced member
	absentNew                     // not held by a member never synced
)

// stateOf is member m's copy of path row against its agreed state; a member halted (and
// forced to take part) counts as never synced.
func (ix *Index) stateOf(p *projectIndex, row, m int) copyState {
	n := len(ix.members)
	here, base := p.copyAt(row, m, n), p.baseAt(row, m, n)
	synced := p.synced[m] && p.halted[m] == ""
	switch {
	case here.present && synced && base == here:
		return unchanged
	case here.present:
		return modified
	case synced && base.present:
		return deletedHere
	case synced:
		return absentSynced
	}
	return absentNew
}

// changesSince counts what differs between member m's files and its agreed ones: files
// added, changed or gone. A file gone counts no bytes.
func (p *projectIndex) changesSince(m, n int) Count {
	var c Count
	for i := range p.paths {
		switch here, base := p.copyAt(i, m, n), p.baseAt(i, m, n); {
		case here == base:
		case here.present:
			c.add(here.Size)
		default:
			c.Files++
		}
	}
	return c
}

// haltReason says why member m must not take part in the project, or "": one of its
// folders is missing, or all are empty, while its agreed state held files there — an
// unmounted disk or a wrong root folder, never to be read as "deleted everything".
func (p *projectIndex) haltReason(m, n int, name string) string {
	agreed, now := 0, 0
	missing := ""
	for i, path := range p.paths {
		if p.copyAt(i, m, n).present {
			now++
		}
		if !p.baseAt(i, m, n).present {
			continue
		}
		agreed++
		if missing == "" {
			if f := p.folderOf(path); f != "" && !slices.Contains(p.dirs[m], f) {
				missing = f
			}
		}
	}
	resume := fmt.Sprintf("nothing of %s was read from or sent to %s. Mount the disk or fix the root folder, then sync again; to fill it again from the others instead, sync with --force", p.Name, name)
	switch {
	case agreed == 0:
		return ""
	case missing != "":
		return fmt.Sprintf("%s: its folder %s is missing, while its last agreed state held %d files of project %s; %s", name, missing, agreed, p.Name, resume)
	case now == 0:
		return fmt.Sprintf("%s: its folders of project %s are empty, while its last agreed state held %d files; %s", name, p.Name, agreed, resume)
	}
	return ""
}

// folderOf is the project folder that holds path.
func (p *projectIndex) folderOf(path string) string {
	for _, f := range p.Folders {
		if listing.Within(path, f.Path) {
			return f.Path
		}
	}
	return ""
}
