package index

import (
	"slices"

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
	// missing from the map was never synced on it.
	Agreed map[string]listing.Listing
}

// Project is a project's name and its resolved folders.
type Project struct {
	Name    string
	Folders []folders.Folder
}

// Index is the comparison of every member's files, project by project.
type Index struct {
	members  []Member
	projects []*projectIndex
}

// none marks a file that no source computer holds.
const none = -1

// projectIndex holds, for each file path of a project, the copy each member holds.
type projectIndex struct {
	Project
	paths  []string // sorted
	copies []copyOf // len(paths) × len(members), path-major
	winner []int    // per path: the member whose copy a sync keeps, or none
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

// Build compares the members' listings for each project. The index keeps none of the
// listings, which hold most of the memory.
func Build(members []Member, projects []Project) *Index {
	ix := &Index{members: members}
	for _, p := range projects {
		ix.projects = append(ix.projects, ix.buildProject(p))
	}
	ix.members = slices.Clone(members)
	for i := range ix.members {
		ix.members[i].Listing = nil
	}
	return ix
}

// buildProject merges the members' sorted file lists into one row per path.
func (ix *Index) buildProject(p Project) *projectIndex {
	n := len(ix.members)
	pi := &projectIndex{Project: p}
	held := make([]listing.Listing, n)
	most := 0
	for m, member := range ix.members {
		if member.Err == nil {
			held[m] = projectFiles(member.Listing, p.Folders)
			most = max(most, len(held[m]))
		}
	}
	// The fleet usually holds mostly the same files: the largest list is about the union.
	pi.paths, pi.copies, pi.winner = make([]string, 0, most), make([]copyOf, 0, most*n), make([]int, 0, most)
	next := make([]int, n)
	for {
		path, ok := smallestNext(held, next)
		if !ok {
			break
		}
		row := len(pi.paths)
		pi.paths = append(pi.paths, path)
		pi.copies = append(pi.copies, make([]copyOf, n)...)
		for m := range held {
			if next[m] < len(held[m]) && held[m][next[m]].Path == path {
				pi.copies[row*n+m] = copyFrom(held[m][next[m]])
				next[m]++
			}
		}
		pi.winner = append(pi.winner, ix.pickWinner(pi, row))
	}
	return pi
}

// smallestNext is the smallest path at the lists' next positions.
func smallestNext(lists []listing.Listing, next []int) (string, bool) {
	var smallest string
	found := false
	for m, l := range lists {
		if next[m] < len(l) && (!found || l[next[m]].Path < smallest) {
			smallest, found = l[next[m]].Path, true
		}
	}
	return smallest, found
}

// projectFiles are the files and links of l inside the folders, sorted (folders
// themselves and special files are not synced as content).
func projectFiles(l listing.Listing, fs []folders.Folder) listing.Listing {
	in := l.In(fs)
	out := in[:0]
	for _, e := range in {
		if e.Kind == listing.File || e.Kind == listing.Link {
			out = append(out, e)
		}
	}
	return out
}

// pickWinner is the source member holding the newest copy; on equal mtimes the larger
// copy, then the first member.
func (ix *Index) pickWinner(pi *projectIndex, path int) int {
	best := none
	for m, member := range ix.members {
		c := pi.copyAt(path, m, len(ix.members))
		if !c.present || member.ReceiveOnly {
			continue
		}
		if best == none || newer(c, pi.copyAt(path, best, len(ix.members))) {
			best = m
		}
	}
	return best
}

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
