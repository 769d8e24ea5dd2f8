package cli

import (
	"errors"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/folders"
)

// Exit codes of the command line.
const (
	ExitOK       = 0
	ExitFailed   = 1
	ExitBadInput = 2
)

// inputError is bad input found by the command line itself.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badInput(msg string) error { return &inputError{msg} }

// errFailed marks a command that ran but whose transfers or checks failed; what failed was
// already printed.
var errFailed = errors.New("failed")

// exitCode maps an error to the exit code: 2 for every kind of bad input.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var task *taskExit
	if errors.As(err, &task) {
		return task.code
	}
	var (
		in       *inputError
		field    *fleet.FieldError
		entry    *folders.EntryError
		runInput *runs.InputError
	)
	switch {
	case errors.As(err, &in), errors.As(err, &field), errors.As(err, &entry), errors.As(err, &runInput),
		errors.Is(err, data.ErrNotFound), errors.Is(err, data.ErrConflict):
		return ExitBadInput
	}
	return ExitFailed
}
