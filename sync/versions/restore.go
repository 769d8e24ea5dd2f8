package versions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
	"filesync/sync/transfer"
)

// RestoreArgs is the argv, run on the computer that keeps k with root its root folder,
// that copies k back to its path, keeping the file it replaces in the versions folder
// runVersions. The copy gets the time of the restore as its modification time, not its
// old one: it is the newest copy of the file now, which the push that follows, and any
// later sync of a computer missed, sends everywhere.
func RestoreArgs(root string, k Kept, runVersions string, timeout time.Duration) []string {
	root = strings.TrimSuffix(root, "/")
	return []string{"rsync", "--relative", "--links", "--perms", "--ignore-times", "--protect-args",
		"--timeout=" + fmt.Sprint(max(1, int(timeout/time.Second))), "--itemize-changes",
		"--backup", "--backup-dir=" + rsync.VersionsDir + "/" + runVersions,
		"--", root + "/" + rsync.VersionsDir + "/" + k.Run + "/./" + k.Path, root + "/"}
}

// RestoreCommand is the argv that runs RestoreArgs on c: rsync itself for a local
// computer, else through ssh, the remote command quoted by sshcmd.
func RestoreCommand(c fleet.Computer, k Kept, runVersions string, env transfer.Env, timeout time.Duration) ([]string, error) {
	if c.Local {
		root, err := transfer.LocalRoot(c.Root)
		if err != nil {
			return nil, err
		}
		return RestoreArgs(root, k, runVersions, timeout), nil
	}
	return sshcmd.Command(c, env.SSH, false, RestoreArgs(fleet.RemoteRoot(c.Root), k, runVersions, timeout)), nil
}

// Restore runs RestoreCommand and returns the exit code and the lines printed.
func Restore(ctx context.Context, c fleet.Computer, k Kept, runVersions string, env transfer.Env, timeout time.Duration) (int, []string, error) {
	argv, err := RestoreCommand(c, k, runVersions, env, timeout)
	if err != nil {
		return -1, nil, err
	}
	var lines []string
	code, err := process.Run(ctx, process.Spec{Argv: argv, Env: env.ProcEnv, OnLine: func(_ process.Stream, line string) {
		lines = append(lines, line)
	}})
	if err != nil {
		return code, lines, fmt.Errorf("%s: restoring %s from %s failed (exit %d): %s", c.Name, k.Path, k.Run, code, lastLine(lines, err))
	}
	return code, lines, nil
}
