package fleet

// Status is how a computer, a transfer or a run stands. These words are stored in the
// database, printed by the command line and coloured by the window; they are declared
// nowhere else.
type Status string

// The statuses.
const (
	StatusIdle           Status = "idle"    // a computer that has not synced yet
	StatusRunning        Status = "running" // a run in progress
	StatusSyncing        Status = "syncing" // a computer a transfer touches now
	StatusOK             Status = "ok"
	StatusFailed         Status = "failed"
	StatusCancelled      Status = "cancelled"
	StatusInterrupted    Status = "interrupted" // a run whose process died before it ended
	StatusUnreachable    Status = "unreachable"
	StatusHostKeyChanged Status = "host key changed"
	StatusNotTrusted     Status = "not trusted"
)

func (s Status) String() string { return string(s) }

// Finished reports whether s ends a run.
func (s Status) Finished() bool {
	switch s {
	case StatusOK, StatusFailed, StatusCancelled, StatusInterrupted:
		return true
	}
	return false
}

// Trigger is what started a run.
type Trigger string

// The triggers.
const (
	TriggerSync         Trigger = "sync"          // Sync all
	TriggerSyncComputer Trigger = "sync-computer" // one computer downloads from the others
	TriggerPush         Trigger = "push"
	TriggerTask         Trigger = "task"     // a task, or the push after it
	TriggerWatch        Trigger = "watch"    // files changed on this computer
	TriggerInterval     Trigger = "interval" // a project's interval elapsed
	TriggerDryRun       Trigger = "dry-run"
)

func (t Trigger) String() string { return string(t) }
