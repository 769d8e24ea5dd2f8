package data

import (
	"fmt"

	"filesync/sync/fleet"

	"gorm.io/gorm"
)

const projectKind = "project"

// AddProject saves p as a new project and sets p.ID. An empty Mode becomes
// "merge", an empty Deletes "propagate". It fails with a *ConflictError when the name is taken.
func (s *Store) AddProject(p *Project) error {
	record := *p
	record.ID = 0
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := checkProject(tx, &record, 0); err != nil {
			return err
		}
		return tx.Create(&record).Error
	})
	if err != nil {
		return fmt.Errorf("add project %q: %w", p.Name, err)
	}
	*p = record
	return nil
}

// UpdateProject replaces every field of the project called name with p,
// which may rename it; p.ID and p.CreatedAt are taken from the stored record, and so is
// Deletes and the versions policy when p's are empty.
func (s *Store) UpdateProject(name string, p *Project) error {
	record := *p
	err := s.db.Transaction(func(tx *gorm.DB) error {
		old, err := findByName[Project](tx, projectKind, name)
		if err != nil {
			return err
		}
		record.ID, record.CreatedAt = old.ID, old.CreatedAt
		if record.Deletes == "" {
			record.Deletes = old.Deletes
		}
		if record.VersionsKeep == "" {
			record.VersionsKeep, record.VersionsDays, record.VersionsMaxGB = old.VersionsKeep, old.VersionsDays, old.VersionsMaxGB
		}
		if err := checkProject(tx, &record, old.ID); err != nil {
			return err
		}
		if err := tx.Save(&record).Error; err != nil {
			return err
		}
		if old.Name == record.Name {
			return nil
		}
		// A renamed project's folders are other folders (data/<name>).
		return forgetAgreed(tx, "project", old.Name)
	})
	if err != nil {
		return fmt.Errorf("edit project %q: %w", name, err)
	}
	*p = record
	return nil
}

func checkProject(tx *gorm.DB, p *Project, selfID uint) error {
	p.applyDefaults()
	if err := validateProject(p); err != nil {
		return err
	}
	return checkNameFree[Project](tx, projectKind, p.Name, selfID)
}

func validateProject(p *Project) error {
	if err := validateName(p.Name); err != nil {
		return err
	}
	if p.Mode != fleet.Merge && p.Mode != fleet.Mirror {
		return fmt.Errorf("mode %q is neither %q nor %q", p.Mode, fleet.Merge, fleet.Mirror)
	}
	if p.Deletes != fleet.Propagate && p.Deletes != fleet.Keep {
		return fmt.Errorf("deletes %q is neither %q nor %q", p.Deletes, fleet.Propagate, fleet.Keep)
	}
	if p.VersionsKeep != "" {
		if err := p.VersionPolicy().Check(); err != nil {
			return err
		}
	}
	if p.IntervalMinutes < 0 {
		return fmt.Errorf("interval %d minutes is negative", p.IntervalMinutes)
	}
	return nil
}

// DeleteProject deletes the project called name.
func (s *Store) DeleteProject(name string) error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := deleteByName[Project](tx, projectKind, name); err != nil {
			return err
		}
		return forgetAgreed(tx, "project", name)
	})
	if err != nil {
		return fmt.Errorf("delete project %q: %w", name, err)
	}
	return nil
}

// Project returns the project called name; the error matches ErrNotFound
// when there is none.
func (s *Store) Project(name string) (Project, error) {
	p, err := findByName[Project](s.db, projectKind, name)
	if err != nil {
		return Project{}, fmt.Errorf("load project %q: %w", name, err)
	}
	return p, nil
}

// Projects returns all projects ordered by name.
func (s *Store) Projects() ([]Project, error) {
	projects, err := listByName[Project](s.db)
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	return projects, nil
}
