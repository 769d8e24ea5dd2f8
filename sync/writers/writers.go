package writers

import (
	"path/filepath"
	"strings"
)

// Open returns the files under root that some process holds open for writing, as
// slash-separated paths relative to root. Processes it may not inspect (another user's,
// without privileges) are skipped: their files cannot be told apart from closed ones.
// A root reached through a symbolic link is matched by its real path, as /proc names
// open files.
func Open(root string) (map[string]bool, error) {
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	root = filepath.Clean(root)
	found := map[string]bool{}
	err := openForWriting(func(path string) bool {
		_, ok := under(root, path)
		return ok
	}, func(path string) {
		rel, _ := under(root, path)
		found[rel] = true
	})
	return found, err
}

// under returns path relative to root when it lies below root.
func under(root, path string) (string, bool) {
	if !strings.HasPrefix(path, root+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(path[len(root)+1:]), true
}
