package widgets

import (
	"fmt"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

var logEpoch = time.Date(2025, 11, 26, 15, 4, 5, 0, time.Local)

func numberedLines(prefix string, from, n int) []LogLine {
	lines := make([]LogLine, n)
	for i := range lines {
		lines[i] = LogLine{Time: logEpoch, Level: "info", Computer: "c1", Project: "p", Text: fmt.Sprintf("%s %d", prefix, from+i)}
	}
	return lines
}

func TestLogViewKeepsTheLastLinesOfABurstFromManyGoroutines(t *testing.T) {
	const capacity, producers, perProducer, chunk = 10_000, 8, 12_500, 250
	l := newTestLogView(t, capacity)

	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perProducer; i += chunk {
				l.Append(numberedLines(fmt.Sprintf("g%d", p), i, chunk)...)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for flushing := true; flushing; {
		select {
		case <-done:
			flushing = false
		default:
			l.Flush() // the UI keeps flushing while the burst is still arriving
		}
	}
	last := LogLine{Time: logEpoch, Level: "error", Computer: "c2", Text: "the very last line"}
	l.Append(last)
	l.Flush()

	if got := l.Len(); got != capacity {
		t.Fatalf("Len() = %d after %d lines, want the capacity %d", got, producers*perProducer+1, capacity)
	}
	lines := l.Lines()
	if got := lines[len(lines)-1]; got != last {
		t.Errorf("last visible line = %+v, want %+v", got, last)
	}
	assertEachProducerKeptASuffix(t, lines[:len(lines)-1], perProducer)
}

// assertEachProducerKeptASuffix checks that the kept lines are the newest ones: whatever
// the interleaving, each producer's surviving lines are its last ones, in order.
func assertEachProducerKeptASuffix(t *testing.T, lines []LogLine, perProducer int) {
	t.Helper()
	kept := map[string][]int{}
	for _, line := range lines {
		var producer string
		var n int
		if _, err := fmt.Sscanf(line.Text, "%s %d", &producer, &n); err != nil {
			t.Fatalf("unexpected line %q", line.Text)
		}
		kept[producer] = append(kept[producer], n)
	}
	for producer, ns := range kept {
		for i, n := range ns {
			if want := perProducer - len(ns) + i; n != want {
				t.Fatalf("producer %s kept line %d at position %d, want %d (not its newest lines in order)", producer, n, i, want)
			}
		}
	}
}

func TestLogViewFollowsTheTail(t *testing.T) {
	l := newTestLogView(t, 1000)
	for batch := range 5 {
		l.Append(numberedLines("line", batch*100, 100)...)
		l.Flush()

		rows := rowsInView(t, l)
		want := FormatLogLine(numberedLines("line", batch*100+99, 1)[0])
		if len(rows) == 0 || rows[len(rows)-1] != want {
			t.Fatalf("after batch %d the bottom row in view is %q, want the last line %q", batch, lastOf(rows), want)
		}
		if !l.Following() {
			t.Fatalf("after batch %d Following() = false, want true", batch)
		}
	}
}

func lastOf(rows []string) string {
	if len(rows) == 0 {
		return "(nothing in view)"
	}
	return rows[len(rows)-1]
}

func TestLogViewStopsFollowingWhenTheUserScrollsUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int
	}{
		{"below capacity", 10_000},
		{"at capacity, old lines dropping", 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLogView(t, tc.capacity)
			l.Append(numberedLines("line", 0, 300)...)
			l.Flush()

			scrollList(l, 400) // wheel up
			before := rowsInView(t, l)
			l.Append(numberedLines("line", 300, 50)...)
			l.Flush()

			if l.Following() {
				t.Error("Following() = true after the user scrolled up")
			}
			if after := rowsInView(t, l); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("new lines moved the view:\nbefore %q\nafter  %q", before, after)
			}
		})
	}
}

func TestLogViewResumesFollowingAtTheBottom(t *testing.T) {
	l := newTestLogView(t, 1000)
	l.Append(numberedLines("line", 0, 300)...)
	l.Flush()
	scrollList(l, 400)
	l.Append(numberedLines("line", 300, 10)...)
	l.Flush()

	scrollList(l, -100_000) // wheel down to the end
	l.Append(numberedLines("line", 310, 10)...)
	l.Flush()

	if !l.Following() {
		t.Fatal("Following() = false after scrolling back to the bottom")
	}
	if rows, want := rowsInView(t, l), FormatLogLine(numberedLines("line", 319, 1)[0]); lastOf(rows) != want {
		t.Errorf("bottom row in view = %q, want %q", lastOf(rows), want)
	}
}

func TestLogViewFollowToggle(t *testing.T) {
	l := newTestLogView(t, 1000)
	l.Append(numberedLines("line", 0, 300)...)
	l.Flush()

	test.Tap(l.controls.follow) // off: stays put even at the bottom
	l.Append(numberedLines("line", 300, 10)...)
	l.Flush()
	if l.Following() || l.controls.follow.Checked {
		t.Fatalf("after unticking Follow: Following() = %v, ticked = %v", l.Following(), l.controls.follow.Checked)
	}

	test.Tap(l.controls.follow) // on: jumps to the end
	if want := FormatLogLine(numberedLines("line", 309, 1)[0]); lastOf(rowsInView(t, l)) != want || !l.Following() {
		t.Errorf("after ticking Follow: bottom row %q (want %q), Following() = %v", lastOf(rowsInView(t, l)), want, l.Following())
	}

	scrollList(l, 400)
	l.Append(numberedLines("line", 310, 1)...)
	l.Flush()
	if l.controls.follow.Checked {
		t.Error("the Follow box stayed ticked after the user scrolled up")
	}
}

// scrollList sends a mouse-wheel event to the middle of the list; positive dy scrolls up.
func scrollList(l *LogView, dy float32) {
	c := fyne.CurrentApp().Driver().CanvasForObject(l.list)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l.list).Add(fyne.NewPos(20, l.list.Size().Height/2))
	test.Scroll(c, pos, 0, dy)
}

var filterLines = []LogLine{
	{Time: logEpoch, Level: "info", Computer: "c1", Project: "data/p", Text: "copied 3 files"},
	{Time: logEpoch, Level: "warning", Computer: "c2", Project: "data/p", Text: "slow link"},
	{Time: logEpoch, Level: "error", Computer: "c1", Project: "models/p", Text: "rsync failed: code 23"},
	{Time: logEpoch, Level: "debug", Computer: "c2", Project: "models/p", Text: "ssh -o BatchMode=yes c2"},
}

func TestLogViewFilters(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filter LogFilter
		want   []int // indexes into filterLines
	}{
		{"no filter", LogFilter{}, []int{0, 1, 2, 3}},
		{"computer", LogFilter{Computer: "c1"}, []int{0, 2}},
		{"project", LogFilter{Project: "models/p"}, []int{2, 3}},
		{"min level warning", LogFilter{MinLevel: "warning"}, []int{1, 2}},
		{"min level error", LogFilter{MinLevel: "error"}, []int{2}},
		{"min level debug is everything", LogFilter{MinLevel: "debug"}, []int{0, 1, 2, 3}},
		{"text ignores case", LogFilter{Text: "RSYNC"}, []int{2}},
		{"text matches the computer too", LogFilter{Text: "C2"}, []int{1, 3}},
		{"combined", LogFilter{Computer: "c2", MinLevel: "info"}, []int{1}},
		{"nothing", LogFilter{Text: "absent"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLogView(t, 100)
			l.Append(filterLines[:2]...)
			l.Flush()
			l.SetFilter(tc.filter)
			l.Append(filterLines[2:]...) // lines arriving under a filter are filtered too
			l.Flush()

			assertLines(t, l.Lines(), tc.want)
			if got := len(rowsInView(t, l)); got != len(tc.want) {
				t.Errorf("%d rows in view, want %d", got, len(tc.want))
			}
			if l.Len() != len(filterLines) {
				t.Errorf("Len() = %d, want every stored line (%d)", l.Len(), len(filterLines))
			}
		})
	}
}

func assertLines(t *testing.T, got []LogLine, want []int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i] != filterLines[w] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], filterLines[w])
		}
	}
}

func TestLogViewToolbarFilters(t *testing.T) {
	l := newTestLogView(t, 100)
	l.SetChoices([]string{"c1", "c2"}, []string{"data/p", "models/p"})
	l.Append(filterLines...)
	l.Flush()

	test.Type(l.controls.text, "fail")
	assertLines(t, l.Lines(), []int{2})

	l.controls.text.SetText("")
	l.controls.computer.SetSelected("c2")
	l.controls.level.SetSelected("Warnings and errors")
	assertLines(t, l.Lines(), []int{1})
	if got, want := l.Filter(), (LogFilter{Computer: "c2", MinLevel: "warning"}); got != want {
		t.Errorf("Filter() = %+v, want %+v", got, want)
	}

	l.SetChoices([]string{"c1"}, []string{"data/p"}) // c2 went away
	if l.controls.computer.Selected != anyComputer {
		t.Errorf("computer selector shows %q after its computer disappeared", l.controls.computer.Selected)
	}
	assertLines(t, l.Lines(), []int{1, 2})
}

func TestLogViewSetFilterUpdatesTheToolbar(t *testing.T) {
	l := newTestLogView(t, 100)
	l.SetFilter(LogFilter{Computer: "c9", Project: "data/p", MinLevel: "error", Text: "x"})

	c := l.controls
	got := []string{c.computer.Selected, c.project.Selected, c.level.Selected, c.text.Text}
	want := []string{"c9", "data/p", "Errors only", "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("toolbar shows %q, want %q", got, want)
	}
}

func TestLogViewRowsAreColouredByLevel(t *testing.T) {
	l := newTestLogView(t, 100)
	l.Append(filterLines...)
	l.Flush()

	want := map[string]color.Color{
		FormatLogLine(filterLines[0]): theme.Color(theme.ColorNameForeground),
		FormatLogLine(filterLines[1]): theme.Color(theme.ColorNameWarning),
		FormatLogLine(filterLines[2]): theme.Color(theme.ColorNameError),
		FormatLogLine(filterLines[3]): theme.Color(theme.ColorNamePlaceHolder),
	}
	seen := 0
	for _, p := range rendered(l.list) {
		if text, ok := p.obj.(*canvas.Text); ok && text.TextStyle.Monospace {
			if c, ok := want[text.Text]; ok {
				seen++
				if text.Color != c {
					t.Errorf("row %q has colour %v, want %v", text.Text, text.Color, c)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d rows", seen, len(want))
	}
}

func TestFormatLogLine(t *testing.T) {
	for _, tc := range []struct {
		line LogLine
		want string
	}{
		{LogLine{Time: logEpoch, Computer: "c1", Text: "hello"}, "15:04:05 [c1] hello"},
		{LogLine{Time: logEpoch, Text: "no computer"}, "15:04:05 no computer"},
	} {
		if got := FormatLogLine(tc.line); got != tc.want {
			t.Errorf("FormatLogLine(%+v) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestLogViewClearEmptiesIt(t *testing.T) {
	l := newTestLogView(t, 100)
	l.Append(filterLines...)
	l.Flush()
	l.Append(filterLines...) // still queued: Clear drops these too

	test.Tap(l.controls.clear)
	l.Flush()

	if l.Len() != 0 || len(l.Lines()) != 0 || len(rowsInView(t, l)) != 0 {
		t.Fatalf("after Clear: Len() = %d, %d lines, %d rows in view", l.Len(), len(l.Lines()), len(rowsInView(t, l)))
	}
	l.Append(filterLines[0])
	l.Flush()
	assertLines(t, l.Lines(), []int{0})
}

func TestLogViewCopyPutsTheShownLinesOnTheClipboard(t *testing.T) {
	l := newTestLogView(t, 100)
	l.Append(filterLines...)
	l.Flush()
	l.SetFilter(LogFilter{Computer: "c1"})

	test.Tap(l.controls.copy)

	want := "15:04:05 [c1] copied 3 files\n15:04:05 [c1] rsync failed: code 23\n"
	if got := fyne.CurrentApp().Clipboard().Content(); got != want {
		t.Errorf("clipboard = %q, want %q", got, want)
	}
}

func TestLogViewFocusFilter(t *testing.T) {
	test.NewTempApp(t)
	l := NewLogView(0)
	w := test.NewTempWindow(t, l)

	l.FocusFilter(w.Canvas())

	if w.Canvas().Focused() != l.controls.text {
		t.Errorf("focused = %v, want the filter field", w.Canvas().Focused())
	}
}

func TestLogViewFlushesByItself(t *testing.T) {
	test.NewTempApp(t)
	l := NewLogView(0)
	l.Append(filterLines...)

	deadline := time.Now().Add(5 * time.Second)
	for len(l.Lines()) < len(filterLines) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := len(l.Lines()); got != len(filterLines) {
		t.Fatalf("%d lines shown without calling Flush, want %d", got, len(filterLines))
	}
}

func TestLogViewBoundsAQueuedBurst(t *testing.T) {
	l := newTestLogView(t, 100)
	for i := range 1000 {
		l.Append(numberedLines("line", i, 1)...)
		if n := len(l.pending); n >= 2*100 {
			t.Fatalf("%d lines queued for a 100-line view", n)
		}
	}
	l.Flush()
	lines := l.Lines()
	if len(lines) != 100 {
		t.Fatalf("kept %d lines, want 100", len(lines))
	}
	if first, last := lines[0].Text, lines[99].Text; first != "line 900" || last != "line 999" {
		t.Errorf("kept %q to %q, want line 900 to line 999", first, last)
	}
}

// TestLogViewDrawsAtMostPartOfAVeryLongLineAndCopiesAllOfIt: a row is one text texture;
// a command line of several kilobytes would pass the driver's largest one.
func TestLogViewDrawsAtMostPartOfAVeryLongLineAndCopiesAllOfIt(t *testing.T) {
	l := newTestLogView(t, 100)
	long := LogLine{Time: filterLines[0].Time, Level: "debug", Text: "$ rsync " + strings.Repeat("--an-option ", 400)}
	l.Append(long)
	l.Flush()
	drawn := ""
	for _, p := range rendered(l.list) {
		if text, ok := p.obj.(*canvas.Text); ok && strings.Contains(text.Text, "$ rsync") {
			drawn = text.Text
		}
	}
	if n := utf8.RuneCountInString(drawn); n == 0 || n > maxShownRunes || !strings.HasSuffix(drawn, "…") {
		t.Errorf("the row draws %d characters (ends %q), want at most %d ending in …", n, drawn[max(0, len(drawn)-10):], maxShownRunes)
	}
	test.Tap(l.controls.copy)
	if got := fyne.CurrentApp().Clipboard().Content(); got != FormatLogLine(long)+"\n" {
		t.Errorf("Copy gave %d bytes, want the whole line of %d", len(got), len(FormatLogLine(long))+1)
	}
}
