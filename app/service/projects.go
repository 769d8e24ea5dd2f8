package service

import (
	"errors"
	"fmt"
	"slices"

	"filesync/data"
	"filesync/sync/folders"
)

// Projects lists every project, by name.
func (s *Service) Projects() ([]data.Project, error) { return s.store.Projects() }

// Project is the project with that name (names ignore case).
func (s *Service) Project(name string) (data.Project, error) {
	p, err := s.store.Project(name)
	return p, fromStore(err)
}

// SaveProject checks p and stores it: as a new project when oldName is "", else over the
// project called oldName. An empty Deletes propagates in a new project and leaves an edited
// one's as it was. It returns where p's folders land.
func (s *Service) SaveProject(oldName string, p *data.Project) (Resolution, error) {
	res, err := CheckProject(*p)
	if err != nil {
		return res, err
	}
	if oldName == "" {
		err = s.store.AddProject(p)
	} else {
		err = s.store.UpdateProject(oldName, p)
	}
	return res, fromStore(err)
}

// RemoveProject removes a project; its folders are not touched on any computer.
func (s *Service) RemoveProject(name string) error {
	return fromStore(s.store.DeleteProject(name))
}

// CheckProject checks p's name, mode and deletes and resolves its folders as a sync will.
// An empty Deletes passes: it means the default, or the stored value when editing.
func CheckProject(p data.Project) (Resolution, error) {
	if err := CheckProjectName(p.Name); err != nil {
		return Resolution{}, err
	}
	if p.Mode != Merge && p.Mode != Mirror {
		return Resolution{}, BadInput(&FieldError{Field: "mode", Value: string(p.Mode), Reason: "use merge or mirror"}, Hint{})
	}
	if err := checkDeletes(p.Deletes); err != nil {
		return Resolution{}, err
	}
	return ResolveFolders(p)
}

// checkDeletes checks a project's deletes option; "" (the default) passes.
func checkDeletes(d Deletes) error {
	if d != "" && d != Propagate && d != Keep {
		return BadInput(&FieldError{Field: "deletes", Value: string(d), Reason: "use propagate or keep"}, Hint{})
	}
	return nil
}

// CheckProjectName checks a project name as typed.
func CheckProjectName(name string) error {
	if err := folders.ValidateProjectName(name); err != nil {
		return BadInput(err, Hint{})
	}
	return nil
}

// ResolveFolders is where p's sync folders land under a computer's root, with their
// excludes and the ignore entries that match nothing.
func ResolveFolders(p data.Project) (Resolution, error) {
	res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
	if err != nil {
		return res, BadInput(fmt.Errorf("project %s: %w", p.Name, err), Hint{})
	}
	return res, nil
}

// IgnoredIn are p's ignore entries, as typed, that bear on one of res's folders: what a
// summary shows instead of every exclude pattern they make.
func IgnoredIn(p data.Project, res Resolution) []string {
	var out []string
	for _, e := range p.Ignore {
		if !slices.Contains(res.Unused, e) {
			out = append(out, e)
		}
	}
	return out
}

// ParseFolderList reads a folder list as a user types it: "[ data/a, models ]", one
// entry per line, or comma-separated.
func ParseFolderList(text string) ([]string, error) { return folders.ParseList(text) }

// CheckFolderEntries checks each entry of a folder list as the grammar will.
func CheckFolderEntries(entries []string) error {
	var problems []error
	for _, e := range entries {
		if err := folders.ValidateEntry(e); err != nil {
			problems = append(problems, err)
		}
	}
	return errors.Join(problems...)
}
