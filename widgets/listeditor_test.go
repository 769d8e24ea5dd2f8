package widgets

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// parseBracketOrLines stands in for the app's grammar: "[a, b]" or one item per line.
func parseBracketOrLines(text string) ([]string, error) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "[") {
		return splitLines(text)
	}
	if !strings.HasSuffix(text, "]") {
		return nil, errors.New("missing closing ]")
	}
	var items []string
	for _, item := range strings.Split(text[1:len(text)-1], ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items, nil
}

func noParentDirs(items []string) error {
	for _, item := range items {
		if strings.Contains(item, "..") {
			return fmt.Errorf("%q leaves the project folder", item)
		}
	}
	return nil
}

func newTestListEditor(t *testing.T) (*ListEditor, *[][]string) {
	t.Helper()
	test.NewTempApp(t)
	e := NewListEditor(parseBracketOrLines, noParentDirs)
	test.NewTempWindow(t, e)
	var changes [][]string
	e.OnChanged = func(items []string) { changes = append(changes, items) }
	return e, &changes
}

func TestListEditorShowsValidationErrorsInlineUntilFixed(t *testing.T) {
	e, changes := newTestListEditor(t)

	test.Type(e.entry, "data/p\n../etc")
	if want := `"../etc" leaves the project folder`; e.Error() != want || !e.err.Visible() {
		t.Fatalf("error = %q (shown %v), want %q", e.Error(), e.err.Visible(), want)
	}
	if _, err := e.Items(); err == nil {
		t.Error("Items() returned no error for an invalid list")
	}
	before := len(*changes)

	e.SetText("data/p\netc")
	if e.Error() != "" || e.err.Visible() {
		t.Fatalf("error still shown after the fix: %q", e.Error())
	}
	if len(*changes) != before+1 || !slices.Equal((*changes)[before], []string{"data/p", "etc"}) {
		t.Errorf("OnChanged got %q after the fix", (*changes)[before:])
	}
}

func TestListEditorParsesThePastedBracketSyntax(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		want    []string
		wantErr string
	}{
		{"brackets", "[data/p, models/p]", []string{"data/p", "models/p"}, ""},
		{"lines", "data/p\n\n  models/p  \n", []string{"data/p", "models/p"}, ""},
		{"unclosed", "[data/p, models/p", nil, "missing closing ]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newTestListEditor(t)
			e.SetText(tc.text)

			items, err := e.Items()
			if e.Error() != tc.wantErr || (err == nil) != (tc.wantErr == "") {
				t.Fatalf("Error() = %q, Items() error %v, want %q", e.Error(), err, tc.wantErr)
			}
			if tc.wantErr == "" && !slices.Equal(items, tc.want) {
				t.Errorf("Items() = %q, want %q", items, tc.want)
			}
		})
	}
}

func TestListEditorSetItemsShowsOnePerLine(t *testing.T) {
	e, changes := newTestListEditor(t)

	e.SetItems([]string{"data/p", "models/p"})
	e.SetItems([]string{"data/p", "models/p"}) // unchanged text still reports once

	if e.Text() != "data/p\nmodels/p" {
		t.Errorf("text = %q", e.Text())
	}
	if len(*changes) != 2 {
		t.Errorf("OnChanged called %d times, want 2", len(*changes))
	}
}

func TestListEditorWithoutFuncsSplitsLines(t *testing.T) {
	test.NewTempApp(t)
	e := NewListEditor(nil, nil)
	e.SetText(" a \n\nb")
	if items, err := e.Items(); err != nil || !slices.Equal(items, []string{"a", "b"}) {
		t.Errorf("Items() = %q, %v", items, err)
	}
}
