package writers

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Access modes of open(2) as /proc/<pid>/fdinfo/<fd> prints them ("flags:" in octal).
const (
	accessMode = 0o3
	readOnly   = 0o0
)

// openForWriting calls found with the absolute path of every file some process holds
// open for writing (or reading and writing), among those wanted says are of interest.
func openForWriting(wanted func(path string) bool, found func(path string)) error {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return fmt.Errorf("list processes in /proc: %w", err)
	}
	for _, p := range procs {
		if _, err := strconv.Atoi(p.Name()); err != nil {
			continue
		}
		fdDir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue // gone, or another user's
		}
		for _, fd := range fds {
			target, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err != nil || !wanted(target) {
				continue // a pipe, a socket, closed meanwhile, or elsewhere
			}
			if writable(filepath.Join("/proc", p.Name(), "fdinfo", fd.Name())) {
				found(target)
			}
		}
	}
	return nil
}

// writable reports whether the fdinfo file says the descriptor was opened for writing.
func writable(fdinfo string) bool {
	f, err := os.Open(fdinfo)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "flags:"); ok {
			flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			return err == nil && flags&accessMode != readOnly
		}
	}
	return false
}
