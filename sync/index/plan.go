package index

import "fmt"

// Change is one thing a sync would do to a destination.
type Change struct {
	Project string
	Path    string
	From    string // the sending computer; "" for a deletion
	Size    int64  // of the copy sent
	MTime   int64  // of the copy sent, Unix seconds
	Delete  bool   // the file is deleted (a mirror push)
}

// Delivery is everything one destination would receive or lose.
type Delivery struct {
	To      string
	Changes []Change // by project, then path
	Files   int      // files received
	Bytes   int64    // their size
	Deletes int
	// Halted says why nothing would be changed here: a mirror deleting more than half.
	Halted string
}

func (d *Delivery) add(c Change) {
	d.Changes = append(d.Changes, c)
	if c.Delete {
		d.Deletes++
		return
	}
	d.Files++
	d.Bytes += c.Size
}

// SyncAll is what Sync all changes on every reachable computer: each receives the
// newest copy of every file it lacks or holds older.
func (ix *Index) SyncAll() []Delivery {
	var out []Delivery
	for m, member := range ix.members {
		if member.Err == nil {
			out = append(out, ix.receiving(m))
		}
	}
	return out
}

// SyncComputer is what a Sync of target alone changes: only target receives.
func (ix *Index) SyncComputer(target string) ([]Delivery, error) {
	m, err := ix.reachable(target)
	if err != nil {
		return nil, err
	}
	return []Delivery{ix.receiving(m)}, nil
}

func (ix *Index) receiving(m int) Delivery {
	d := Delivery{To: ix.members[m].Name}
	n := len(ix.members)
	for _, p := range ix.projects {
		for i, path := range p.paths {
			w := p.winner[i]
			if w == none || w == m {
				continue
			}
			if newest := p.copyAt(i, w, n); replaces(newest, p.copyAt(i, m, n)) {
				d.add(Change{Project: p.Name, Path: path, From: ix.members[w].Name, Size: newest.Size, MTime: newest.MTime})
			}
		}
	}
	return d
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
				out.add(Change{Project: p.Name, Path: path, Delete: true})
				deletes++
			case !src.present:
			case exact && dst != src, !exact && replaces(src, dst):
				out.add(Change{Project: p.Name, Path: path, From: ix.members[s].Name, Size: src.Size, MTime: src.MTime})
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
