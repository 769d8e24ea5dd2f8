package listing

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what a listed path is.
type Kind uint8

// The kinds of path rsync lists.
const (
	File Kind = iota
	Dir
	Link
	Special // a device, socket or fifo, which a sync skips
)

// Entry is one listed path.
type Entry struct {
	Path  string // relative to the root folder, slash-separated: "data/P/x.bin"
	Kind  Kind
	Size  int64 // a link's size is its target's length
	MTime int64 // Unix seconds: what rsync's quick check compares
}

// Same reports whether a sync would leave both copies alone: same kind, size and mtime.
func (e Entry) Same(o Entry) bool {
	return e.Kind == o.Kind && e.Size == o.Size && e.MTime == o.MTime
}

// Time is the entry's modification time.
func (e Entry) Time() time.Time { return time.Unix(e.MTime, 0) }

// listTime is how rsync prints an mtime in a listing, in the listing process's time
// zone (UTC: List sets TZ).
const listTime = "2006/01/02 15:04:05"

// ParseLine reads one line of `rsync --list-only --no-human-readable` output, e.g.
// "-rw-r--r--        5000 2026/12/01 22:26:31 data/P/sub/b c.bin". rsync escapes a
// byte it cannot print (a newline, say) as \#ooo, and a backslash before # as \#134.
func ParseLine(line string) (Entry, error) {
	mode, rest, ok := strings.Cut(line, " ")
	if !ok || len(mode) != 10 {
		return Entry{}, fmt.Errorf("not a listing line: %q", line)
	}
	kind := kindOf(mode[0])
	rest = strings.TrimLeft(rest, " ")
	sizeText, rest, _ := strings.Cut(rest, " ")
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || len(rest) < len(listTime)+2 {
		return Entry{}, fmt.Errorf("not a listing line: %q", line)
	}
	mtime, err := time.ParseInLocation(listTime, rest[:len(listTime)], time.UTC)
	if err != nil || rest[len(listTime)] != ' ' {
		return Entry{}, fmt.Errorf("not a listing line (time): %q", line)
	}
	name := rest[len(listTime)+1:]
	if kind == Link {
		// "name -> target": rsync escapes neither, so a link whose name holds " -> "
		// is cut at the first one.
		name, _, _ = strings.Cut(name, " -> ")
	}
	path, err := unescape(name)
	if err != nil {
		return Entry{}, fmt.Errorf("%w in %q", err, line)
	}
	return Entry{Path: path, Kind: kind, Size: size, MTime: mtime.Unix()}, nil
}

func kindOf(c byte) Kind {
	switch c {
	case '-':
		return File
	case 'd':
		return Dir
	case 'l':
		return Link
	}
	return Special
}

var errBadEscape = errors.New("bad \\# escape")

// unescape turns rsync's \#ooo escapes back into bytes.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\#`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) || s[i+1] != '#' {
			b.WriteByte(s[i])
			continue
		}
		if i+5 > len(s) {
			return "", errBadEscape
		}
		v, err := strconv.ParseUint(s[i+2:i+5], 8, 8)
		if err != nil {
			return "", errBadEscape
		}
		b.WriteByte(byte(v))
		i += 4
	}
	return b.String(), nil
}
