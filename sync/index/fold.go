package index

import (
	"slices"
	"sort"
	"strings"
)

// foldDeletions turns member m's deleted rows into changes. A folder that the deleting
// computer no longer holds, and whose every file m holds is deleted, is one change: one
// decision, and one line in the log, for a checkpoint folder of 10,000 shards.
func (ix *Index) foldDeletions(p *projectIndex, fates []fate, m int, rows []int) []Change {
	n := len(ix.members)
	failed := map[string]bool{} // folders found not to be deleted as a whole
	var out []Change
	for i := 0; i < len(rows); {
		r := rows[i]
		from := ix.members[fates[r].deleter].Name
		if dir, k := p.deletedFolder(fates, m, n, r, failed); k > 0 {
			out = append(out, Change{Project: p.Name, Path: dir, From: from, Delete: true, Folder: true, Files: k})
			i += k
			continue
		}
		here := p.copyAt(r, m, n)
		out = append(out, Change{Project: p.Name, Path: p.paths[r], From: from, Delete: true, Size: here.Size, MTime: here.MTime})
		i++
	}
	return out
}

// deletedFolder is the outermost folder above row's path, inside its project folder,
// that m deletes as a whole, and how many files m holds in it; "", 0 when there is none.
// The files m holds in a folder are consecutive rows, since paths are sorted.
func (p *projectIndex) deletedFolder(fates []fate, m, n, row int, failed map[string]bool) (string, int) {
	path := p.paths[row]
	for i := len(p.folderOf(path)) + 1; i < len(path); i++ {
		if path[i] != '/' || failed[path[:i]] {
			continue
		}
		if k, ok := p.wholeFolderDeleted(fates, m, n, fates[row].deleter, path[:i]); ok {
			return path[:i], k
		}
		failed[path[:i]] = true
	}
	return "", 0
}

// wholeFolderDeleted reports whether deleter lacks dir and every file m holds in it is
// deleted from deleter, and counts those files.
func (p *projectIndex) wholeFolderDeleted(fates []fate, m, n, deleter int, dir string) (int, bool) {
	if _, held := slices.BinarySearch(p.dirs[deleter], dir); held {
		return 0, false
	}
	prefix := dir + "/"
	k := 0
	for i := sort.SearchStrings(p.paths, prefix); i < len(p.paths) && strings.HasPrefix(p.paths[i], prefix); i++ {
		if !p.copyAt(i, m, n).present {
			continue
		}
		if !fates[i].deleted() || fates[i].deleter != deleter {
			return 0, false
		}
		k++
	}
	return k, k > 0
}
