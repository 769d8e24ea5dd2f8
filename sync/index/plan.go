package index

import (
	"fmt"

	"filesync/sync/listing"
)

// Change is one thing a sync would do to a destination.
type Change struct {
	Project string
	Path    string
	From    string // the sending computer; for a deletion, one that no longer holds it
	Size    int64  // of the copy sent; for a deleted file, of the copy deleted
	MTime   int64  // the same, Unix seconds
	Delete  bool   // the file, or the folder, is moved into the destination's versions
	// Folder: Path is a folder deleted as a whole, holding Files files.
	Folder bool
	Files  int
	// Overwrites is the destination's copy a sync replaces because it lost a conflict.
	Overwrites bool
	Link       bool // the copy sent is a symbolic link
	New        bool // the destination lacks the file
}

// Delivery is everything one destination would receive or lose.
type Delivery struct {
	To      string
	Changes []Change // by project, then path
	Files   int      // files received
	Bytes   int64    // their size
	Deletes int      // files deleted, those in deleted folders included
	// Halted says why nothing would be changed here: a mirror deleting more than half.
	Halted string
}

func (d *Delivery) Add(c Change) {
	d.Changes = append(d.Changes, c)
	switch {
	case c.Folder:
		d.Deletes += c.Files
	case c.Delete:
		d.Deletes++
	default:
		d.Files++
		d.Bytes += c.Size
	}
}

// Plan is what a sync does: every destination's changes, the conflicts it settles and
// the computers' projects it leaves alone.
type Plan struct {
	Deliveries []Delivery
	Conflicts  []Conflict
	Halts      []Halt
}

// SyncAll plans Sync all: each reachable computer receives the newest copy of every file
// it lacks or holds older, and loses the files deleted elsewhere. With force, halted
// computers are filled from the others and deletions of more than half go ahead.
func (ix *Index) SyncAll(force bool) Plan {
	var pl Plan
	for m, member := range ix.members {
		if member.Err == nil {
			ix.receiving(&pl, m, force)
		}
	}
	ix.halts(&pl, force, func(int) bool { return true })
	return pl
}

// SyncComputer plans a Sync of target alone: only target receives (or loses) files.
func (ix *Index) SyncComputer(target string, force bool) (Plan, error) {
	m, err := ix.reachable(target)
	if err != nil {
		return Plan{}, err
	}
	var pl Plan
	ix.receiving(&pl, m, force)
	ix.halts(&pl, force, func(h int) bool { return h == m })
	return pl, nil
}

// halts adds the halted members' projects, those of the members concerned.
func (ix *Index) halts(pl *Plan, force bool, concerned func(int) bool) {
	if force {
		return
	}
	for _, p := range ix.projects {
		for m, reason := range p.halted {
			if reason != "" && concerned(m) {
				pl.Halts = append(pl.Halts, Halt{Computer: ix.members[m].Name, Project: p.Name, Reason: reason})
			}
		}
	}
}

// receiving adds member m's delivery and the conflicts it settles there.
func (ix *Index) receiving(pl *Plan, m int, force bool) {
	d := Delivery{To: ix.members[m].Name}
	for _, p := range ix.projects {
		if !ix.takesPart(p, m, force) {
			continue
		}
		fates := ix.fates(p, force)
		sends, deletes := ix.changesFor(pl, p, fates, m)
		// Only a net loss counts: a rename receives as many files as it deletes.
		held := p.heldBy(m, len(ix.members))
		if after := held - len(deletes) + newFiles(sends); len(deletes) > 0 && !force && 2*after < held {
			pl.Halts = append(pl.Halts, Halt{Computer: d.To, Project: p.Name, Reason: fmt.Sprintf(
				"%s: the deletions would remove %d of its %d files of project %s (more than half), so none were made there; if that is what you want, run again with --force",
				d.To, len(deletes), held, p.Name)})
			deletes = nil
		}
		for _, c := range mergeByPath(sends, ix.foldDeletions(p, fates, m, deletes)) {
			d.Add(c)
		}
	}
	pl.Deliveries = append(pl.Deliveries, d)
}

// changesFor is what member m receives of project p (sends) and the rows it deletes.
func (ix *Index) changesFor(pl *Plan, p *projectIndex, fates []fate, m int) ([]Change, []int) {
	n := len(ix.members)
	var sends []Change
	var deletes []int
	for i, path := range p.paths {
		f, here := fates[i], p.copyAt(i, m, n)
		switch {
		case f.deleted() && here.present:
			deletes = append(deletes, i)
		case f.keep == none || f.keep == m:
		default:
			newest := p.copyAt(i, f.keep, n)
			if !replaces(newest, here) {
				continue
			}
			c := Change{Project: p.Name, Path: path, From: ix.members[f.keep].Name, Size: newest.Size, MTime: newest.MTime,
				Link: newest.Kind == listing.Link, New: !here.present}
			if f.conflict && ix.stateOf(p, i, m) == modified && !ix.members[m].ReceiveOnly {
				c.Overwrites = true
				pl.addConflict(p.Name, path, Version{Computer: c.From, Size: newest.Size, MTime: newest.MTime},
					Version{Computer: ix.members[m].Name, Size: here.Size, MTime: here.MTime})
			}
			sends = append(sends, c)
		}
	}
	return sends, deletes
}

// addConflict records loser's copy of a conflicting path, once per path.
func (pl *Plan) addConflict(project, path string, winner, loser Version) {
	for i := range pl.Conflicts {
		if c := &pl.Conflicts[i]; c.Project == project && c.Path == path {
			c.Losers = append(c.Losers, loser)
			return
		}
	}
	pl.Conflicts = append(pl.Conflicts, Conflict{Project: project, Path: path, Winner: winner, Losers: []Version{loser}})
}

// newFiles counts the sends of files the destination lacks.
func newFiles(sends []Change) int {
	n := 0
	for _, c := range sends {
		if c.New {
			n++
		}
	}
	return n
}

// heldBy counts the files member m holds in the project.
func (p *projectIndex) heldBy(m, n int) int {
	held := 0
	for i := range p.paths {
		if p.copyAt(i, m, n).present {
			held++
		}
	}
	return held
}

// mergeByPath merges two lists of changes sorted by path.
func mergeByPath(a, b []Change) []Change {
	out := make([]Change, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Path < b[0].Path {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// Push is what a push from one computer changes on every other reachable computer. A
// project mirrored (mirror reports it) makes each destination an exact copy, deleting
// what the sender lacks, and is halted on a destination where that deletes more than
// half of its files, unless force; the others merge, as rsync --update does.
func (ix *Index) Push(from string, mirror func(project string) bool, force bool) ([]Delivery, error) {
	s, err := ix.reachable(from)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for d, member := range ix.members {
		if d != s && member.Err == nil {
			out = append(out, ix.pushTo(s, d, mirror, force))
		}
	}
	return out, nil
}

func (ix *Index) pushTo(s, d int, mirror func(string) bool, force bool) Delivery {
	out := Delivery{To: ix.members[d].Name}
	n := len(ix.members)
	var deletes, kept int
	for _, p := range ix.projects {
		exact := mirror(p.Name)
		for i, path := range p.paths {
			src, dst := p.copyAt(i, s, n), p.copyAt(i, d, n)
			switch {
			case !src.present && dst.present && exact:
				out.Add(Change{Project: p.Name, Path: path, Delete: true})
				deletes++
			case !src.present:
			case exact && dst != src, !exact && replaces(src, dst):
				out.Add(Change{Project: p.Name, Path: path, From: ix.members[s].Name, Size: src.Size, MTime: src.MTime})
			}
			if src.present && dst.present && exact {
				kept++
			}
		}
	}
	if deletes > 0 && deletes*2 > deletes+kept && !force {
		out.Halted = fmt.Sprintf("the mirror would delete %d of %d files on %s (more than half), so it would stop there; run with --force to let it",
			deletes, deletes+kept, out.To)
	}
	return out
}

func (ix *Index) reachable(name string) (int, error) {
	m := ix.member(name)
	switch {
	case m == none:
		return none, fmt.Errorf("%s is not one of the listed computers", name)
	case ix.members[m].Err != nil:
		return none, fmt.Errorf("%s cannot take part: %w", name, ix.members[m].Err)
	}
	return m, nil
}
