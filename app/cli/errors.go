package cli

import (
	"errors"

	"filesync/app/service"
)

// Exit codes of the command line. A task run by "filesync run" that fails passes its own
// exit code through instead.
const (
	ExitOK       = 0
	ExitFailed   = 1
	ExitBadInput = 2
)

func badInput(msg string) error { return service.BadInput(errors.New(msg), service.Hint{}) }

// errFailed marks a command that ran but whose transfers or checks failed; what failed was
// already printed.
var errFailed = errors.New("failed")

// taskExit carries a failed task's own exit code out of the command line.
type taskExit struct{ code int }

func (e *taskExit) Error() string { return "the task failed" }

// Is makes a failed task one more command whose failure was already printed.
func (e *taskExit) Is(target error) bool { return target == errFailed }

// exitCode maps an error to the exit code.
func exitCode(err error) int {
	var task *taskExit
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &task):
		return task.code
	case errors.Is(err, errFailed):
		return ExitFailed
	case service.KindOf(err) == service.KindBadInput:
		return ExitBadInput
	}
	return ExitFailed
}
