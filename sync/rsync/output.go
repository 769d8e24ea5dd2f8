package rsync

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Progress is one --info=progress2 report: totals for the whole transfer so far.
type Progress struct {
	Bytes   int64
	Percent int
	Rate    float64       // bytes per second
	ETA     time.Duration // time left; negative when unknown (UnknownETA)
}

// UnknownETA is the ETA of a report that gives no time left.
const UnknownETA time.Duration = -1

// progressLine: bytes, percent, rate and unit, the time as h:mm:ss (or ??:??:??), and
// whether the " (xfr#…, to-chk=…)" of a finished file follows.
var progressLine = regexp.MustCompile(`^\s*([\d,]+)\s+(\d{1,3})%\s+([\d.]+)([kMGT]?B)/s\s+(?:(\d+):(\d{2}):(\d{2})|\?\?:\?\?:\?\?)( \((?:xfr#\d+, )?(?:to|ir)-chk=)?`)

// progressFragment is a whole progress2 report as rsync writes it: "\r", the numbers, then
// " (xfr#…, to-chk=…/…)" padded with spaces, or two spaces. No newline follows, so the next
// message of another rsync process can start on the same line.
var progressFragment = regexp.MustCompile(`^\s*[\d,]+\s+\d{1,3}%\s+[\d.]+[kMGT]?B/s\s+(?:\d+:\d{2}:\d{2}|\?\?:\?\?:\?\?)(?: \((?:xfr#\d+, )?(?:to|ir)-chk=\d+/\d+\) *|  )`)

// CutProgress splits a line that starts with progress reports and goes on with another
// message ("…    0:00:00  >f+++++++++ data/p/small") into the last report and the message.
func CutProgress(line string) (progress, rest string, ok bool) {
	end := 0
	for {
		loc := progressFragment.FindStringIndex(line[end:])
		if loc == nil || loc[1] == 0 {
			break
		}
		progress, end = line[end:end+loc[1]], end+loc[1]
	}
	if end == 0 || end == len(line) {
		return "", "", false
	}
	return progress, line[end:], true
}

// ParseProgress reads a progress2 line such as
// "  1,048,576  45%   10.00MB/s    0:00:05". rsync's time is not always a time left: a
// report that ends with " (xfr#3, to-chk=10/20)" comes when a file is done and gives the
// time taken since the transfer started, a report at 0 B/s shows 0:00:00, and a time
// beyond 9999 hours shows as ??:??:??; their ETA is UnknownETA.
func ParseProgress(line string) (Progress, bool) {
	m := progressLine.FindStringSubmatch(line)
	if m == nil {
		return Progress{}, false
	}
	bytes, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	percent, _ := strconv.Atoi(m[2])
	rate, _ := strconv.ParseFloat(m[3], 64)
	p := Progress{Bytes: bytes, Percent: percent, Rate: rate * unitFactor(m[4]), ETA: UnknownETA}
	if m[5] != "" && m[8] == "" && p.Rate > 0 {
		h, _ := strconv.Atoi(m[5])
		mins, _ := strconv.Atoi(m[6])
		s, _ := strconv.Atoi(m[7])
		p.ETA = time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute + time.Duration(s)*time.Second
	}
	return p, true
}

// unitFactor: rsync prints rates in powers of 1024 unless asked for -h.
func unitFactor(unit string) float64 {
	switch unit {
	case "kB":
		return 1 << 10
	case "MB":
		return 1 << 20
	case "GB":
		return 1 << 30
	case "TB":
		return 1 << 40
	}
	return 1
}

// Change is one --itemize-changes line: what happened to one path.
type Change struct {
	Code string // e.g. ">f+++++++++" or "*deleting"
	Path string
}

// itemizeLine: an 11-character code (YXcstpoguax, or "*deleting" padded), one space, the
// path — which may itself start with spaces.
var itemizeLine = regexp.MustCompile(`^([<>ch.][fdLDS][ .+?a-zA-Z]{9}|\*deleting  ) (.+)$`)

// ParseChange reads an itemized change line.
func ParseChange(line string) (Change, bool) {
	m := itemizeLine.FindStringSubmatch(line)
	if m == nil {
		return Change{}, false
	}
	return Change{Code: strings.TrimSpace(m[1]), Path: m[2]}, true
}

// Deletes reports whether the change removes a file on the receiver.
func (c Change) Deletes() bool { return c.Code == "*deleting" }

// IsFile reports whether the change is about a regular file.
func (c Change) IsFile() bool { return len(c.Code) > 1 && c.Code[1] == 'f' }

// New reports whether the file does not exist on the receiver yet.
func (c Change) New() bool { return strings.HasSuffix(c.Code, "+++++++++") }

// Transfers reports whether the change sends file content.
func (c Change) Transfers() bool {
	return len(c.Code) > 1 && (c.Code[0] == '>' || c.Code[0] == '<') && c.Code[1] == 'f'
}

// Stats are the totals from --info=stats2.
type Stats struct {
	Files int64 // regular files transferred
	Bytes int64 // total size of the transferred files
}

var (
	filesStat = regexp.MustCompile(`^Number of regular files transferred: ([\d,]+)`)
	bytesStat = regexp.MustCompile(`^Total transferred file size: ([\d,]+) bytes`)
)

// Add folds a stats line into s and reports whether the line was one.
func (s *Stats) Add(line string) bool {
	if m := filesStat.FindStringSubmatch(line); m != nil {
		s.Files += parseCount(m[1])
		return true
	}
	if m := bytesStat.FindStringSubmatch(line); m != nil {
		s.Bytes += parseCount(m[1])
		return true
	}
	return false
}

// statisticsPrefixes start the lines of rsync's --info=stats2 block and its closing
// "sent … received …" and "total size is …" lines.
var statisticsPrefixes = []string{
	"Number of ", "Total file size:", "Total transferred file size:", "Total bytes sent:", "Total bytes received:",
	"Literal data:", "Matched data:", "File list size:", "File list generation time:", "File list transfer time:",
	"sent ", "total size is ",
}

// IsStatistics reports whether line belongs to rsync's statistics block.
func IsStatistics(line string) bool {
	for _, p := range statisticsPrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

func parseCount(s string) int64 {
	n, _ := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n
}

// rsync's exit codes that a caller tells apart.
const (
	ExitPartial  = 23 // some files or attributes could not be transferred (or listed)
	ExitVanished = 24 // source files disappeared during the transfer
)

// Transient reports whether an exit code of rsync (or of ssh, 255) is worth a retry:
// connection, protocol-stream and timeout failures.
func Transient(code int) bool {
	switch code {
	case 10, 12, 30, 35, 255:
		return true
	}
	return false
}

// ExitMeaning explains an rsync exit code in a few words.
func ExitMeaning(code int) string {
	meanings := map[int]string{
		0: "ok", 1: "syntax or usage error", 2: "protocol incompatibility",
		3: "errors selecting input/output files or folders", 5: "error starting client-server protocol",
		10: "error in socket I/O", 11: "error in file I/O (disk full?)", 12: "error in the rsync protocol data stream (connection lost?)",
		20: "interrupted", 23: "partial transfer: some files could not be transferred",
		24: "some source files vanished during the transfer", 30: "timeout: no data moved",
		35: "timeout waiting for the connection", 127: "rsync not found on the computer",
		255: "ssh failed (unreachable, refused or authentication)",
	}
	if m, ok := meanings[code]; ok {
		return m
	}
	return "exit code " + strconv.Itoa(code)
}
