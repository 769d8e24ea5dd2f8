package folders

import (
	"slices"
	"strings"
	"testing"
)

func TestParseList_ThreeSyntaxesParseIdentically(t *testing.T) {
	want := []string{"data/folder1", "data/folder2", "models"}
	tests := []struct {
		name string
		text string
	}{
		{"seed bracketed form", "[ data/folder1, data/folder2, models ]"},
		{"seed form over several lines", "[\n  data/folder1,\n  data/folder2,\n  models\n]\n"},
		{"seed form with entries on the bracket lines", "[ data/folder1,\n data/folder2,\n models ]"},
		{"one per line", "data/folder1\ndata/folder2\nmodels\n"},
		{"one per line with CRLF and indentation", "  data/folder1\r\n\tdata/folder2\r\nmodels\r\n"},
		{"comma separated", "data/folder1, data/folder2, models"},
		{"comma separated with trailing comma", "data/folder1,data/folder2,models,"},
		{"quoted items", `[ "data/folder1", 'data/folder2', models ]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(tt.text)
			if err != nil {
				t.Fatalf("ParseList(%q) error: %v", tt.text, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ParseList(%q) = %q, want %q", tt.text, got, want)
			}
		})
	}
}

func TestParseList_EmptyListsHaveNoItems(t *testing.T) {
	for _, text := range []string{"", "   ", "\n\n", "[]", "[ ]", "[\n]", ",,", "[ , ]", `[ "", '' ]`} {
		got, err := ParseList(text)
		if err != nil {
			t.Errorf("ParseList(%q) error: %v", text, err)
		}
		if len(got) != 0 {
			t.Errorf("ParseList(%q) = %q, want no items", text, got)
		}
	}
}

func TestParseList_SkipsBlankItems(t *testing.T) {
	got, err := ParseList("data\n\n  \n, ,models")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"data", "models"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseList_KeepsGlobBrackets(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"*.py[co]", []string{"*.py[co]"}},
		{"[ *.py[co], tmp ]", []string{"*.py[co]", "tmp"}},
		{"[ab]*.tmp\ntmp", []string{"[ab]*.tmp", "tmp"}},
		{`"[ab]"`, []string{"[ab]"}},
		{"x[1]/tmp, y", []string{"x[1]/tmp", "y"}},
	}
	for _, tt := range tests {
		got, err := ParseList(tt.text)
		if err != nil {
			t.Errorf("ParseList(%q) error: %v", tt.text, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseList(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestParseList_RejectsUnbalancedBrackets(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"[ data", `no closing "]"`},
		{"[\n data,\n models\n", `no closing "]"`},
		{"data, models ]", `no opening "["`},
		{"[ data, models ] extra", `"extra" after its closing "]"`},
		{"[ data ] models", `"models" after its closing "]"`},
	}
	for _, tt := range tests {
		_, err := ParseList(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseList(%q) error = %v, want one containing %q", tt.text, err, tt.want)
		}
	}
}
