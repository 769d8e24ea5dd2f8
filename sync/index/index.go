package index

import (
	"sort"

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
	paths  []string
	copies []copyOf // len(paths) × len(members), path-major
	winner []int    // per path: the member whose copy a sync keeps, or none
	// held is, per member, its listing restricted to the project's files.
	held []listing.Listing
}

type copyOf struct {
	listing.Entry
	present bool
}

func (p *projectIndex) copyAt(path, member, members int) copyOf {
	return p.copies[path*members+member]
}

// Build compares the members' listings for each project.
func Build(members []Member, projects []Project) *Index {
	ix := &Index{members: members}
	for _, p := range projects {
		ix.projects = append(ix.projects, ix.buildProject(p))
	}
	return ix
}

func (ix *Index) buildProject(p Project) *projectIndex {
	pi := &projectIndex{Project: p, held: make([]listing.Listing, len(ix.members))}
	rows := map[string]int{}
	for m, member := range ix.members {
		if member.Err != nil {
			continue
		}
		pi.held[m] = projectFiles(member.Listing, p.Folders)
		for _, e := range pi.held[m] {
			if _, ok := rows[e.Path]; !ok {
				rows[e.Path] = len(pi.paths)
				pi.paths = append(pi.paths, e.Path)
			}
		}
	}
	sort.Strings(pi.paths)
	for i, path := range pi.paths {
		rows[path] = i
	}
	n := len(ix.members)
	pi.copies = make([]copyOf, len(pi.paths)*n)
	for m, files := range pi.held {
		for _, e := range files {
			pi.copies[rows[e.Path]*n+m] = copyOf{Entry: e, present: true}
		}
	}
	pi.winner = make([]int, len(pi.paths))
	for i := range pi.paths {
		pi.winner[i] = ix.pickWinner(pi, i)
	}
	return pi
}

// projectFiles are the files and links of l inside the folders (folders themselves
// and special files are not synced as content).
func projectFiles(l listing.Listing, fs []folders.Folder) listing.Listing {
	var out listing.Listing
	for _, e := range l.In(fs) {
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
		if best == none || newer(c.Entry, pi.copyAt(path, best, len(ix.members)).Entry) {
			best = m
		}
	}
	return best
}

func newer(a, b listing.Entry) bool {
	if a.MTime != b.MTime {
		return a.MTime > b.MTime
	}
	return a.Size > b.Size
}

// replaces reports whether rsync --update, sending src, overwrites dst: dst is missing,
// of another kind, older, or as old but of another size.
func replaces(src listing.Entry, dst copyOf) bool {
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
