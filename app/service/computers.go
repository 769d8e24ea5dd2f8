package service

import (
	"context"
	"errors"
	"fmt"
	"os"

	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
)

// ErrLocalWithHost is the error for a computer given both a host and local.
var ErrLocalWithHost = errors.New("give either a host or local, not both: a local computer is reached without ssh")

// Endpoint is where ssh takes a computer once its configuration is applied to the host,
// port and user as stored: what `computer list` shows.
type Endpoint struct {
	HostName string // the real host name or IP
	Port     int
	User     string
	Address  string // user@hostname:port, or local:<root>
}

// Endpoint asks ssh (ssh -G) where c leads. The values are not stored: a computer added by
// its ~/.ssh/config alias follows later edits of that file. On error, Address is c's
// address as stored.
func (s *Service) Endpoint(ctx context.Context, c data.Computer) (Endpoint, error) {
	rc, err := s.resolve(ctx, c)
	return Endpoint{HostName: rc.HostName, Port: rc.Port, User: rc.User, Address: rc.Address()}, err
}

// resolve is c as the engine uses it, with the host name, port and user that ssh's
// configuration gives its host unless c sets them.
func (s *Service) resolve(ctx context.Context, c data.Computer) (fleet.Computer, error) {
	rc, err := sshcmd.Resolve(ctx, engineComputer(c), s.sshConfig())
	if err != nil {
		return rc, BadInput(fmt.Errorf("computer %s: %w", c.Name, err), Hint{EditComputer, c.Name})
	}
	return rc, nil
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
