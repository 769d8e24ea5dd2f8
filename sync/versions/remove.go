package versions

import (
	"context"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/transfer"
)

// Doomed is what removing the expired copies takes, as paths relative to the root
// folder: each expired file, or the outermost folder of its run folder that holds
// nothing but expired copies, and every run folder that holds no file at all (but not
// those of the runs busy says are in progress, whose folders may be filling).
func Doomed(f Folders, expired []Kept, busy func(run string) bool) []string {
	gone := map[string]bool{}
	for _, k := range expired {
		gone[k.Location()] = true
	}
	// left counts, by folder, the copies under it that stay.
	left := map[string]int{}
	hasFiles := map[string]bool{}
	for _, k := range f.Kept {
		hasFiles[k.Run] = true
		if gone[k.Location()] {
			continue
		}
		for dir := path.Dir(k.Location()); dir != rsync.VersionsDir; dir = path.Dir(dir) {
			left[dir]++
		}
	}
	out := map[string]bool{}
	for loc := range gone {
		out[outermostEmptied(loc, left)] = true
	}
	for _, run := range f.Runs {
		if !hasFiles[run] && (busy == nil || !busy(run)) {
			out[rsync.VersionsDir+"/"+run] = true
		}
	}
	paths := make([]string, 0, len(out))
	for p := range out {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// outermostEmptied is loc's outermost folder inside the versions folder in which no copy
// stays, or loc itself.
func outermostEmptied(loc string, left map[string]int) string {
	best := loc
	for dir := path.Dir(loc); dir != rsync.VersionsDir && dir != "."; dir = path.Dir(dir) {
		if left[dir] > 0 {
			break
		}
		best = dir
	}
	return best
}

// RemoveArgs is the argv that deletes the paths named on stdin (NUL-separated, relative to
// dst's root) from dst: an rsync from the empty folder empty, which lacks every one of
// them, with --delete-missing-args and --force (a folder goes as a whole). No backup is
// made: the paths are the backups.
func RemoveArgs(empty string, dst rsync.Endpoint, timeout time.Duration, remoteShell string) []string {
	argv := []string{"rsync", "--files-from=-", "--from0", "--delete-missing-args", "--force", "--no-implied-dirs",
		"--protect-args", "--itemize-changes", "--timeout=" + strconv.Itoa(max(1, int(timeout/time.Second)))}
	if remoteShell != "" {
		argv = append(argv, "--rsh="+remoteShell)
	}
	root := strings.TrimSuffix(dst.Root, "/") + "/"
	if dst.Remote != "" {
		root = dst.Remote + ":" + root
	}
	return append(argv, "--", strings.TrimSuffix(empty, "/")+"/", root)
}

// Remove deletes paths (relative to c's root, inside its versions folder) from c with
// one rsync, and returns the paths rsync reports deleted (a folder's content included).
func Remove(ctx context.Context, c fleet.Computer, paths []string, env transfer.Env, timeout time.Duration) ([]string, error) {
	for _, p := range paths {
		if !strings.HasPrefix(p, rsync.VersionsDir+"/") || strings.Contains("/"+p+"/", "/../") {
			return nil, fmt.Errorf("%s: %q is not inside the versions folder; nothing was removed", c.Name, p)
		}
	}
	if len(paths) == 0 {
		return nil, nil
	}
	dst, shell, err := transfer.Endpoint(c, env.SSH)
	if err != nil {
		return nil, err
	}
	empty, err := os.MkdirTemp("", "filesync-empty-")
	if err != nil {
		return nil, fmt.Errorf("make an empty folder to remove versions with: %w", err)
	}
	defer os.Remove(empty)
	remoteShell := ""
	if shell != nil {
		remoteShell = rsync.RemoteShell(shell)
	}
	var removed, stderr []string
	code, err := process.Run(ctx, process.Spec{
		Argv:  RemoveArgs(empty, dst, timeout, remoteShell),
		Env:   env.ProcEnv,
		Stdin: strings.NewReader(strings.Join(paths, "\x00") + "\x00"),
		OnLine: func(s process.Stream, line string) {
			if s == process.Stderr {
				stderr = append(stderr, line)
			} else if p, ok := strings.CutPrefix(line, "*deleting "); ok {
				removed = append(removed, strings.TrimSuffix(strings.TrimLeft(p, " "), "/"))
			}
		},
	})
	// Exit 24: the empty folder lacks the named paths' parents too, which rsync reports
	// as vanished; that is how this works, not a failure.
	if err != nil && (code != rsync.ExitVanished || ctx.Err() != nil) {
		return removed, fmt.Errorf("%s: removing versions failed (exit %d): %s", c.Name, code, lastLine(stderr, err))
	}
	return removed, nil
}

func lastLine(lines []string, err error) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.HasPrefix(l, "file has vanished") {
			return l
		}
	}
	return err.Error()
}
