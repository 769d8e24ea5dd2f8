package index

import "filesync/sync/listing"

// Count is a number of files and the bytes they hold.
type Count struct {
	Files int
	Bytes int64
}

func (c *Count) add(size int64) {
	c.Files++
	c.Bytes += size
}

// State is how a computer's copy of a project stands against the fleet.
type State string

// The states of a cell.
const (
	InSync      State = "in sync"     // a sync would change nothing here and send nothing from here
	OutOfSync   State = "out of sync" // it lacks files, or holds files the others lack
	Unreachable State = "unreachable" // it could not be listed (Reason)
	Halted      State = "halted"      // its folders are missing or emptied: a sync leaves it alone (Reason)
)

// Direction is which way a file of a cell would go in a sync.
type Direction string

// The two directions.
const (
	Receive Direction = "receive" // this computer lacks the newest copy
	Send    Direction = "send"    // this computer holds the newest copy, which others lack
	Remove  Direction = "remove"  // deleted elsewhere: a sync moves this copy into versions
)

// File is one out-of-sync file of a cell.
type File struct {
	Path      string
	Direction Direction
	Newest    string        // the computer holding the newest copy; for Remove, the one it was deleted on
	Size      int64         // of the newest copy
	MTime     int64         // of the newest copy, Unix seconds
	Here      listing.Entry // this computer's copy, when Held
	Held      bool
	// Conflict: the file changed on several computers since they last agreed; a sync
	// keeps the newest and moves the others into versions.
	Conflict bool
}

// Cell is one computer × project.
type Cell struct {
	Computer, Project string
	State             State
	Reason            string // why it is unreachable
	Receive           Count  // files a sync would bring here
	NewerHere         Count  // files whose newest copy is here and that others lack or hold older
	Removed           Count  // files deleted elsewhere that a sync would move into versions here
	Files             []File // every out-of-sync file, by path
	// Synced: a last agreed state exists, from the last complete sync.
	Synced bool
	// Changed counts the files added, changed or removed here since then (removed files
	// count no bytes).
	Changed Count
}

// Cells returns every computer × project, computer by computer in the members' order.
func (ix *Index) Cells() []Cell {
	var cells []Cell
	for m := range ix.members {
		for _, p := range ix.projects {
			cells = append(cells, ix.cell(m, p))
		}
	}
	return cells
}

// Cell returns one computer × project; ok is false when the index has no such pair.
func (ix *Index) Cell(computer, project string) (Cell, bool) {
	m, p := ix.member(computer), ix.project(project)
	if m == none || p == nil {
		return Cell{}, false
	}
	return ix.cell(m, p), true
}

func (ix *Index) cell(m int, p *projectIndex) Cell {
	member := ix.members[m]
	c := Cell{Computer: member.Name, Project: p.Name, State: InSync, Synced: p.synced[m]}
	switch {
	case member.Err != nil:
		c.State, c.Reason = Unreachable, member.Err.Error()
		return c
	case p.halted[m] != "":
		c.State, c.Reason = Halted, p.halted[m]
		return c
	}
	for i := range p.paths {
		if f, ok := ix.cellFile(p, i, m); ok {
			c.Files = append(c.Files, f)
			switch f.Direction {
			case Send:
				c.NewerHere.add(f.Size)
			case Receive:
				c.Receive.add(f.Size)
			case Remove:
				c.Removed.add(f.Here.Size)
			}
		}
	}
	if len(c.Files) > 0 {
		c.State = OutOfSync
	}
	c.Changed = p.changed[m]
	return c
}

// cellFile is what a sync does to member m's copy of path row, if anything.
func (ix *Index) cellFile(p *projectIndex, row, m int) (File, bool) {
	n := len(ix.members)
	fate, here := p.fate[row], p.copyAt(row, m, n)
	f := File{Path: p.paths[row], Here: here.entry(p.paths[row]), Held: here.present, Conflict: fate.conflict}
	switch {
	case fate.deleted() && here.present:
		f.Direction, f.Newest, f.Size, f.MTime = Remove, ix.members[fate.deleter].Name, here.Size, here.MTime
		return f, true
	case fate.keep == none:
		return f, false
	}
	newest := p.copyAt(row, fate.keep, n)
	f.Newest, f.Size, f.MTime = ix.members[fate.keep].Name, newest.Size, newest.MTime
	switch {
	case fate.keep == m && ix.othersNeed(p, row, m):
		f.Direction = Send
	case fate.keep != m && replaces(newest, here):
		f.Direction = Receive
	default:
		return f, false
	}
	return f, true
}

// othersNeed reports whether a member other than w taking part would receive w's copy.
func (ix *Index) othersNeed(p *projectIndex, path, w int) bool {
	n := len(ix.members)
	newest := p.copyAt(path, w, n)
	for d := range ix.members {
		if d != w && ix.takesPart(p, d, false) && replaces(newest, p.copyAt(path, d, n)) {
			return true
		}
	}
	return false
}
