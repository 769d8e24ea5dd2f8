package probe

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
	"filesync/sync/transfer"
)

// Report is what "computer check" tells about one computer.
type Report struct {
	Computer     string       `json:"computer"`
	Address      string       `json:"address"`
	Status       fleet.Status `json:"status"`
	Error        string       `json:"error,omitempty"`
	RsyncVersion string       `json:"rsync_version,omitempty"`
	Root         string       `json:"root"`
	RootExists   bool         `json:"root_exists"`
	Writable     bool         `json:"writable"`
	FreeBytes    int64        `json:"free_bytes"`
	Fingerprint  string       `json:"fingerprint,omitempty"`
}

// rootScript reports on the root folder (or, while it does not exist yet, the nearest
// existing parent, where the first sync will create it): exists, writable, free KiB.
const rootScript = `r=$1; e=no; [ -d "$r" ] && e=yes; d=$r; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done; ` +
	`t="$d/.filesync-check.$$"; w=no; if : > "$t" 2>/dev/null; then w=yes; rm -f -- "$t"; fi; ` +
	`echo "exists=$e"; echo "writable=$w"; df -Pk -- "$d" | tail -n 1`

// Check reaches c and reports on its root folder.
func Check(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) Report {
	r := Report{Computer: c.Name, Address: c.Address(), Root: c.Root, Status: fleet.StatusOK}
	version, err := Reach(ctx, c, cfg, env)
	if err != nil {
		return failed(r, err)
	}
	r.RsyncVersion = version
	if c.Local {
		err = checkLocalRoot(&r, c.Root)
	} else {
		err = checkRemoteRoot(ctx, &r, c, cfg, env)
	}
	if err != nil {
		return failed(r, err)
	}
	return r
}

func failed(r Report, err error) Report {
	r.Status, r.Error = fleet.StatusFailed, err.Error()
	if pe, ok := err.(*Error); ok {
		r.Status = pe.Status
	}
	return r
}

func checkLocalRoot(r *Report, root string) error {
	dir, err := transfer.LocalRoot(root)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(dir)
	r.RootExists = statErr == nil
	for {
		if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
			break
		}
		dir = filepath.Dir(dir)
	}
	if f, err := os.CreateTemp(dir, ".filesync-check.*"); err == nil {
		r.Writable = true
		f.Close()
		os.Remove(f.Name())
	}
	free, err := freeBytes(dir)
	if err != nil {
		return fmt.Errorf("free space of %s: %w", dir, err)
	}
	r.FreeBytes = free
	return nil
}

func checkRemoteRoot(ctx context.Context, r *Report, c fleet.Computer, cfg sshcmd.Config, env []string) error {
	argv := sshcmd.Command(c, cfg, false, []string{"sh", "-c", rootScript, "filesync-check", fleet.RemoteRoot(c.Root)})
	out, code, err := run(ctx, argv, env)
	if err != nil {
		return fmt.Errorf("check root folder on %s (exit %d): %s", c.Name, code, lastLine(strings.Join(out.stderr, "\n")))
	}
	for _, line := range out.stdout {
		switch {
		case line == "exists=yes":
			r.RootExists = true
		case line == "writable=yes":
			r.Writable = true
		case !strings.Contains(line, "="):
			r.FreeBytes = dfAvailable(line)
		}
	}
	return nil
}

// dfAvailable reads the "Available" column (KiB) of a `df -Pk` line.
func dfAvailable(line string) int64 {
	fields := strings.Fields(line)
	if len(fields) < 4 {
		return 0
	}
	kib, _ := strconv.ParseInt(fields[3], 10, 64)
	return kib * 1024
}
