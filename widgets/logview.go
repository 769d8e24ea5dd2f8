package widgets

import (
	"image/color"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DefaultLogCapacity is the number of lines a LogView keeps when none is given.
const DefaultLogCapacity = 10000

// logFlushInterval bounds how often appended lines reach the screen (10 Hz).
const logFlushInterval = 100 * time.Millisecond

// LogLine is one entry of the activity log.
type LogLine struct {
	Time     time.Time
	Level    string // "debug", "info", "warning" or "error"
	Computer string // the computer it is about, or a transfer's two ends: "c1 → c2"
	Project  string // a project, or several: "a, b"
	Text     string
}

// LogFilter selects the log lines a LogView shows; empty fields match anything.
type LogFilter struct {
	Computer string
	Project  string
	MinLevel string // the least severe level shown
	Text     string // case-insensitive substring of the text, computer or project
}

// LogView is the activity log pane: a bounded, filterable, tail-following list of lines.
type LogView struct {
	widget.BaseWidget

	// mu guards the line store; the UI goroutine is the only writer, Append only queues.
	mu        sync.Mutex
	pending   []LogLine
	scheduled bool
	manual    bool // tests flush by hand instead of through timers and fyne.Do
	ring      logRing
	filter    compiledFilter
	visible   []uint64 // sequence numbers of the shown lines; nil when the filter matches all

	list         *widget.List
	controls     *logControls
	following    bool
	paused       bool // the user switched following off; reaching the bottom must not resume it
	listReady    bool
	bottomOffset float32
}

// NewLogView creates a log pane that keeps the last capacity lines (DefaultLogCapacity if capacity <= 0).
func NewLogView(capacity int) *LogView {
	if capacity <= 0 {
		capacity = DefaultLogCapacity
	}
	l := &LogView{ring: logRing{capacity: capacity}, following: true}
	l.list = widget.NewList(l.visibleLen, newLogRow, l.updateRow)
	l.list.HideSeparators = true
	l.controls = newLogControls(l)
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays the toolbar above the list.
func (l *LogView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(l.controls.toolbar(), nil, nil, nil, l.list))
}

// Append queues lines for display; it is safe from any goroutine and never touches widgets.
func (l *LogView) Append(lines ...LogLine) {
	if len(lines) == 0 {
		return
	}
	l.mu.Lock()
	l.pending = append(l.pending, lines...)
	l.trimPendingLocked()
	schedule := !l.scheduled && !l.manual
	l.scheduled = l.scheduled || schedule
	l.mu.Unlock()
	if schedule {
		time.AfterFunc(logFlushInterval, l.flushSoon)
	}
}

// trimPendingLocked drops queued lines that could never be shown, bounding a burst's memory to twice the capacity.
func (l *LogView) trimPendingLocked() {
	if len(l.pending) < 2*l.ring.capacity {
		return
	}
	keep := l.pending[len(l.pending)-l.ring.capacity:]
	n := copy(l.pending, keep)
	clear(l.pending[n:])
	l.pending = l.pending[:n]
}

func (l *LogView) flushSoon() {
	l.mu.Lock()
	l.scheduled = false
	l.mu.Unlock()
	fyne.Do(l.Flush)
}

// Flush shows the queued lines now; call it on the UI goroutine (the view calls it itself about 10 times a second) or from tests.
func (l *LogView) Flush() {
	l.mu.Lock()
	idle := len(l.pending) == 0
	l.mu.Unlock()
	if idle {
		return
	}
	// Only now, while the list still matches what the user saw, can we tell whether they left the bottom.
	l.updateFollowing()
	l.mu.Lock()
	dropped := l.applyPendingLocked()
	l.mu.Unlock()
	l.showNewLines(dropped)
}

// applyPendingLocked moves queued lines into the ring and returns how many shown lines fell out of it.
func (l *LogView) applyPendingLocked() (droppedVisible int) {
	oldFirst, oldNext := l.ring.first, l.ring.next
	for _, line := range l.pending {
		l.ring.push(line)
	}
	clear(l.pending)
	l.pending = l.pending[:0]
	if l.visible == nil {
		return int(l.ring.first - oldFirst)
	}
	droppedVisible = l.trimVisibleLocked()
	l.appendMatchesLocked(max(oldNext, l.ring.first))
	return droppedVisible
}

// trimVisibleLocked forgets shown lines that the ring no longer holds.
func (l *LogView) trimVisibleLocked() int {
	n := 0
	for n < len(l.visible) && l.visible[n] < l.ring.first {
		n++
	}
	if n > 0 {
		l.visible = l.visible[:copy(l.visible, l.visible[n:])]
	}
	return n
}

// appendMatchesLocked adds the stored lines from sequence number from onwards that pass the filter.
func (l *LogView) appendMatchesLocked(from uint64) {
	for seq := from; seq < l.ring.next; seq++ {
		if l.filter.matches(l.ring.at(seq)) {
			l.visible = append(l.visible, seq)
		}
	}
}

// showNewLines refreshes the list and keeps either the tail or the lines the user is reading in view.
func (l *LogView) showNewLines(droppedVisible int) {
	offset := l.list.GetScrollOffset()
	l.refreshList()
	if l.following {
		l.scrollToTail()
	} else if droppedVisible > 0 {
		// At capacity the oldest lines leave the top, so shift up to keep the same lines in view.
		l.list.ScrollToOffset(offset - float32(droppedVisible)*l.rowStride())
	}
}

func (l *LogView) refreshList() {
	l.list.Refresh()
	l.listReady = true // Refresh creates the list's renderer, which ScrollToBottom needs
}

// updateFollowing notices whether the user scrolled away from, or back to, the bottom since the last flush.
func (l *LogView) updateFollowing() {
	if !l.listReady || l.paused {
		return
	}
	l.setFollowing(l.atBottom())
}

// atBottom reports whether the last line is in view, without moving the list.
func (l *LogView) atBottom() bool {
	offset := l.list.GetScrollOffset()
	// Shrinking the window keeps the offset we scrolled to, which still counts as the bottom.
	if l.following && offset >= l.bottomOffset-0.5 {
		return true
	}
	l.list.ScrollToBottom()
	if l.list.GetScrollOffset()-offset <= 1 {
		return true
	}
	l.list.ScrollToOffset(offset)
	return false
}

func (l *LogView) scrollToTail() {
	if !l.listReady {
		return
	}
	l.list.ScrollToBottom()
	l.bottomOffset = l.list.GetScrollOffset()
}

func (l *LogView) setFollowing(following bool) {
	l.following = following
	l.controls.showFollowing(following)
}

// rowStride is the height of one row plus the list's gap between rows.
func (l *LogView) rowStride() float32 {
	return newLogRow().MinSize().Height + l.list.Theme().Size(theme.SizeNamePadding)
}

// Following reports whether the view scrolls to each new line; it stops when the user scrolls up.
func (l *LogView) Following() bool {
	return l.following
}

// SetFollowing scrolls to the last line and follows new ones (true), or stops following (false) until called again.
func (l *LogView) SetFollowing(follow bool) {
	l.paused = !follow
	l.setFollowing(follow)
	if follow {
		l.scrollToTail()
	}
}

// SetFilter shows only the stored lines that match f.
func (l *LogView) SetFilter(f LogFilter) {
	l.controls.show(f)
	l.applyFilter(f)
}

// Filter returns the filter in use.
func (l *LogView) Filter() LogFilter {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.filter.LogFilter
}

func (l *LogView) applyFilter(f LogFilter) {
	l.mu.Lock()
	l.filter = compileFilter(f)
	l.visible = nil
	if !l.filter.matchesAll() {
		l.visible = make([]uint64, 0, min(l.ring.len(), 1024))
		l.appendMatchesLocked(l.ring.first)
	}
	l.mu.Unlock()
	l.refreshList()
	if l.following {
		l.scrollToTail()
	}
}

// Clear forgets every stored and queued line.
func (l *LogView) Clear() {
	l.mu.Lock()
	clear(l.pending)
	l.pending = l.pending[:0]
	l.ring.clear()
	if l.visible != nil {
		l.visible = l.visible[:0]
	}
	l.mu.Unlock()
	l.refreshList()
	l.scrollToTail()
}

// Len returns the number of stored lines, shown or filtered out; it is safe from any goroutine.
func (l *LogView) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ring.len()
}

// Lines returns a copy of the lines the filter lets through, oldest first; it is safe from any goroutine.
func (l *LogView) Lines() []LogLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := make([]LogLine, l.visibleLenLocked())
	for i := range lines {
		lines[i] = l.visibleLineLocked(i)
	}
	return lines
}

// Text returns the shown lines as they are displayed, one per line.
func (l *LogView) Text() string {
	var b strings.Builder
	for _, line := range l.Lines() {
		b.WriteString(FormatLogLine(line))
		b.WriteByte('\n')
	}
	return b.String()
}

// Copy puts the shown lines on the app clipboard.
func (l *LogView) Copy() {
	fyne.CurrentApp().Clipboard().SetContent(l.Text())
}

// FocusFilter moves the keyboard focus on c to the filter field, e.g. for Ctrl+F.
func (l *LogView) FocusFilter(c fyne.Canvas) {
	c.Focus(l.controls.text)
}

// SetChoices sets the computers and projects offered by the filter selectors.
func (l *LogView) SetChoices(computers, projects []string) {
	l.controls.setChoices(computers, projects)
}

func (l *LogView) visibleLen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.visibleLenLocked()
}

func (l *LogView) visibleLenLocked() int {
	if l.visible == nil {
		return l.ring.len()
	}
	return len(l.visible)
}

func (l *LogView) visibleLineLocked(i int) LogLine {
	if l.visible == nil {
		return l.ring.at(l.ring.first + uint64(i))
	}
	return l.ring.at(l.visible[i])
}

func (l *LogView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	l.mu.Lock()
	if id < 0 || id >= l.visibleLenLocked() {
		l.mu.Unlock()
		return
	}
	line := l.visibleLineLocked(id)
	l.mu.Unlock()
	text := rowText(o)
	text.Text = shown(FormatLogLine(line))
	text.Color = theme.ColorForWidget(levelColor(line.Level), l)
	text.Refresh()
}

// maxShownRunes is as much of a line as a row draws: a row is one text texture, and a
// longer line (an rsync command line is over a kilobyte) can pass the graphics driver's
// largest texture and draw as a black bar. Copy still copies whole lines.
const maxShownRunes = 800

func shown(text string) string {
	if utf8.RuneCountInString(text) <= maxShownRunes {
		return text
	}
	return string([]rune(text)[:maxShownRunes-1]) + "…"
}

// newLogRow creates a row: bare monospace text, since a Label's padding would halve the
// lines in view and its rich-text layout doubles the cost of a flush.
func newLogRow() fyne.CanvasObject {
	text := canvas.NewText("00:00:00 [computer] text", color.Transparent)
	text.TextStyle = fyne.TextStyle{Monospace: true}
	pad := theme.Padding()
	return container.New(layout.NewCustomPaddedLayout(0, 0, pad, pad), text)
}

func rowText(row fyne.CanvasObject) *canvas.Text {
	return row.(*fyne.Container).Objects[0].(*canvas.Text)
}

// FormatLogLine renders a line as the log shows it: "15:04:05 [computer] text".
func FormatLogLine(line LogLine) string {
	stamp := line.Time.Format("15:04:05")
	if line.Computer == "" {
		return stamp + " " + line.Text
	}
	return stamp + " [" + line.Computer + "] " + line.Text
}

func levelColor(level string) fyne.ThemeColorName {
	switch levelRank(level) {
	case rankDebug:
		return theme.ColorNamePlaceHolder
	case rankWarning:
		return theme.ColorNameWarning
	case rankError:
		return theme.ColorNameError
	}
	return theme.ColorNameForeground
}

const (
	rankDebug = iota
	rankInfo
	rankWarning
	rankError
)

// levelRank orders levels by severity; unknown levels count as info.
func levelRank(level string) int {
	switch strings.ToLower(level) {
	case "debug", "trace":
		return rankDebug
	case "warning", "warn":
		return rankWarning
	case "error", "fatal", "panic":
		return rankError
	}
	return rankInfo
}

// compiledFilter is a LogFilter prepared for matching many lines.
type compiledFilter struct {
	LogFilter
	minRank int
	text    string // lower-cased
}

func compileFilter(f LogFilter) compiledFilter {
	c := compiledFilter{LogFilter: f, text: strings.ToLower(f.Text), minRank: rankDebug}
	if f.MinLevel != "" {
		c.minRank = levelRank(f.MinLevel)
	}
	return c
}

func (c compiledFilter) matchesAll() bool {
	return c.Computer == "" && c.Project == "" && c.minRank == rankDebug && c.text == ""
}

func (c compiledFilter) matches(line LogLine) bool {
	if c.Computer != "" && !mentions(line.Computer, c.Computer) {
		return false
	}
	if c.Project != "" && !mentions(line.Project, c.Project) {
		return false
	}
	if levelRank(line.Level) < c.minRank {
		return false
	}
	return c.text == "" || containsFold(line.Text, c.text) ||
		containsFold(line.Computer, c.text) || containsFold(line.Project, c.text)
}

// mentions reports whether field names name: a field may name one computer or project,
// a transfer's two ends ("c1 → c2") or a list ("a, b").
func mentions(field, name string) bool {
	for _, part := range strings.FieldsFunc(field, func(r rune) bool { return r == '→' || r == ',' }) {
		if strings.TrimSpace(part) == name {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case needle, ignoring case.
func containsFold(s, lowerNeedle string) bool {
	return strings.Contains(strings.ToLower(s), lowerNeedle)
}

// logRing stores the last capacity lines, numbered by an ever-growing sequence number.
type logRing struct {
	capacity int
	buf      []LogLine // grows to capacity, then wraps; line seq lives at seq % capacity
	first    uint64    // sequence number of the oldest stored line
	next     uint64    // sequence number the next line gets
}

func (r *logRing) push(line LogLine) {
	if len(r.buf) < r.capacity {
		r.grow()
		r.buf = append(r.buf, line)
	} else {
		r.buf[r.next%uint64(r.capacity)] = line
	}
	r.next++
	if r.next-r.first > uint64(r.capacity) {
		r.first = r.next - uint64(r.capacity)
	}
}

// grow doubles the buffer like append would, but never past the capacity.
func (r *logRing) grow() {
	if len(r.buf) < cap(r.buf) {
		return
	}
	bigger := make([]LogLine, len(r.buf), min(max(2*cap(r.buf), 64), r.capacity))
	copy(bigger, r.buf)
	r.buf = bigger
}

func (r *logRing) at(seq uint64) LogLine {
	return r.buf[seq%uint64(r.capacity)]
}

func (r *logRing) len() int {
	return int(r.next - r.first)
}

// clear drops every line but keeps the buffer, so sequence numbers keep mapping to the same slots.
func (r *logRing) clear() {
	clear(r.buf)
	r.first = r.next
}
