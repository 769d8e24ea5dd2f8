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
)

// Direction is which way a file of a cell would go in a sync.
type Direction string

// The two directions.
const (
	Receive Direction = "receive" // this computer lacks the newest copy
	Send    Direction = "send"    // this computer holds the newest copy, which others lack
)

// File is one out-of-sync file of a cell.
type File struct {
	Path      string
	Direction Direction
	Newest    string        // the computer holding the newest copy
	Size      int64         // of the newest copy
	MTime     int64         // of the newest copy, Unix seconds
	Here      listing.Entry // this computer's copy, when Held
	Held      bool
}

// Cell is one computer × project.
type Cell struct {
	Computer, Project string
	State             State
	Reason            string // why it is unreachable
	Receive           Count  // files a sync would bring here
	NewerHere         Count  // files whose newest copy is here and that others lack or hold older
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
	c := Cell{Computer: member.Name, Project: p.Name, State: InSync}
	c.Synced = p.synced[m]
	if member.Err != nil {
		c.State, c.Reason = Unreachable, member.Err.Error()
		return c
	}
	n := len(ix.members)
	for i, path := range p.paths {
		w := p.winner[i]
		if w == none {
			continue
		}
		here, newest := p.copyAt(i, m, n), p.copyAt(i, w, n)
		f := File{Path: path, Newest: ix.members[w].Name, Size: newest.Size, MTime: newest.MTime, Here: here.entry(path), Held: here.present}
		switch {
		case w == m && ix.othersNeed(p, i, m):
			f.Direction = Send
			c.NewerHere.add(newest.Size)
		case w != m && replaces(newest, here):
			f.Direction = Receive
			c.Receive.add(newest.Size)
		default:
			continue
		}
		c.Files = append(c.Files, f)
	}
	if len(c.Files) > 0 {
		c.State = OutOfSync
	}
	c.Changed = p.changed[m]
	return c
}

// othersNeed reports whether a reachable member other than w would receive w's copy.
func (ix *Index) othersNeed(p *projectIndex, path, w int) bool {
	n := len(ix.members)
	newest := p.copyAt(path, w, n)
	for d, member := range ix.members {
		if d != w && member.Err == nil && replaces(newest, p.copyAt(path, d, n)) {
			return true
		}
	}
	return false
}

// changesSince counts what differs between member m's files and its agreed ones: files
// added, changed or gone. A file gone counts no bytes.
func (p *projectIndex) changesSince(agreed *cursor, m, n int) Count {
	var c Count
	j := 0
	for {
		a, ok := agreed.peek()
		switch {
		case !ok && j == len(p.paths):
			return c
		case j == len(p.paths) || ok && a.Path < p.paths[j]:
			c.Files++
			agreed.advance()
		case !ok || p.paths[j] < a.Path:
			if here := p.copyAt(j, m, n); here.present {
				c.add(here.Size)
			}
			j++
		default:
			switch here := p.copyAt(j, m, n); {
			case !here.present:
				c.Files++
			case here != copyFrom(a):
				c.add(here.Size)
			}
			agreed.advance()
			j++
		}
	}
}
