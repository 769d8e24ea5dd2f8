package service

import (
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/index"
	"filesync/sync/probe"
	"filesync/sync/rsync"
)

// The engine's vocabulary, as the front ends see it.
type (
	// Kind is the action a run performs: SyncAll, SyncComputer or Push.
	Kind = engine.Kind
	// Result is how a run ended.
	Result = engine.Result
	// TransferInfo names one transfer of a run.
	TransferInfo = engine.TransferInfo
	// TransferResult is how one transfer ended.
	TransferResult = engine.TransferResult
	// ComputerResult is how a computer stands at the end of a run, or after its probe.
	ComputerResult = engine.ComputerResult
	// Progress is a transfer's progress report.
	Progress = rsync.Progress
	// Status is how a computer, a transfer or a run stands.
	Status = fleet.Status
	// Trigger is what started a run.
	Trigger = fleet.Trigger
	// Mode is how a project's folders are synchronised.
	Mode = fleet.Mode
	// FieldError is a field of a computer or project that cannot be used.
	FieldError = fleet.FieldError
	// Resolution is where a project's folders land under a root folder.
	Resolution = folders.Resolution
	// CheckReport is what a check found out about one computer.
	CheckReport = probe.Report
	// Cell is how one computer's copy of one project stands against the fleet.
	Cell = index.Cell
	// CellFile is one out-of-sync file of a cell.
	CellFile = index.File
	// CellState is in sync, out of sync or unreachable.
	CellState = index.State
	// Count is a number of files and their bytes.
	Count = index.Count
	// Delivery is what a sync or push would change on one destination.
	Delivery = index.Delivery
	// PlannedChange is one file a sync or push would send or delete.
	PlannedChange = index.Change
	// Conflict is a file changed on two or more computers since they last agreed.
	Conflict = index.Conflict
	// StillWriting is a file a run left for the next one: it was still being written.
	StillWriting = engine.StillWriting
	// Version is one computer's copy of a conflicting file.
	Version = index.Version
	// Halt is a computer's project that a sync left alone, and why.
	Halt = index.Halt
	// Deletes is what a sync does with a file deleted on one computer.
	Deletes = fleet.Deletes
)

// The states of a cell, and the directions of its files.
const (
	CellInSync      = index.InSync
	CellOutOfSync   = index.OutOfSync
	CellUnreachable = index.Unreachable
	CellHalted      = index.Halted
	Receive         = index.Receive
	Send            = index.Send
	Remove          = index.Remove
)

// The actions.
const (
	SyncAll      = engine.SyncAll
	SyncComputer = engine.SyncComputer
	Push         = engine.Push
)

// The statuses.
const (
	StatusIdle           = fleet.StatusIdle
	StatusRunning        = fleet.StatusRunning
	StatusSyncing        = fleet.StatusSyncing
	StatusOK             = fleet.StatusOK
	StatusFailed         = fleet.StatusFailed
	StatusCancelled      = fleet.StatusCancelled
	StatusInterrupted    = fleet.StatusInterrupted
	StatusUnreachable    = fleet.StatusUnreachable
	StatusHostKeyChanged = fleet.StatusHostKeyChanged
	StatusNotTrusted     = fleet.StatusNotTrusted
)

// The triggers.
const (
	TriggerSync         = fleet.TriggerSync
	TriggerSyncComputer = fleet.TriggerSyncComputer
	TriggerPush         = fleet.TriggerPush
	TriggerTask         = fleet.TriggerTask
	TriggerWatch        = fleet.TriggerWatch
	TriggerInterval     = fleet.TriggerInterval
	TriggerDryRun       = fleet.TriggerDryRun
)

// The modes, and what happens to deletions.
const (
	Merge     = fleet.Merge
	Mirror    = fleet.Mirror
	Propagate = fleet.Propagate
	Keep      = fleet.Keep
)

// DefaultRoot is the root folder of a new computer.
const DefaultRoot = fleet.DefaultRoot
