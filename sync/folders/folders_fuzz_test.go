package folders

import (
	"path"
	"strings"
	"testing"
	"unicode"
)

func FuzzResolve(f *testing.F) {
	f.Add("P", "[ data/folder1, data/folder2, models ]", "[ data/folder1/tmp, *.tmp ]")
	f.Add("my proj", "data\nmodels/P/x\nsrc", "__pycache__\ndata/*/cache")
	f.Add("$(rm -rf x)", "", "")
	f.Add("données", "a/b, a, ./a//b/", "a/b/c, ../x")
	f.Fuzz(func(t *testing.T, project, syncText, ignoreText string) {
		syncEntries, err := ParseList(syncText)
		if err != nil {
			return
		}
		ignoreEntries, err := ParseList(ignoreText)
		if err != nil {
			return
		}
		resolution, err := Resolve(project, syncEntries, ignoreEntries)
		if err != nil {
			return
		}
		for _, folder := range resolution.Folders {
			checkFolderPath(t, folder.Path)
			for _, exclude := range folder.Excludes {
				if !strings.HasPrefix(exclude, "/") || strings.IndexFunc(exclude, unicode.IsControl) >= 0 {
					t.Errorf("folder %q has exclude %q, want an anchored pattern without control characters", folder.Path, exclude)
				}
			}
		}
	})
}

func checkFolderPath(t *testing.T, p string) {
	t.Helper()
	switch {
	case p == "" || strings.HasPrefix(p, "/"):
		t.Errorf("folder path %q is not relative", p)
	case path.Clean(p) != p:
		t.Errorf("folder path %q is not clean: path.Clean gives %q", p, path.Clean(p))
	case strings.HasPrefix(p, "-"):
		t.Errorf("folder path %q starts with \"-\"", p)
	case strings.IndexFunc(p, unicode.IsControl) >= 0:
		t.Errorf("folder path %q contains a control character", p)
	}
	for _, segment := range strings.Split(p, "/") {
		if segment == "" || segment == ".." {
			t.Errorf("folder path %q has segment %q", p, segment)
		}
	}
}
