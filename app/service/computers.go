package service

import (
	"errors"
	"os"
	"os/user"

	"filesync/data"
	"filesync/sync/fleet"
)

// ErrLocalWithHost is the error for a computer given both a host and local.
var ErrLocalWithHost = errors.New("give either a host or local, not both: a local computer is reached without ssh")

// CurrentUser is the login name of this process's user: a new computer's default user.
func CurrentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

// Computers lists every computer, by name.
func (s *Service) Computers() ([]data.Computer, error) { return s.store.Computers() }

// Computer is the computer with that name (names ignore case).
func (s *Service) Computer(name string) (data.Computer, error) {
	c, err := s.store.Computer(name)
	return c, fromStore(err)
}

// PrepareComputer checks c as a user typed it and returns it as it will be stored: a
// local computer has no ssh fields. hostGiven says whether the user typed a host.
func PrepareComputer(c data.Computer, hostGiven bool) (data.Computer, error) {
	if c.Local && hostGiven && c.Host != "" {
		return c, BadInput(ErrLocalWithHost, Hint{})
	}
	if c.Local {
		c.Host, c.User, c.Identity, c.Relay, c.InsecureSkipHostKeyCheck = "", "", "", false, false
	}
	return c, CheckComputer(c)
}

// CheckComputer checks c as the engine will use it, and that its identity file exists.
func CheckComputer(c data.Computer) error {
	if err := fleet.ValidateComputer(engineComputer(c)); err != nil {
		return BadInput(err, Hint{})
	}
	if c.Identity != "" {
		if _, err := os.Stat(c.Identity); err != nil {
			return BadInput(&fleet.FieldError{Field: "identity file", Value: c.Identity, Reason: "not found; give the path of an ssh private key"}, Hint{})
		}
	}
	return nil
}

// CheckNewComputer reports whether c could be added: valid, and its name and address free.
func (s *Service) CheckNewComputer(c data.Computer) error {
	if err := CheckComputer(c); err != nil {
		return err
	}
	return fromStore(s.store.CheckNewComputer(c))
}

// AddComputer checks c and adds it; c.ID is set.
func (s *Service) AddComputer(c *data.Computer) error {
	if err := CheckComputer(*c); err != nil {
		return err
	}
	return fromStore(s.store.AddComputer(c))
}

// UpdateComputer checks c and saves it over the computer called name.
func (s *Service) UpdateComputer(name string, c *data.Computer) error {
	if err := CheckComputer(*c); err != nil {
		return err
	}
	return fromStore(s.store.UpdateComputer(name, c))
}

// RemoveComputer removes a computer from the fleet; its files are not touched.
func (s *Service) RemoveComputer(name string) error {
	return fromStore(s.store.DeleteComputer(name))
}
