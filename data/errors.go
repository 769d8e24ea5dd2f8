package data

import (
	"errors"
	"fmt"
	"strings"
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
	return fmt.Sprintf("no %s named %q; \"filesync %s list\" shows the names", e.Kind, e.Name, e.Kind)
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
	edit := fmt.Sprintf("\"filesync %s edit %s\"", e.Kind, shellWord(e.Existing))
	if e.Field == "name" {
		return fmt.Sprintf("a %s named %q already exists; choose another name or edit it with %s", e.Kind, e.Value, edit)
	}
	return fmt.Sprintf("%s already uses %s; choose another %s or edit %s with %s", e.Existing, e.Value, e.Field, e.Existing, edit)
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// shellWord quotes s so that the suggested command can be pasted into a shell.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@:+/") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
