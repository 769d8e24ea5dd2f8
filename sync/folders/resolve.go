package folders

import (
	"errors"
	"path"
	"slices"
	"strings"
)

// Folder is one resolved sync folder of a project.
type Folder struct {
	Path     string   // relative to the root folder, slash-separated, e.g. "data/P/folder1"
	Excludes []string // rsync exclude patterns anchored at the root folder, e.g. "/data/P/folder1/tmp"
}

// Paths are the folders' paths, in order.
func Paths(fs []Folder) []string {
	paths := make([]string, len(fs))
	for i, f := range fs {
		paths[i] = f.Path
	}
	return paths
}

// Resolution is the result of resolving a project's entries.
type Resolution struct {
	Folders []Folder
	Unused  []string // ignore entries (as typed) that are inside no sync folder
}

// defaultSyncEntries are synced when a project lists no sync folders.
var defaultSyncEntries = []string{"data", "models"}

// Resolve turns a project's typed sync and ignore entries into the folders to
// sync, relative to the root folder, each with its rsync exclude patterns.
// It reports every unusable entry at once, joined, each as an [*EntryError].
func Resolve(project string, syncEntries, ignoreEntries []string) (Resolution, error) {
	if err := ValidateProjectName(project); err != nil {
		return Resolution{}, err
	}
	if len(syncEntries) == 0 {
		syncEntries = defaultSyncEntries
	}
	folders, syncErrs := resolveSyncFolders(project, syncEntries)
	ignores, ignoreErrs := resolveIgnores(project, ignoreEntries)
	if err := errors.Join(slices.Concat(syncErrs, ignoreErrs)...); err != nil {
		return Resolution{}, err
	}
	return applyIgnores(folders, ignores), nil
}

// resolveSyncFolders returns the outermost sync folders as path segments,
// and an *EntryError for each unusable entry.
func resolveSyncFolders(project string, entries []string) ([][]string, []error) {
	var folders [][]string
	var errs []error
	for _, entry := range entries {
		segments, err := entrySegments(kindSyncFolder, entry)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		folders = append(folders, insertProject(segments, project))
	}
	return outermost(folders), errs
}

// ignore is one resolved ignore entry.
type ignore struct {
	typed    string   // as the user typed it, for Resolution.Unused
	segments []string // relative to the root folder; may hold rsync globs
	// everyDepth marks a single name like "__pycache__" or "*.tmp", which
	// is excluded below every sync folder.
	everyDepth bool
}

func resolveIgnores(project string, entries []string) ([]ignore, []error) {
	var ignores []ignore
	var errs []error
	for _, entry := range entries {
		segments, err := entrySegments(kindIgnoreEntry, entry)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ignores = append(ignores, ignore{
			typed:      entry,
			segments:   insertProject(segments, project),
			everyDepth: len(segments) == 1 && !isProjectParent(segments[0]),
		})
	}
	return ignores, errs
}

// isProjectParent reports whether a first segment holds one folder per project.
func isProjectParent(segment string) bool {
	return segment == "data" || segment == "models"
}

// insertProject moves an entry under data/ or models/ into the project's own
// folder: "data/folder1" becomes "data/P/folder1".
func insertProject(segments []string, project string) []string {
	if !isProjectParent(segments[0]) || (len(segments) > 1 && segments[1] == project) {
		return segments
	}
	return slices.Concat(segments[:1], []string{project}, segments[1:])
}

// literalPrefixLen is how many leading segments of resolved ignore segments
// name real folders rather than patterns: "data" and the project name.
func literalPrefixLen(segments []string) int {
	if isProjectParent(segments[0]) {
		return 2
	}
	return 0
}

// outermost drops folders that repeat or lie inside another folder, keeping
// the others in the order they first appear.
func outermost(folders [][]string) [][]string {
	var kept [][]string
	for i, folder := range folders {
		if !insideEarlierOrOuter(folders, i) {
			kept = append(kept, folder)
		}
	}
	return kept
}

func insideEarlierOrOuter(folders [][]string, i int) bool {
	for j, other := range folders {
		if j == i || !isWithin(folders[i], other) {
			continue
		}
		if len(other) < len(folders[i]) || j < i {
			return true
		}
	}
	return false
}

// isWithin reports whether folder equals parent or lies inside it, comparing
// whole segments so that "data/P/folder1" is not inside "data/P/folder".
func isWithin(folder, parent []string) bool {
	return len(folder) >= len(parent) && slices.Equal(folder[:len(parent)], parent)
}

// relation is how an ignore entry bears on a sync folder.
type relation int

const (
	unrelated      relation = iota
	coversFolder            // the entry is the folder or one of its parents: the folder is not synced
	insideOfFolder          // the entry lies inside the folder: it becomes an exclude
)

// relate compares an ignore entry with a sync folder segment by segment,
// applying the entry's globs.
func relate(folder []string, ig ignore) relation {
	literal := literalPrefixLen(ig.segments)
	for i, pattern := range ig.segments {
		if i == len(folder) {
			return insideOfFolder
		}
		if i >= literal && strings.Contains(pattern, "**") {
			// "**" spans any number of folders, so segments stop lining
			// up; what it matches inside the folder is rsync's to decide.
			return insideOfFolder
		}
		if !segmentMatches(pattern, folder[i], i < literal) {
			return unrelated
		}
	}
	return coversFolder
}

func segmentMatches(pattern, name string, literal bool) bool {
	if literal || !hasWildcard(pattern) {
		return pattern == name
	}
	matched, err := path.Match(pattern, name)
	if err != nil {
		return pattern == name
	}
	return matched
}

func hasWildcard(s string) bool {
	return strings.ContainsAny(s, "*?[")
}

// applyIgnores keeps the folders no ignore entry covers, gives each its
// excludes, and collects the entries that bear on no folder.
func applyIgnores(folders [][]string, ignores []ignore) Resolution {
	var resolution Resolution
	used := make([]bool, len(ignores))
	for _, folder := range folders {
		if excludes, kept := folderExcludes(folder, ignores, used); kept {
			resolution.Folders = append(resolution.Folders, Folder{
				Path:     strings.Join(folder, "/"),
				Excludes: excludes,
			})
		}
	}
	resolution.Unused = unusedEntries(ignores, used)
	return resolution
}

// folderExcludes returns folder's exclude patterns and whether it is synced
// at all, marking in used every ignore entry that bears on it.
func folderExcludes(folder []string, ignores []ignore, used []bool) ([]string, bool) {
	var excludes []string
	kept := true
	for i, ig := range ignores {
		switch rel := relate(folder, ig); {
		case rel == coversFolder:
			kept = false
		case ig.everyDepth:
			excludes = appendNew(excludes,
				rsyncPattern(folder, ig.segments),
				rsyncPattern(folder, slices.Concat([]string{"**"}, ig.segments)))
		case rel == insideOfFolder:
			literal := literalPrefixLen(ig.segments)
			excludes = appendNew(excludes, rsyncPattern(ig.segments[:literal], ig.segments[literal:]))
		default:
			continue
		}
		used[i] = true
	}
	return excludes, kept
}

// rsyncPattern builds an exclude anchored at the transfer root from literal
// folder names followed by segments typed as patterns.
func rsyncPattern(literal, typed []string) string {
	raw := "/" + strings.Join(slices.Concat(literal, typed), "/")
	if !hasWildcard(raw) {
		// rsync matches a pattern without wildcards character for
		// character, backslashes included, so nothing is escaped.
		return raw
	}
	escaped := make([]string, len(literal))
	for i, name := range literal {
		escaped[i] = wildcardEscaper.Replace(name)
	}
	return "/" + strings.Join(slices.Concat(escaped, typed), "/")
}

// wildcardEscaper makes folder names match literally inside an rsync pattern
// that has wildcards, where "\" escapes the next character.
var wildcardEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)

// appendNew appends the patterns that list does not hold yet.
func appendNew(list []string, patterns ...string) []string {
	for _, pattern := range patterns {
		if !slices.Contains(list, pattern) {
			list = append(list, pattern)
		}
	}
	return list
}

func unusedEntries(ignores []ignore, used []bool) []string {
	var unused []string
	for i, ig := range ignores {
		if !used[i] {
			unused = appendNew(unused, ig.typed)
		}
	}
	return unused
}
