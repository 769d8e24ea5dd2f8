package data

import (
	"errors"
	"fmt"
)

// ErrNotFound is matched (errors.Is) by every error about a missing record.
var ErrNotFound = errors.New("not found")

// ErrConflict is matched (errors.Is) by every *ConflictError.
var ErrConflict = errors.New("conflict")

// NotFoundError says which record is missing; it matches ErrNotFound.
type NotFoundError struct {
	Kind string // "computer", "project" or "run"
	Name string // the name, or the id of a run
}

func (e *NotFoundError) Error() string {
	if e.Kind == "run" {
		return fmt.Sprintf("no run with id %s", e.Name)
	}
	return fmt.Sprintf("no %s named %q", e.Kind, e.Name)
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ConflictError says that saving a record would clash with an existing one;
// it matches ErrConflict.
type ConflictError struct {
	Kind     string // "computer" or "project"
	Field    string // "name" or "host"
	Value    string // the clashing value; "host:port" for Field "host"
	Existing string // name of the record that already has Value
}

func (e *ConflictError) Error() string {
	if e.Field == "name" {
		return fmt.Sprintf("a %s named %q already exists; choose another name", e.Kind, e.Value)
	}
	return fmt.Sprintf("%s already uses %s; choose another %s", e.Existing, e.Value, e.Field)
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
