package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

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

// CheckPassed reports whether a check found the computer usable. A missing root folder
// passes when the folder that would hold it is writable: the first sync creates it.
func CheckPassed(r CheckReport) bool { return r.Status == StatusOK && r.Writable }

// RootNote is what a report shows after its root folder: "" when the folder exists.
func RootNote(r CheckReport) string {
	if r.RootExists {
		return ""
	}
	return " (missing: the first sync creates it)"
}

// SlowSessionStart is the session start above which a check explains it: every transfer
// pays it at least once, so a watch push takes that much longer.
const SlowSessionStart = 300 * time.Millisecond

// SessionStartText is how long starting a command on the checked computer took, e.g.
// "0.62 s"; "" when the check did not time it (a local computer).
func SessionStartText(r CheckReport) string {
	if r.SessionStartMS == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f s", float64(r.SessionStartMS)/1000)
}

// SessionStartAdvice says why starting a command on the checked computer is slow and what
// helps; "" when it is not.
func SessionStartAdvice(r CheckReport) string {
	if time.Duration(r.SessionStartMS)*time.Millisecond <= SlowSessionStart {
		return ""
	}
	return fmt.Sprintf("starting a command on %s takes %s: its shell's startup files run for every command FileSync sends "+
		"(conda or pyenv init in ~/.bashrc?); put `case $- in *i*) ;; *) return;; esac` at the top of ~/.bashrc there "+
		"to skip them for non-interactive shells", r.Computer, SessionStartText(r))
}

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
