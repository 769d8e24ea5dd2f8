package data

import (
	"errors"

	"gorm.io/gorm"
)

// Helpers shared by the named records, Computer and Project.

func findByName[T any](db *gorm.DB, kind, name string) (T, error) {
	var record T
	err := db.Where("name = ?", name).Take(&record).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return record, &NotFoundError{Kind: kind, Name: name}
	}
	return record, err
}

func listByName[T any](db *gorm.DB) ([]T, error) {
	var records []T
	err := db.Order("name").Find(&records).Error
	return records, err
}

// checkNameFree fails with a *ConflictError when a record other than selfID
// (0 for a new record) has the name.
func checkNameFree[T any](db *gorm.DB, kind, name string, selfID uint) error {
	var existing []string
	// Names differing only in case would be one computer to a person reading a list.
	err := db.Model(new(T)).Where("lower(name) = lower(?) AND id <> ?", name, selfID).Limit(1).Pluck("name", &existing).Error
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return &ConflictError{Kind: kind, Field: "name", Value: name, Existing: existing[0]}
	}
	return nil
}

func deleteByName[T any](db *gorm.DB, kind, name string) error {
	result := db.Where("name = ?", name).Delete(new(T))
	return notFoundIfNone(result, kind, name)
}

// updateColumnsByName changes only the given columns, leaving UpdatedAt alone.
func updateColumnsByName[T any](db *gorm.DB, kind, name string, columns map[string]any) error {
	result := db.Model(new(T)).Where("name = ?", name).UpdateColumns(columns)
	return notFoundIfNone(result, kind, name)
}

func notFoundIfNone(result *gorm.DB, kind, name string) error {
	if result.Error != nil {
		return result.Error
	}
	if result.RowsAffected == 0 {
		return &NotFoundError{Kind: kind, Name: name}
	}
	return nil
}

func validateName(name string) error {
	if name == "" {
		return errors.New("the name is empty")
	}
	return nil
}
