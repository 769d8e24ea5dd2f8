package folders

import (
	"errors"
	"fmt"
	"strings"
)

// ParseList splits a typed list of entries into items. It accepts the seed's
// bracketed form "[ a, b, c ]" (brackets may sit on their own lines), one
// entry per line, and comma-separated entries. Blank items are skipped and one
// pair of surrounding quotes is stripped. It does not validate the entries;
// [Resolve] does.
func ParseList(text string) ([]string, error) {
	body, err := listBody(strings.TrimSpace(text))
	if err != nil {
		return nil, err
	}
	var items []string
	for _, field := range strings.FieldsFunc(body, isItemSeparator) {
		item := unquote(strings.TrimSpace(field))
		if strings.TrimSpace(item) != "" {
			items = append(items, item)
		}
	}
	return items, nil
}

func isItemSeparator(r rune) bool {
	return r == ',' || r == '\n'
}

// listBody returns text without the list's enclosing brackets, if it has them.
func listBody(text string) (string, error) {
	if !strings.HasPrefix(text, "[") {
		if strings.HasSuffix(text, "]") && !closesSomeBracket(text) {
			return "", errors.New(`list ends with "]" but has no opening "["; add "[" before the first entry or remove the "]"`)
		}
		return text, nil
	}
	end := openingBracketEnd(text)
	switch {
	case end < 0:
		return "", errors.New(`list starts with "[" but has no closing "]"; add "]" after the last entry`)
	case end == len(text)-1:
		return text[1:end], nil
	case strings.ContainsAny(text[:end], ", \t\r\n"):
		return "", fmt.Errorf(`list has %q after its closing "]"; put every entry inside the brackets`, strings.TrimSpace(text[end+1:]))
	default:
		// A leading "[...]" without separators or spaces inside is a glob
		// class such as "[ab]*.tmp", not the list's brackets.
		return text, nil
	}
}

// openingBracketEnd returns the index of the "]" that closes the "[" at the
// start of text, or -1 when nothing closes it.
func openingBracketEnd(text string) int {
	depth := 0
	for i, r := range text {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// closesSomeBracket reports whether the "]" ending text closes a "[" before it,
// as in the glob "*.py[co]".
func closesSomeBracket(text string) bool {
	depth := 0
	for i := len(text) - 1; i >= 0; i-- {
		switch text[i] {
		case ']':
			depth++
		case '[':
			depth--
			if depth == 0 {
				return true
			}
		}
	}
	return false
}

// unquote strips one pair of matching quotes, which the seed's YAML lists allowed.
func unquote(item string) string {
	if len(item) >= 2 && (item[0] == '"' || item[0] == '\'') && item[len(item)-1] == item[0] {
		return item[1 : len(item)-1]
	}
	return item
}
