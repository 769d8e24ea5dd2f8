package index

import (
	"slices"
	"time"

	"filesync/sync/folders"
	"filesync/sync/listing"
)

// Member is one computer as the index sees it.
type Member struct {
	Name string
	// ReceiveOnly computers are never copied from: their files never win.
	ReceiveOnly bool
	Listing     listing.Listing // what it holds in every project's folders
	Err         error           // the listing failed: the computer takes no part
	// Agreed is what it held, per project, after the last complete sync; a project
	// missing from the map was never synced on it. AgreedAt is when that was.
	Agreed   map[string]listing.Listing
	AgreedAt map[string]time.Time
}

// Project is a project's name, its resolved folders and whether a file deleted on one
// computer is deleted on the others.
type Project struct {
	Name      string
	Folders   []folders.Folder
	Propagate bool
}

// Index is the comparison of every member's files, project by project.
type Index struct {
	members  []Member
	projects []*projectIndex
}

// none marks a file that no source computer holds.
const none = -1

// projectIndex holds, for each file path of a project, the copy each member holds now
// and the copy it held in its last agreed state, and what a sync decides for the path.
type projectIndex struct {
	Project
	paths  []string // sorted
	copies []copyOf // len(paths) × len(members), path-major
	base   []copyOf // the same for the agreed states
	fate   []fate   // per path: what a sync does with it, unforced
	// Per member: whether it has an agreed state and when it was taken (Unix ns), what
	// it added, changed or removed since, why it is halted ("" when it is not), and the
	// folders it holds (sorted).
	synced  []bool
	at      []int64
	changed []Count
	halted  []string
	dirs    [][]string
}

// copyOf is one member's copy of a path; the path itself is kept once, in paths.
type copyOf struct {
	Size, MTime int64
	Kind        listing.Kind
	present     bool
}

func copyFrom(e listing.Entry) copyOf {
	return copyOf{Size: e.Size, MTime: e.MTime, Kind: e.Kind, present: true}
}

func (c copyOf) entry(path string) listing.Entry {
	if !c.present {
		return listing.Entry{}
	}
	return listing.Entry{Path: path, Kind: c.Kind, Size: c.Size, MTime: c.MTime}
}

func (p *projectIndex) copyAt(path, member, members int) copyOf {
	return p.copies[path*members+member]
}

func (p *projectIndex) baseAt(path, member, members int) copyOf {
	return p.base[path*members+member]
}

// Build compares the members' listings for each project. The index keeps none of the
// listings, which hold most of the memory.
func Build(members []Member, projects []Project) *Index {
	ix := &Index{members: members}
	for _, p := range projects {
		ix.projects = append(ix.projects, ix.buildProject(p))
	}
	ix.members = slices.Clone(members)
	for i := range ix.members {
		ix.members[i].Listing, ix.members[i].Agreed = nil, nil
	}
	return ix
}

// buildProject merges the members' sorted file lists, now and in their agreed states,
// into one row per path, then counts each member's changes, finds the halted members and
// decides each path.
func (ix *Index) buildProject(p Project) *projectIndex {
	n := len(ix.members)
	pi := &projectIndex{Project: p, synced: make([]bool, n), at: make([]int64, n), changed: make([]Count, n),
		halted: make([]string, n), dirs: make([][]string, n)}
	held := make([]*cursor, 2*n) // now, then agreed
	most := 0
	for m, member := range ix.members {
		agreed, ok := member.Agreed[p.Name]
		pi.synced[m] = ok
		if member.Err != nil {
			continue
		}
		held[m] = newCursor(member.Listing, p.Folders)
		most = max(most, held[m].size)
		pi.dirs[m] = foldersIn(member.Listing, p.Folders)
		if ok {
			pi.at[m] = member.AgreedAt[p.Name].UnixNano()
			held[n+m] = newCursor(agreed, p.Folders)
		}
	}
	// The fleet usually holds mostly the same files: the largest list is about the union.
	pi.paths, pi.copies, pi.base = make([]string, 0, most), make([]copyOf, 0, most*n), make([]copyOf, 0, most*n)
	for {
		path, ok := smallestNext(held)
		if !ok {
			break
		}
		row := len(pi.paths)
		pi.paths = append(pi.paths, path)
		pi.copies = append(pi.copies, make([]copyOf, n)...)
		pi.base = append(pi.base, make([]copyOf, n)...)
		for m, c := range held {
			if e, ok := c.peek(); ok && e.Path == path {
				if m < n {
					pi.copies[row*n+m] = copyFrom(e)
				} else {
					pi.base[row*n+m-n] = copyFrom(e)
				}
				c.advance()
			}
		}
	}
	for m, member := range ix.members {
		if pi.synced[m] && member.Err == nil {
			pi.changed[m] = pi.changesSince(m, n)
			pi.halted[m] = pi.haltReason(m, n, member.Name)
		}
	}
	pi.fate = ix.decideAll(pi, false)
	return pi
}

// foldersIn is the sorted paths of the folders l holds in fs, fs themselves included.
func foldersIn(l listing.Listing, fs []folders.Folder) []string {
	var dirs []string
	for _, f := range fs {
		for _, e := range l.Under(f.Path) {
			if e.Kind == listing.Dir {
				dirs = append(dirs, e.Path)
			}
		}
	}
	slices.Sort(dirs)
	return dirs
}

// smallestNext is the smallest path at the cursors' positions.
func smallestNext(cursors []*cursor) (string, bool) {
	var smallest string
	found := false
	for _, c := range cursors {
		if e, ok := c.peek(); ok && (!found || e.Path < smallest) {
			smallest, found = e.Path, true
		}
	}
	return smallest, found
}

// cursor walks the files and links of a sorted listing inside some folders in path
// order, without copying it: folders themselves and special files are not synced as
// content. Each folder is a run of the listing; the runs are merged, since a folder
// "data/P-x" sorts between "data/P" and "data/P/a".
type cursor struct {
	runs []listing.Listing
	size int // entries in all runs, files or not
}

func newCursor(l listing.Listing, fs []folders.Folder) *cursor {
	c := &cursor{}
	for _, f := range fs {
		if run := l.Under(f.Path); len(run) > 0 {
			c.runs = append(c.runs, run)
			c.size += len(run)
		}
	}
	return c
}

// peek is the next file, if any is left.
func (c *cursor) peek() (listing.Entry, bool) {
	if c == nil {
		return listing.Entry{}, false
	}
	best := -1
	for r := range c.runs {
		for len(c.runs[r]) > 0 && !isContent(c.runs[r][0]) {
			c.runs[r] = c.runs[r][1:]
		}
		if len(c.runs[r]) > 0 && (best < 0 || c.runs[r][0].Path < c.runs[best][0].Path) {
			best = r
		}
	}
	if best < 0 {
		return listing.Entry{}, false
	}
	if best > 0 {
		c.runs[0], c.runs[best] = c.runs[best], c.runs[0]
	}
	return c.runs[0][0], true
}

// advance moves past the file peek returned.
func (c *cursor) advance() { c.runs[0] = c.runs[0][1:] }

func isContent(e listing.Entry) bool { return e.Kind == listing.File || e.Kind == listing.Link }

func newer(a, b copyOf) bool {
	if a.MTime != b.MTime {
		return a.MTime > b.MTime
	}
	return a.Size > b.Size
}

// replaces reports whether rsync --update, sending src, overwrites dst: dst is missing,
// of another kind, older, or as old but of another size.
func replaces(src, dst copyOf) bool {
	switch {
	case !dst.present, dst.Kind != src.Kind:
		return true
	case dst.MTime != src.MTime:
		return dst.MTime < src.MTime
	}
	return dst.Size != src.Size
}

func (ix *Index) member(name string) int {
	for i, m := range ix.members {
		if m.Name == name {
			return i
		}
	}
	return none
}

func (ix *Index) project(name string) *projectIndex {
	for _, p := range ix.projects {
		if p.Name == name {
			return p
		}
	}
	return nil
}
