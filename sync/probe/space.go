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

// Space is the free space and size of the disk that holds a computer's root folder.
type Space struct {
	Free  int64 // bytes a user (not root) can still fill
	Total int64 // the disk's size in bytes; 0 when unknown
}

// nearestDir is a shell fragment setting d to the folder $1, or, while it does not exist
// yet, its nearest existing parent, where the first sync will create it.
const nearestDir = `d=$1; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done; `

// dfLine prints the `df -Pk` line of the disk holding the folder d.
const dfLine = `df -Pk -- "$d" | tail -n 1`

// spaceScript prints the `df -Pk` line of the disk holding the root folder.
const spaceScript = nearestDir + dfLine

// MeasureSpace reports the free space and size of the disk holding c's root folder (or
// its nearest existing parent). For a remote computer it runs df over ssh, reusing a
// multiplexed connection when cfg has one open; it creates nothing.
func MeasureSpace(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) (Space, error) {
	if c.Local {
		root, err := transfer.LocalRoot(c.Root)
		if err != nil {
			return Space{}, err
		}
		return diskSpace(existingParent(root))
	}
	argv := sshcmd.Command(c, cfg, false, []string{"sh", "-c", spaceScript, "filesync-space", fleet.RemoteRoot(c.Root)})
	out, code, err := run(ctx, argv, env)
	if err != nil {
		return Space{}, fmt.Errorf("measure free space on %s (exit %d): %s", c.Name, code, lastLine(strings.Join(out.stderr, "\n")))
	}
	for _, line := range out.stdout {
		if s, ok := parseDf(line); ok {
			return s, nil
		}
	}
	return Space{}, fmt.Errorf("measure free space on %s: df printed no sizes: %q", c.Name, strings.Join(out.stdout, "\n"))
}

// existingParent is dir, or its nearest parent that exists.
func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
			return dir
		}
		dir = filepath.Dir(dir)
	}
}

// parseDf reads the size ("1024-blocks") and "Available" columns, in KiB, of a `df -Pk`
// line: "tmpfs 20480 0 20480 0% /mnt/small".
func parseDf(line string) (Space, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 {
		return Space{}, false
	}
	total, err1 := strconv.ParseInt(fields[1], 10, 64)
	free, err2 := strconv.ParseInt(fields[3], 10, 64)
	if err1 != nil || err2 != nil {
		return Space{}, false
	}
	return Space{Free: free * 1024, Total: total * 1024}, true
}
