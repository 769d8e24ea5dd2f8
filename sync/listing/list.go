package listing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/transfer"
)

// Listing is what one computer holds in some folders, sorted by path.
type Listing []Entry

// Has reports whether the listing holds the folder (or file) at path itself.
func (l Listing) Has(path string) bool {
	i := sort.Search(len(l), func(i int) bool { return l[i].Path >= path })
	return i < len(l) && l[i].Path == path
}

// Under returns the entries at or below folder.
func (l Listing) Under(folder string) Listing {
	start := sort.Search(len(l), func(i int) bool { return l[i].Path >= folder })
	end := start
	for end < len(l) && Within(l[end].Path, folder) {
		end++
	}
	return l[start:end]
}

// In returns the entries at or below any of the folders, sorted by path.
func (l Listing) In(fs []folders.Folder) Listing {
	var out Listing
	for _, f := range fs {
		out = append(out, l.Under(f.Path)...)
	}
	return Sorted(out)
}

// Sorted sorts l by path and drops repeated paths (folders listed twice).
func Sorted(l Listing) Listing {
	byPath := func(a, b Entry) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(l, byPath) {
		slices.SortFunc(l, byPath)
	}
	return slices.CompactFunc(l, func(a, b Entry) bool { return a.Path == b.Path })
}

// Within reports whether path is folder or lies inside it (by path segments).
func Within(path, folder string) bool {
	return path == folder || strings.HasPrefix(path, folder+"/")
}

// ProgressEvery is how many entries pass between two progress reports of List.
const ProgressEvery = 1000

// Command is the argv that lists fs on c, as List runs it.
func Command(c fleet.Computer, fs []folders.Folder, env transfer.Env, timeout time.Duration) ([]string, error) {
	src, shell, err := transfer.Endpoint(c, env.SSH)
	if err != nil {
		return nil, err
	}
	remoteShell := ""
	if shell != nil {
		if env.Agent {
			// The listing may open c's multiplexed connection, which the run's transfers
			// then reuse; only a master that forwards the agent forwards it to them.
			shell = append(shell, "-A")
		}
		remoteShell = rsync.RemoteShell(shell)
	}
	return rsync.ListArgs(src, fs, timeout, remoteShell), nil
}

// Error is a listing that failed: the exit code and what rsync and ssh said.
type Error struct {
	Computer string
	ExitCode int
	Stderr   []string
	Err      error
}

func (e *Error) Error() string {
	last := ""
	if len(e.Stderr) > 0 {
		last = ": " + e.Stderr[len(e.Stderr)-1]
	}
	return fmt.Sprintf("%s: listing failed (%v)%s", e.Computer, e.Err, last)
}

func (e *Error) Unwrap() error { return e.Err }

// Timeouts bound a listing.
type Timeouts struct {
	IO time.Duration // rsync --timeout: no data moving this long fails the listing
	// Answer: a listing that prints nothing at all this long has a computer that is down
	// behind it (0: no limit). A multiplexed connection to a computer that vanished
	// without a reset would otherwise hang until ssh's keep-alives give up.
	Answer time.Duration
}

// ErrNoAnswer is the error of a listing that printed nothing within Timeouts.Answer.
var ErrNoAnswer = errors.New("no answer")

// List lists fs on c with one rsync, over c's multiplexed ssh connection when c is
// remote. progress, when not nil, is told the number of entries read so far every
// ProgressEvery entries and at the end.
func List(ctx context.Context, c fleet.Computer, fs []folders.Folder, env transfer.Env, limits Timeouts, progress func(int)) (Listing, error) {
	argv, err := Command(c, fs, env, limits.IO)
	if err != nil {
		return nil, err
	}
	var (
		out     Listing
		stderr  []string
		badLine error
	)
	ctx, answered, release := answerWithin(ctx, limits.Answer)
	defer release()
	code, err := process.Run(ctx, process.Spec{Argv: argv, Env: utcEnv(env.ProcEnv), OnLine: func(s process.Stream, line string) {
		answered()
		if s == process.Stderr {
			stderr = append(stderr, line)
			return
		}
		e, perr := ParseLine(line)
		if perr != nil {
			badLine = perr
			return
		}
		out = append(out, e)
		if progress != nil && len(out)%ProgressEvery == 0 {
			progress(len(out))
		}
	}})
	if err == nil && badLine != nil {
		err = badLine
	}
	if errors.Is(context.Cause(ctx), ErrNoAnswer) {
		err = fmt.Errorf("%w within %s: the computer or the network to it is down", ErrNoAnswer, limits.Answer)
	}
	switch {
	case err == nil:
	case code == rsync.ExitPartial && onlyMissingRoot(stderr):
		// A computer without its root folder yet holds nothing; it is not an error.
		out, err = nil, nil
	case code == rsync.ExitVanished && ctx.Err() == nil:
		// A file deleted while it was listed (a writer's temporary file) is not there.
		err = nil
	}
	if err != nil {
		return nil, &Error{Computer: c.Name, ExitCode: code, Stderr: stderr, Err: err}
	}
	if progress != nil {
		progress(len(out))
	}
	return Sorted(out), nil
}

// answerWithin returns a context that ends with ErrNoAnswer unless answered is called
// within d (never, for 0); release frees it.
func answerWithin(ctx context.Context, d time.Duration) (_ context.Context, answered, release func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if d <= 0 {
		return ctx, func() {}, func() { cancel(nil) }
	}
	timer := time.AfterFunc(d, func() { cancel(ErrNoAnswer) })
	return ctx, func() { timer.Stop() }, func() { timer.Stop(); cancel(nil) }
}

// onlyMissingRoot reports whether rsync complained of nothing but a missing root folder:
// with --relative it changes into the root before it looks for the folders, which
// --ignore-missing-args then does not cover.
func onlyMissingRoot(stderr []string) bool {
	missing := false
	for _, line := range stderr {
		switch {
		case strings.Contains(line, "change_dir") && strings.HasSuffix(line, "failed: No such file or directory (2)"):
			missing = true
		case strings.HasPrefix(line, "rsync error: some files/attrs were not transferred"), strings.TrimSpace(line) == "":
		default:
			return false
		}
	}
	return missing
}

// utcEnv is env (or this process's environment) with TZ=UTC, so that rsync prints mtimes
// in UTC whatever this computer's time zone.
func utcEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TZ=") {
			out = append(out, kv)
		}
	}
	return append(out, "TZ=UTC")
}
