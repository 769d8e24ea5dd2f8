package data

import (
	"errors"
	"fmt"
	"strconv"

	"filesync/sync/fleet"

	"gorm.io/gorm"
)

const runKind = "run"

// StartRun records a new run with status "running", started now.
func (s *Store) StartRun(trigger fleet.Trigger, scope string) (*Run, error) {
	run := &Run{Trigger: trigger, Scope: scope, StartedAt: now(), Status: fleet.StatusRunning}
	if err := s.db.Create(run).Error; err != nil {
		return nil, fmt.Errorf("start %s run: %w", trigger, err)
	}
	return run, nil
}

// FinishRun records the outcome of run id, ended now; status must be one that ends a run.
func (s *Store) FinishRun(id uint, status fleet.Status, bytes, files int64, errText string) error {
	if err := finishRun(s.db, id, status, bytes, files, errText); err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	return nil
}

func finishRun(db *gorm.DB, id uint, status fleet.Status, bytes, files int64, errText string) error {
	if !status.Finished() {
		return fmt.Errorf("%q is not the status of a finished run", status)
	}
	result := db.Model(&Run{}).Where("id = ?", id).UpdateColumns(map[string]any{
		"status":   status,
		"bytes":    bytes,
		"files":    files,
		"error":    errText,
		"ended_at": now(),
	})
	return notFoundIfNone(result, runKind, runName(id))
}

// AddTransfer records a transfer of run t.RunID and sets t.ID. A zero
// StartedAt becomes now.
func (s *Store) AddTransfer(t *Transfer) error {
	record := *t
	record.ID = 0
	if record.StartedAt.IsZero() {
		record.StartedAt = now()
	}
	record.StartedAt = record.StartedAt.UTC()
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if _, err := findRun(tx, record.RunID); err != nil {
			return err
		}
		return tx.Create(&record).Error
	})
	if err != nil {
		return fmt.Errorf("save transfer %s → %s of run %d: %w", t.From, t.To, t.RunID, err)
	}
	*t = record
	return nil
}

// Runs returns up to limit runs, newest first, without their transfers.
// A limit of 0 or less returns all runs.
func (s *Store) Runs(limit int) ([]Run, error) {
	query := s.db.Order("started_at DESC, id DESC")
	if limit > 0 {
		query = query.Limit(limit)
	}
	var runs []Run
	if err := query.Find(&runs).Error; err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// RunDetail returns run id with its transfers in the order they started, and its
// conflicts and halts in the order they were recorded.
func (s *Store) RunDetail(id uint) (Run, error) {
	inStartOrder := func(db *gorm.DB) *gorm.DB { return db.Order("started_at, id") }
	inRecordOrder := func(db *gorm.DB) *gorm.DB { return db.Order("id") }
	query := s.db.Preload("Transfers", inStartOrder).Preload("Conflicts", inRecordOrder).Preload("Halts", inRecordOrder)
	run, err := findRun(query, id)
	if err != nil {
		return Run{}, fmt.Errorf("load run %d: %w", id, err)
	}
	return run, nil
}

func findRun(db *gorm.DB, id uint) (Run, error) {
	var run Run
	err := db.Where("id = ?", id).Take(&run).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return run, &NotFoundError{Kind: runKind, Name: runName(id)}
	}
	return run, err
}

func runName(id uint) string { return strconv.FormatUint(uint64(id), 10) }
