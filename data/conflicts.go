package data

import (
	"fmt"

	"gorm.io/gorm"
)

// AddConflictsAndHalts records, in one transaction, the conflicts and halts of run id;
// each record's RunID is set to id and its ID by the database.
func (s *Store) AddConflictsAndHalts(id uint, conflicts []RunConflict, halts []RunHalt) error {
	if len(conflicts) == 0 && len(halts) == 0 {
		return nil
	}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if _, err := findRun(tx, id); err != nil {
			return err
		}
		return addRunChildren(tx, id, conflicts, halts)
	})
	if err != nil {
		return fmt.Errorf("save the conflicts and halts of run %d: %w", id, err)
	}
	return nil
}

func addRunChildren(tx *gorm.DB, id uint, conflicts []RunConflict, halts []RunHalt) error {
	for i := range conflicts {
		conflicts[i].ID, conflicts[i].RunID = 0, id
	}
	for i := range halts {
		halts[i].ID, halts[i].RunID = 0, id
	}
	if len(conflicts) > 0 {
		if err := tx.Create(&conflicts).Error; err != nil {
			return err
		}
	}
	if len(halts) > 0 {
		return tx.Create(&halts).Error
	}
	return nil
}

// ConflictsOfRuns returns the conflicts the runs ids recorded, in the order they were.
func (s *Store) ConflictsOfRuns(ids []uint) ([]RunConflict, error) {
	var out []RunConflict
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.db.Where("run_id IN ?", ids).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load the conflicts of %d runs: %w", len(ids), err)
	}
	return out, nil
}
