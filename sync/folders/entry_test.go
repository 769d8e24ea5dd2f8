package folders

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateEntry_RejectsWithEntryNamed(t *testing.T) {
	tests := []struct {
		name   string
		entry  string
		reason string
	}{
		{"empty", "", "is empty"},
		{"only spaces", "   ", "is empty"},
		{"root folder itself", "./", `"." is the whole root folder`},
		{"absolute", "/etc", "absolute paths are not allowed"},
		{"home", "~/data", `"~" paths`},
		{"home of other user", "~bob", `"~" paths`},
		{"parent segment", "../etc", `".." would leave the root folder; use a path inside the root`},
		{"parent segment in the middle", "data/../../etc", `".."`},
		{"parent segment that cleans away", "data/../models", `".."`},
		{"leading dash", "-rf", `"-rf" starts with "-"`},
		{"leading dash in later segment", "data/--delete", `"--delete" starts with "-"`},
		{"NUL", "data\x00x", "NUL"},
		{"newline", "data\nx", "line break"},
		{"trailing newline", "data\n", "line break"},
		{"carriage return", "data\r", "carriage return"},
		{"tab", "\tdata", "tab"},
		{"other control character", "data\x1b[31m", "U+001B"},
		{"C1 control character", "data\u0085", "U+0085"},
		{"backslash", `data\folder1`, `contains "\"`},
		{"invalid UTF-8", "data/\xff", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateEntry(tt.entry)
			var entryErr *EntryError
			if !errors.As(err, &entryErr) {
				t.Fatalf("ValidateEntry(%q) = %v, want *EntryError", tt.entry, err)
			}
			if entryErr.Kind != "sync folder" || entryErr.Entry != tt.entry {
				t.Errorf("error names %s %q, want sync folder %q", entryErr.Kind, entryErr.Entry, tt.entry)
			}
			if !strings.Contains(entryErr.Reason, tt.reason) {
				t.Errorf("reason %q does not mention %q", entryErr.Reason, tt.reason)
			}
			if want := `sync folder "`; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want it to start with %q", err.Error(), want)
			}
		})
	}
}

func TestValidateEntry_ErrorReadsAsOneSentence(t *testing.T) {
	err := ValidateEntry("../etc")
	want := `sync folder "../etc": ".." would leave the root folder; use a path inside the root`
	if err == nil || err.Error() != want {
		t.Errorf("ValidateEntry(../etc) = %v, want %s", err, want)
	}
}

func TestValidateEntry_AcceptsRelativePaths(t *testing.T) {
	for _, entry := range []string{
		"data", "models", "data/folder1", " data/folder1 ", "data//folder1/", "./data/./x",
		"src", ".git", "a-b/c-", "my folder/x", "données", "a..b", "...", "data/x~", "*.tmp", "~$*", "*~", ".*.swp", ".#*",
	} {
		if err := ValidateEntry(entry); err != nil {
			t.Errorf("ValidateEntry(%q) = %v, want nil", entry, err)
		}
	}
}

func TestValidateProjectName_AcceptsWeirdButSafeNames(t *testing.T) {
	for _, name := range []string{
		"P", "my proj", "a'b", `a"b`, "$(rm -rf x)", "x;y", "`id`", "données", "項目", "a-b", "a..b", "...",
		strings.Repeat("é", maxProjectNameRunes),
	} {
		if err := ValidateProjectName(name); err != nil {
			t.Errorf("ValidateProjectName(%q) = %v, want nil", name, err)
		}
	}
}

func TestValidateProjectName_RejectsUnsafeNames(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"", "must not be empty"},
		{"   ", "must not be empty"},
		{"a/b", `project name "a/b": must not contain "/"`},
		{".", `must not be "." or ".."`},
		{"..", `must not be "." or ".."`},
		{"-rf", `must not start with "-"`},
		{" P", "must not start or end with spaces"},
		{"P ", "must not start or end with spaces"},
		{"a\nb", "line break"},
		{"a\x00b", "NUL"},
		{"a\tb", "tab"},
		{strings.Repeat("x", maxProjectNameRunes+1), "at most 100 characters"},
		{"\xff", "UTF-8"},
	}
	for _, tt := range tests {
		err := ValidateProjectName(tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ValidateProjectName(%q) = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}
