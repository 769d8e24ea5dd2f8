package folders

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	kindSyncFolder  = "sync folder"
	kindIgnoreEntry = "ignore entry"
)

// EntryError reports a sync folder or ignore entry that cannot be used.
type EntryError struct {
	Kind   string // "sync folder" or "ignore entry"
	Entry  string // the entry as the user typed it
	Reason string // what is wrong and what to do about it
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Kind, e.Entry, e.Reason)
}

// ValidateEntry checks one sync folder entry as typed, without resolving it
// against a project, so the UI can show the problem next to the entry.
func ValidateEntry(entry string) error {
	_, err := entrySegments(kindSyncFolder, entry)
	return err
}

// entrySegments validates a typed entry and returns its cleaned path segments.
func entrySegments(kind, entry string) ([]string, error) {
	trimmed := strings.Trim(entry, " ")
	if reason := entryProblem(trimmed); reason != "" {
		return nil, &EntryError{Kind: kind, Entry: entry, Reason: reason}
	}
	return strings.Split(path.Clean(trimmed), "/"), nil
}

// entryProblem returns why a trimmed entry is unusable, or "" when it is fine.
// It looks at the segments as typed, before cleaning, because path.Clean would
// quietly turn "a/../../etc" into "../etc" or "a/../b" into "b".
func entryProblem(trimmed string) string {
	switch {
	case trimmed == "":
		return "is empty; type a folder path inside the root folder, e.g. data/folder1"
	case !utf8.ValidString(trimmed):
		return "is not valid UTF-8 text; retype it"
	case strings.IndexFunc(trimmed, unicode.IsControl) >= 0:
		return "contains " + describeControl(trimmed) + "; remove it"
	case strings.HasPrefix(trimmed, "/"):
		return "absolute paths are not allowed; write the path relative to the root folder, e.g. data/folder1"
	case homeReference(trimmed):
		return `"~" paths point outside the root folder; write the path relative to the root folder, e.g. data/folder1`
	case strings.Contains(trimmed, `\`):
		return `contains "\"; separate folders with "/"`
	}
	for _, segment := range strings.Split(trimmed, "/") {
		if segment == ".." {
			return `".." would leave the root folder; use a path inside the root`
		}
		if strings.HasPrefix(segment, "-") {
			return fmt.Sprintf(`folder name %q starts with "-", which rsync would read as an option; rename the folder`, segment)
		}
	}
	if path.Clean(trimmed) == "." {
		return `"." is the whole root folder; name a folder inside it, e.g. data`
	}
	return ""
}

// homeReference reports whether an entry starts like a shell's "~" or "~user": a first
// segment of "~" and a name. A pattern such as "~$*" (an office program's lock files) is
// a file name, not a home.
func homeReference(entry string) bool {
	first, _, _ := strings.Cut(entry, "/")
	return strings.HasPrefix(first, "~") && !strings.ContainsAny(first, "*?[$")
}

// describeControl names the first control character of s the way a user
// would recognise it.
func describeControl(s string) string {
	r, _ := utf8.DecodeRuneInString(s[strings.IndexFunc(s, unicode.IsControl):])
	switch r {
	case 0:
		return "a NUL character"
	case '\n':
		return "a line break"
	case '\r':
		return "a carriage return"
	case '\t':
		return "a tab"
	}
	return fmt.Sprintf("the control character %U", r)
}

// maxProjectNameRunes keeps project folder names well inside the 255-byte
// file name limit of common file systems, even for non-ASCII names.
const maxProjectNameRunes = 100

// ValidateProjectName checks that name can be used as the project's folder
// name under data/ and models/ on every computer.
func ValidateProjectName(name string) error {
	if reason := projectNameProblem(name); reason != "" {
		return &EntryError{Kind: "project name", Entry: name, Reason: reason}
	}
	return nil
}

func projectNameProblem(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "must not be empty; type a name for the project"
	case !utf8.ValidString(name):
		return "must be valid UTF-8 text; retype it"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "must not contain " + describeControl(name) + "; remove it"
	case strings.TrimSpace(name) != name:
		return "must not start or end with spaces; remove them"
	case utf8.RuneCountInString(name) > maxProjectNameRunes:
		return fmt.Sprintf("must be at most %d characters, not %d; shorten it",
			maxProjectNameRunes, utf8.RuneCountInString(name))
	case strings.Contains(name, "/"):
		return `must not contain "/"`
	case name == "." || name == "..":
		return `must not be "." or ".."; pick another name`
	case strings.HasPrefix(name, "-"):
		return `must not start with "-", which rsync would read as an option; remove the leading "-"`
	}
	return ""
}
