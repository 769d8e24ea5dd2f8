package rsync

import "strings"

// Literal returns the rsync filter pattern that matches exactly path. rsync reads a
// backslash as an escape only in a pattern that holds a wildcard (*, ? or [), so a path
// without one is already literal, and in one with them every wildcard and backslash is
// escaped.
func Literal(path string) string {
	if !strings.ContainsAny(path, "*?[") {
		return path
	}
	var b strings.Builder
	for _, r := range path {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
