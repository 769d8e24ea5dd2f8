package probe

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

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
	TotalBytes   int64        `json:"total_bytes"` // the size of the disk holding the root folder
	Fingerprint  string       `json:"fingerprint,omitempty"`
	// SessionStartMS is how long a command that does nothing takes over an open
	// connection (remote computers only): the remote shell's start, which every command
	// FileSync sends pays.
	SessionStartMS int64 `json:"session_start_ms,omitempty"`
}

// rootScript reports on the root folder (or, while it does not exist yet, the nearest
// existing parent, where the first sync will create it): exists, writable, free KiB.
const rootScript = `e=no; [ -d "$1" ] && e=yes; ` + nearestDir +
	`t="$d/.filesync-check.$$"; w=no; if : > "$t" 2>/dev/null; then w=yes; rm -f -- "$t"; fi; ` +
	`echo "exists=$e"; echo "writable=$w"; ` + dfLine

// Check reaches c as a new connection would and reports on its root folder, creating
// nothing: a missing root is reported missing (the first sync creates it). For a remote
// computer it also times the start of a command over the open connection.
func Check(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) Report {
	r := Report{Computer: c.Name, Address: c.Address(), Root: c.Root, Status: fleet.StatusOK}
	var err error
	if c.Local {
		err = checkLocal(ctx, &r, c)
	} else {
		err = checkRemote(ctx, &r, c, checkConnection(cfg), env)
	}
	if err != nil {
		return failed(r, err)
	}
	return r
}

// checkSerial tells apart the connections of checks running at once in one process.
var checkSerial atomic.Uint64

// checkPersist bounds how long check's own connection outlives a check that could not
// close it.
const checkPersist = 10 * time.Second

// checkConnection is cfg with a control socket of check's own. A connection a sync left
// open (ControlPersist) still answers after the computer stopped accepting new ones, so
// check must not reuse it; its first command opens a new connection, which its later
// commands share, so that timing them leaves the handshake out.
func checkConnection(cfg sshcmd.Config) sshcmd.Config {
	cfg.ControlFrom = fmt.Sprintf("check %d.%d %s", os.Getpid(), checkSerial.Add(1), cfg.ControlFrom)
	cfg.ControlPersist = checkPersist
	return cfg
}

func checkLocal(ctx context.Context, r *Report, c fleet.Computer) error {
	version, err := localRsync(ctx, c)
	if err != nil {
		return err
	}
	r.RsyncVersion = version
	return checkLocalRoot(r, c.Root)
}

func checkRemote(ctx context.Context, r *Report, c fleet.Computer, cfg sshcmd.Config, env []string) error {
	defer closeConnection(ctx, c, cfg, env)
	version, err := reachRemote(ctx, c, cfg, env, false, []string{"rsync", "--version"})
	if err != nil {
		return err
	}
	r.RsyncVersion = version
	if err := checkRemoteRoot(ctx, r, c, cfg, env); err != nil {
		return err
	}
	if cfg.ControlDir == "" {
		return nil // without multiplexing every command would pay a handshake as well
	}
	took, err := sessionStart(ctx, c, cfg, env)
	r.SessionStartMS = took.Milliseconds()
	return err
}

// sessionStart times a command that does nothing over the open connection: what is left
// is starting the remote user's shell with its startup files.
func sessionStart(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) (time.Duration, error) {
	start := time.Now()
	out, code, err := run(ctx, sshcmd.Command(c, cfg, false, []string{"true"}), env)
	if err != nil {
		return 0, fmt.Errorf("start a command on %s (exit %d): %s", c.Name, code, lastLine(strings.Join(out.stderr, "\n")))
	}
	return time.Since(start), nil
}

// closeConnection ends check's own connection to c, if it opened one.
func closeConnection(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) {
	if cfg.ControlDir == "" {
		return
	}
	_, _, _ = run(context.WithoutCancel(ctx), controlCommand(c, cfg, "exit"), env)
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
	dir = existingParent(dir)
	if f, err := os.CreateTemp(dir, ".filesync-check.*"); err == nil {
		r.Writable = true
		f.Close()
		os.Remove(f.Name())
	}
	space, err := diskSpace(dir)
	if err != nil {
		return fmt.Errorf("free space of %s: %w", dir, err)
	}
	r.FreeBytes, r.TotalBytes = space.Free, space.Total
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
			if space, ok := parseDf(line); ok {
				r.FreeBytes, r.TotalBytes = space.Free, space.Total
			}
		}
	}
	return nil
}
