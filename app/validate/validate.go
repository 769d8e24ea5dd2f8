// Package validate checks computers and projects as a user typed them — in the command line
// or in the window — before anything reaches the database, with one sentence per problem.
package validate

import (
	"errors"
	"fmt"
	"os"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/folders"
)

// ErrLocalWithHost is returned for a computer given both a host and --local.
var ErrLocalWithHost = errors.New("give either a host or local, not both: a local computer is reached without ssh")

// Computer checks c as the engine will use it, and that its identity file exists.
func Computer(c data.Computer) error {
	if err := fleet.ValidateComputer(runs.Computer(c)); err != nil {
		return err
	}
	if c.Identity != "" {
		if _, err := os.Stat(c.Identity); err != nil {
			return &fleet.FieldError{Field: "identity file", Value: c.Identity, Reason: "not found; give the path of an ssh private key"}
		}
	}
	return nil
}

// Project checks p's name and resolves its folders as a sync will.
func Project(p data.Project) (folders.Resolution, error) {
	if err := folders.ValidateProjectName(p.Name); err != nil {
		return folders.Resolution{}, err
	}
	if p.Mode != string(fleet.Merge) && p.Mode != string(fleet.Mirror) {
		return folders.Resolution{}, &fleet.FieldError{Field: "mode", Value: p.Mode, Reason: "use merge or mirror"}
	}
	res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
	if err != nil {
		return res, fmt.Errorf("project %s: %w", p.Name, err)
	}
	return res, nil
}
