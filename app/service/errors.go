package service

import (
	"errors"
	"fmt"

	"filesync/data"
)

// ErrorKind says whose a problem is: the request's or the work's.
type ErrorKind int

// The kinds of error.
const (
	// KindFailed: the request was fine, doing it failed (the command line exits 1).
	KindFailed ErrorKind = iota
	// KindBadInput: the request names something that does not exist or cannot be used;
	// nothing was changed (the command line exits 2).
	KindBadInput
)

// Error is an error a front end shows to the user: what failed, of which kind, and what
// the user can do next. The Hint is worded by each front end: the window offers its own
// buttons, the command line names a command.
type Error struct {
	Kind ErrorKind
	Err  error
	Hint Hint
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// Hint is what the user can do about an error or a computer's status.
type Hint struct {
	Do   Remedy
	Name string // the computer or project it is about
}

// Remedy is one thing a user can do next.
type Remedy int

// The remedies.
const (
	NoRemedy       Remedy = iota
	ListComputers         // a name was wrong: look at the computers' names
	ListProjects          // a name was wrong: look at the projects' names
	AddComputer           // the fleet needs (more) computers
	AddProject            // there are no projects yet
	EditComputer          // Name clashes with the input, or needs fixing
	EditProject           // Name clashes with the input, or needs fixing
	EnableComputer        // Name is disabled
	TrustComputer         // Name's host key is not pinned, or changed
	NameComputer          // say which computer is this one
	GiveCommand           // a task needs a command
)

// BadInput marks err as the request's fault: nothing was changed.
func BadInput(err error, hint Hint) error {
	return &Error{Kind: KindBadInput, Err: err, Hint: hint}
}

func badInputf(hint Hint, format string, args ...any) error {
	return BadInput(fmt.Errorf(format, args...), hint)
}

// KindOf is the kind of the *Error in err's chain; any other error is a failure. The
// service marks bad input where it finds it (the store's missing records and conflicts,
// fields and folder entries that cannot be used), so nothing else needs to be known here.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindFailed
}

// HintOf is the hint carried by err, if any.
func HintOf(err error) Hint {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint
	}
	return Hint{}
}

// StatusHint is what a user can do about a computer in status s.
func StatusHint(name string, s Status) Hint {
	if s == StatusNotTrusted || s == StatusHostKeyChanged {
		return Hint{TrustComputer, name}
	}
	return Hint{}
}

// fromStore gives the store's missing-record and conflict errors their hints.
func fromStore(err error) error {
	var (
		missing  *data.NotFoundError
		conflict *data.ConflictError
	)
	switch {
	case errors.As(err, &missing) && missing.Kind == "project":
		return BadInput(err, Hint{ListProjects, ""})
	case errors.As(err, &missing) && missing.Kind == "computer":
		return BadInput(err, Hint{ListComputers, ""})
	case errors.As(err, &missing):
		return BadInput(err, Hint{})
	case errors.As(err, &conflict) && conflict.Kind == "project":
		return BadInput(err, Hint{EditProject, conflict.Existing})
	case errors.As(err, &conflict):
		return BadInput(err, Hint{EditComputer, conflict.Existing})
	}
	return err
}
