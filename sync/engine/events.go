package engine

import (
	"time"

	"filesync/sync/fleet"
	"filesync/sync/index"
	"filesync/sync/rsync"
)

// EventKind says what an Event reports.
type EventKind string

// The events of a run, in the order they happen to a transfer.
const (
	ComputerChecked EventKind = "computer"     // a computer was probed before the plan
	Queued          EventKind = "queued"       // a transfer waits for its turn
	Started         EventKind = "started"      // its command runs (Transfer.Command)
	Progress        EventKind = "progress"     // rsync reported totals (at most ~10 a second)
	Output          EventKind = "output"       // one line of output (Line, Stream)
	Finished        EventKind = "finished"     // a transfer ended (Result)
	RunFinished     EventKind = "run finished" // the run ended (Run)
)

// Event is one thing that happened in a run.
type Event struct {
	Kind     EventKind
	Time     time.Time
	RunID    uint
	Transfer TransferInfo   // for transfer events
	Line     string         // Output
	Stream   string         // Output: "stdout", "stderr", "onward" (a relay's second leg starting) or "engine"
	LineKind LineKind       // Output: what the line is
	Progress rsync.Progress // Progress: of the whole transfer, all its legs (transferProgress), with an ETA that never drops faster than time passes
	Result   *TransferResult
	Run      *Result
	Computer *ComputerResult // ComputerChecked
}

// LineKind says what an output line is, so that nobody parses rsync's output again.
type LineKind int

// The kinds of output line.
const (
	LineDetail  LineKind = iota // the rest of rsync's output
	LineStats                   // a line of rsync's statistics block (rsync.IsStatistics)
	LineChange                  // an itemized change (rsync.ParseChange)
	LineProblem                 // stderr, or FileSync's own remark about the transfer
)

// TransferInfo names one transfer of a run.
type TransferInfo struct {
	Index    int
	From     string
	To       string
	Folders  []string
	Projects []string // the projects whose folders it copies
	Command  string   // the command line as shown to the user
}

// TransferResult is how one transfer ended.
type TransferResult struct {
	TransferInfo
	ExitCode  int
	Error     string
	Bytes     int64
	Files     int64
	Duration  time.Duration
	Tries     int
	Cancelled bool           // the user stopped this transfer (CancelTransfer)
	Tail      []string       // the last lines of output
	Changes   []rsync.Change // itemized changes (all of them in a dry run)
}

// ComputerResult is how a computer stands at the end of a run (or after its probe).
type ComputerResult struct {
	Name         string
	Status       fleet.Status
	Reason       string
	RsyncVersion string
}

// Result is how a run ended.
type Result struct {
	RunID     uint
	Status    fleet.Status
	Transfers []TransferResult
	Computers []ComputerResult
	Bytes     int64
	Files     int64
	Summary   string // e.g. "3/4 computers ok; gpu-2: connection refused"
	Duration  time.Duration
	// Conflicts and Halts come from the plan of a sync planned from the fleet's listings.
	Conflicts []index.Conflict
	Halts     []index.Halt
	// StillWriting are the files the run left for the next one: they changed on the
	// computer that was to send them between its listing and the transfer.
	StillWriting []StillWriting
}

// StillWriting is a file that was still being written on Computer when a run would have
// sent it.
type StillWriting struct {
	Computer, Project, Path string
}

// String is how a user reads it: "still being written on c2: models/x.pt".
func (w StillWriting) String() string {
	return "still being written on " + w.Computer + ": " + w.Path
}

// Failed reports whether any transfer or computer failed.
func (r Result) Failed() bool { return r.Status != fleet.StatusOK }
