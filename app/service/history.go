package service

import "filesync/data"

// Runs lists the newest runs, newest first.
func (s *Service) Runs(limit int) ([]data.Run, error) { return s.store.Runs(limit) }

// RunDetail is one run with its transfers.
func (s *Service) RunDetail(id uint) (data.Run, error) {
	run, err := s.store.RunDetail(id)
	return run, fromStore(err)
}
