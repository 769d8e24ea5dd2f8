package watch

import (
	"path"
	"strings"
)

// ignored reports whether rel (slash-separated, relative to the root folder) is excluded
// by one of the rsync patterns that package folders makes: "/F/x" (a path or a glob
// anchored at the root) and "/F/**/G" (G at any depth below F).
func ignored(rel string, excludes []string) bool {
	for _, p := range excludes {
		if matchExclude(strings.TrimPrefix(p, "/"), rel) {
			return true
		}
	}
	return false
}

// matchExclude: an excluded folder excludes everything below it, so rel and each of its
// parents are tried.
func matchExclude(pattern, rel string) bool {
	for p := rel; p != "." && p != "/"; p = path.Dir(p) {
		if matchOne(pattern, p) {
			return true
		}
	}
	return false
}

func matchOne(pattern, rel string) bool {
	if prefix, glob, deep := strings.Cut(pattern, "/**/"); deep {
		ok, _ := path.Match(glob, path.Base(rel))
		return ok && strings.HasPrefix(rel, prefix+"/")
	}
	ok, _ := path.Match(pattern, rel)
	return ok
}
