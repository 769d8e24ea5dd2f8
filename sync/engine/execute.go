package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/transfer"
)

// tailLines is how many output lines a transfer result keeps.
const tailLines = 20

// execute runs one job under the caps and locks, with retries for transient failures.
func (e *Engine) execute(ctx context.Context, j job, emit func(Event)) (res TransferResult) {
	res = TransferResult{TransferInfo: j.shown, ExitCode: -1}
	ctx, done := e.cancellable(ctx, j)
	defer done()
	defer func() {
		if cancelledByUser(ctx) {
			res.Cancelled = true
			res.Error = fmt.Sprintf("%s → %s: %v", j.shown.From, j.shown.To, errCancelledByUser)
		}
	}()
	release, err := e.acquire(ctx, j)
	if err != nil {
		res.Error = fmt.Sprintf("%s → %s: not started: %v", j.shown.From, j.shown.To, err)
		return res
	}
	defer release()
	emit(Event{Kind: Started, Transfer: j.shown})
	start := time.Now()
	if j.info.Options.Mode == fleet.Mirror && !j.force {
		if err := e.guardMirror(ctx, j); err != nil {
			res.Error = err.Error()
			res.Duration = time.Since(start)
			return res
		}
	}
	e.runWithRetries(ctx, j, emit, &res)
	res.Duration = time.Since(start)
	if res.Error == "" && res.Files < int64(j.sends) {
		emit(Event{Kind: Output, Transfer: j.shown, Stream: string(transfer.EngineStream), LineKind: LineProblem, Line: fmt.Sprintf(
			"%d of the %d files planned were not sent: each changed after the listing (newer on %s, or gone from %s); the next sync takes them",
			int64(j.sends)-res.Files, j.sends, j.shown.To, j.shown.From)})
	}
	return res
}

// acquire takes the destination's folder locks, then the pool slots of both ends.
func (e *Engine) acquire(ctx context.Context, j job) (func(), error) {
	unlock, err := e.locks.acquire(ctx, j.shown.To, j.shown.Folders)
	if err != nil {
		return nil, err
	}
	release, err := e.slots.acquire(ctx, j.shown.From, j.shown.To)
	if err != nil {
		unlock()
		return nil, err
	}
	return func() { release(); unlock() }, nil
}

func (e *Engine) runWithRetries(ctx context.Context, j job, emit func(Event), res *TransferResult) {
	for try := 1; ; try++ {
		out := newOutputReader(j.shown, emit, j.legs())
		out.folded = j.folded
		code, err := j.executor.Run(ctx, j.info, out.line)
		res.Tries, res.ExitCode = try, code
		res.Tail, res.Changes = out.tail, out.changes
		res.Command = j.shown.Command
		res.Bytes, res.Files = out.stats.Bytes, out.stats.Files
		if err == nil || code == rsync.ExitVanished && ctx.Err() == nil {
			// Files deleted or renamed while rsync ran (a writer's temporary file) are no
			// longer there to send; everything else arrived, and the change is a new trigger.
			res.Error = ""
			out.done()
			return
		}
		res.Error = describeFailure(j.shown, code, err, out.lastError)
		if ctx.Err() != nil || try >= e.cfg.Tries || !rsync.Transient(code) {
			return
		}
		wait := e.cfg.Backoff << (try - 1)
		emit(Event{Kind: Output, Transfer: j.shown, Stream: string(transfer.EngineStream), LineKind: LineProblem,
			Line: fmt.Sprintf("try %d of %d failed (%s); retrying in %s", try, e.cfg.Tries, rsync.ExitMeaning(code), wait)})
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// describeFailure names both computers, the cause and the folders the transfer was
// writing, e.g. "here → nas: exit 11 (…): rsync: [receiver] write failed on …: No space
// left on device (28) (folders: data/p, models/p)".
func describeFailure(t TransferInfo, code int, err error, lastError string) string {
	msg := fmt.Sprintf("%s → %s: %s", t.From, t.To, err.Error())
	if code > 0 {
		msg = fmt.Sprintf("%s → %s: exit %d (%s)", t.From, t.To, code, rsync.ExitMeaning(code))
	}
	if lastError != "" {
		msg += ": " + lastError
	}
	if len(t.Folders) > 0 {
		msg += " (folders: " + strings.Join(t.Folders, ", ") + ")"
	}
	return msg
}

// outputReader sorts a transfer's lines into progress, changes, statistics and the log.
type outputReader struct {
	info      TransferInfo
	emit      func(Event)
	tail      []string
	changes   []rsync.Change
	stats     rsync.Stats
	lastError string
	folded    []string // folders deleted as a whole, whose files' deletions are not shown
	total     *transferProgress
	reported  bool // rsync reported progress at least once
	eta       etaSmoother
	lastSent  time.Time
}

// progressEvery throttles progress events to about ten a second per transfer.
const progressEvery = 100 * time.Millisecond

// maxChanges bounds the changes kept for a transfer.
const maxChanges = 1000

// newOutputReader reads the output of a transfer of legs rsync transfers (see
// transferProgress).
func newOutputReader(info TransferInfo, emit func(Event), legs int) *outputReader {
	return &outputReader{info: info, emit: emit, total: newTransferProgress(legs, time.Now())}
}

func (o *outputReader) line(stream process.Stream, line string) {
	if p, ok := rsync.ParseProgress(line); ok {
		o.progress(p)
		return
	}
	kind := lineKindOf(stream)
	if c, ok := rsync.ParseChange(line); ok {
		if c.Deletes() && insideFolded(c.Path, o.folded) {
			return
		}
		kind = LineChange
		if len(o.changes) < maxChanges {
			o.changes = append(o.changes, c)
		}
	}
	if counted := o.stats.Add(line); kind == LineDetail && (counted || rsync.IsStatistics(line)) {
		kind = LineStats
	}
	if stream == transfer.OnwardStream {
		o.total.nextLeg(time.Now())
	}
	if stream == process.Stderr && strings.TrimSpace(line) != "" && (o.lastError == "" || !generic(line)) {
		o.lastError = strings.TrimSpace(line)
	}
	o.tail = append(o.tail, line)
	if len(o.tail) > tailLines {
		o.tail = o.tail[1:]
	}
	o.emit(Event{Kind: Output, Transfer: o.info, Stream: string(stream), Line: line, LineKind: kind})
}

// insideFolded reports whether path lies inside (not at) one of the folders.
func insideFolded(path string, folded []string) bool {
	for _, f := range folded {
		if strings.HasPrefix(path, f+"/") && path != f+"/" {
			return true
		}
	}
	return false
}

func lineKindOf(stream process.Stream) LineKind {
	if stream == process.Stderr || stream == transfer.EngineStream {
		return LineProblem
	}
	return LineDetail
}

func (o *outputReader) progress(p rsync.Progress) {
	now := time.Now()
	o.reported = true
	p = o.total.report(p, now)
	p.ETA = o.eta.next(p.ETA, now)
	if now.Sub(o.lastSent) < progressEvery {
		return
	}
	o.lastSent = now
	o.emit(Event{Kind: Progress, Transfer: o.info, Progress: p})
}

// done reports a transfer that succeeded as complete, if rsync reported its progress.
func (o *outputReader) done() {
	if o.reported {
		o.emit(Event{Kind: Progress, Transfer: o.info, Progress: o.total.done()})
	}
}

// generic reports whether an error line only repeats that something failed; the line
// before it (ssh's "Permission denied", rsync's "No space left on device") says why. A
// broken pipe is the other process of the transfer noticing that one died.
func generic(line string) bool {
	return strings.HasPrefix(line, "rsync error:") || strings.HasPrefix(line, "rsync: connection unexpectedly closed") ||
		strings.Contains(line, "Broken pipe")
}

// etaSmoother keeps an ETA from dropping faster than time passes: rsync's own estimate
// swings with every small file, and a countdown that leaps is not one a user can trust.
type etaSmoother struct {
	last time.Duration
	at   time.Time
}

func (s *etaSmoother) next(eta time.Duration, now time.Time) time.Duration {
	if !s.at.IsZero() {
		if floor := s.last - now.Sub(s.at); eta < floor {
			eta = floor
		}
	}
	s.last, s.at = eta, now
	return eta
}
