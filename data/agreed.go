package data

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AgreedListing is what one computer held in one project's folders after the last
// complete sync, encoded by package listing (a few bytes per file).
type AgreedListing struct {
	Computer string `gorm:"primaryKey"`
	Project  string `gorm:"primaryKey"`
	TakenAt  time.Time
	Files    int
	Listing  []byte
}

// SaveAgreed stores the listings in one transaction, replacing the earlier ones of the
// same computer and project: a reader sees all of them or none.
func (s *Store) SaveAgreed(listings []AgreedListing) error {
	if len(listings) == 0 {
		return nil
	}
	for i := range listings {
		listings[i].TakenAt = listings[i].TakenAt.UTC()
	}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(listings, 50).Error
	})
	if err != nil {
		return fmt.Errorf("store the fleet's agreed state: %w", err)
	}
	return nil
}

// Agreed returns the stored listings of the projects named, or of every project.
func (s *Store) Agreed(projects []string) ([]AgreedListing, error) {
	var out []AgreedListing
	q := s.db.Order("computer, project")
	if len(projects) > 0 {
		q = q.Where("project IN ?", projects)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load the fleet's agreed state: %w", err)
	}
	return out, nil
}

// forgetAgreed drops the listings of a computer or project that is deleted or renamed:
// they describe something that is gone.
func forgetAgreed(tx *gorm.DB, column, name string) error {
	return tx.Where(column+" = ?", name).Delete(&AgreedListing{}).Error
}
