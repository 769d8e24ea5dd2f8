package testfleet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// StopDetached stops the sshds of a fleet that New started in dir with Options.Detach,
// with their open connections, found by the pid files they wrote: the process that
// started them may be gone. A dir without a fleet, or whose sshds are gone, is no error.
func StopDetached(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := pidFile(filepath.Join(dir, e.Name()))
		if err := stopByPidFile(path); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
		}
	}
	return errors.Join(errs...)
}

// stopByPidFile stops the sshd whose pid is in path, if path exists and that process is
// still an sshd (a killed sshd leaves its pid file, and the pid may since be another's).
func stopByPidFile(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("not a pid file: %w", err)
	}
	if !alive(pid) || !strings.HasPrefix(Comm(pid), "sshd") {
		return nil
	}
	return adopt(pid).stop()
}
