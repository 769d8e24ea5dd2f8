package data

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"filesync/sync/fleet"

	"gorm.io/gorm"
)

const computerKind = "computer"

// AddComputer saves c as a new computer and sets c.ID. A zero Port becomes 22
// and an empty Root "~/mlcomp". It fails with a *ConflictError when the name
// is taken, or when another remote computer already uses the same host and
// port.
func (s *Store) AddComputer(c *Computer) error {
	record := *c
	record.ID = 0
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := checkComputer(tx, &record, 0); err != nil {
			return err
		}
		return tx.Create(&record).Error
	})
	if err != nil {
		return fmt.Errorf("add computer %q: %w", c.Name, err)
	}
	*c = record
	return nil
}

// CheckNewComputer reports the conflict AddComputer would meet, without saving anything:
// for checks worth making before slower work such as fetching a host key.
func (s *Store) CheckNewComputer(c Computer) error {
	if err := checkComputer(s.db, &c, 0); err != nil {
		return fmt.Errorf("add computer %q: %w", c.Name, err)
	}
	return nil
}

// UpdateComputer replaces every field of the computer called name with c,
// which may rename it; c.ID and c.CreatedAt are taken from the stored record.
// Uniqueness is checked as in AddComputer, ignoring the computer itself.
func (s *Store) UpdateComputer(name string, c *Computer) error {
	record := *c
	err := s.db.Transaction(func(tx *gorm.DB) error {
		old, err := findByName[Computer](tx, computerKind, name)
		if err != nil {
			return err
		}
		record.ID, record.CreatedAt = old.ID, old.CreatedAt
		if err := checkComputer(tx, &record, old.ID); err != nil {
			return err
		}
		if err := tx.Save(&record).Error; err != nil {
			return err
		}
		// A renamed computer still holds the same files.
		return tx.Model(&AgreedListing{}).Where("computer = ?", old.Name).Update("computer", record.Name).Error
	})
	if err != nil {
		return fmt.Errorf("edit computer %q: %w", name, err)
	}
	*c = record
	return nil
}

// checkComputer applies the defaults to c and fails when it is invalid or
// clashes with a computer other than selfID. It runs in the IMMEDIATE
// transaction that saves c, so another process cannot slip in between.
func checkComputer(tx *gorm.DB, c *Computer, selfID uint) error {
	c.applyDefaults()
	if err := validateComputer(c); err != nil {
		return err
	}
	if err := checkNameFree[Computer](tx, computerKind, c.Name, selfID); err != nil {
		return err
	}
	return checkAddressFree(tx, c, selfID)
}

func validateComputer(c *Computer) error {
	if err := validateName(c.Name); err != nil {
		return err
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("port %d is not between 1 and 65535 (or 0: from ssh's configuration)", c.Port)
	}
	return nil
}

// checkAddressFree fails when another remote computer has c's host and port.
// Local computers have no address, and an empty host is not one either.
func checkAddressFree(tx *gorm.DB, c *Computer, selfID uint) error {
	if c.Local || c.Host == "" {
		return nil
	}
	var others []Computer
	err := tx.Where("local = ? AND lower(host) = lower(?) AND port = ? AND id <> ?", false, c.Host, c.Port, selfID).
		Limit(1).Find(&others).Error
	if err != nil || len(others) == 0 {
		return err
	}
	return &ConflictError{
		Kind:     computerKind,
		Field:    "host",
		Value:    net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		Existing: others[0].Name,
	}
}

// DeleteComputer deletes the computer called name.
func (s *Store) DeleteComputer(name string) error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := deleteByName[Computer](tx, computerKind, name); err != nil {
			return err
		}
		return forgetAgreed(tx, "computer", name)
	})
	if err != nil {
		return fmt.Errorf("delete computer %q: %w", name, err)
	}
	return nil
}

// Computer returns the computer called name; the error matches ErrNotFound
// when there is none.
func (s *Store) Computer(name string) (Computer, error) {
	c, err := findByName[Computer](s.db, computerKind, name)
	if err != nil {
		return Computer{}, fmt.Errorf("load computer %q: %w", name, err)
	}
	return c, nil
}

// Computers returns all computers ordered by name.
func (s *Store) Computers() ([]Computer, error) {
	computers, err := listByName[Computer](s.db)
	if err != nil {
		return nil, fmt.Errorf("list computers: %w", err)
	}
	return computers, nil
}

// SetComputerStatus records the outcome of the last sync with a computer.
// LastSyncAt changes only when syncedAt is not nil.
func (s *Store) SetComputerStatus(name string, status fleet.Status, errText string, syncedAt *time.Time) error {
	columns := map[string]any{"last_status": status, "last_error": errText}
	if syncedAt != nil {
		columns["last_sync_at"] = syncedAt.UTC()
	}
	if err := updateColumnsByName[Computer](s.db, computerKind, name, columns); err != nil {
		return fmt.Errorf("save status of computer %q: %w", name, err)
	}
	return nil
}

// SetHostKeys replaces the pinned host keys of a computer.
func (s *Store) SetHostKeys(name, keys string) error {
	if err := updateColumnsByName[Computer](s.db, computerKind, name, map[string]any{"host_keys": keys}); err != nil {
		return fmt.Errorf("save host keys of computer %q: %w", name, err)
	}
	return nil
}
