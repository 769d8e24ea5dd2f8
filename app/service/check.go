package service

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"filesync/data"
	"filesync/sync/probe"
)

// Check reaches the named computers (every computer when none is named) at once and
// reports on each: reachable, rsync's version, root folder, free space, host key.
func (s *Service) Check(ctx context.Context, names []string) ([]CheckReport, error) {
	computers, err := s.selectComputers(names)
	if err != nil {
		return nil, err
	}
	if err := s.pinKnownHosts(); err != nil {
		return nil, err
	}
	reports := make([]CheckReport, len(computers))
	var wg sync.WaitGroup
	for i, c := range computers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i] = s.check(ctx, c)
			reports[i].Fingerprint = Fingerprint(c.HostKeys)
		}()
	}
	wg.Wait()
	return reports, nil
}

func (s *Service) check(ctx context.Context, c data.Computer) CheckReport {
	rc, err := s.resolve(ctx, c)
	if err != nil {
		return CheckReport{Computer: c.Name, Address: Address(c), Root: c.Root, Status: StatusFailed, Error: err.Error()}
	}
	return probe.Check(ctx, rc, s.sshConfig(), nil)
}

// CheckPassed reports whether a check found the computer usable.
func CheckPassed(r CheckReport) bool { return r.Status == StatusOK && r.Writable }

func (s *Service) selectComputers(names []string) ([]data.Computer, error) {
	if len(names) == 0 {
		all, err := s.store.Computers()
		if err == nil && len(all) == 0 {
			return nil, BadInput(errors.New("there are no computers yet"), Hint{AddComputer, ""})
		}
		return all, err
	}
	var out []data.Computer
	for _, n := range names {
		c, err := s.Computer(n)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// RsyncVersion shortens rsync's "rsync  version 3.2.7  protocol version 31" to "3.2.7".
func RsyncVersion(line string) string {
	var v string
	if _, err := fmt.Sscanf(line, "rsync version %s", &v); err == nil {
		return v
	}
	return line
}
