package engine

import (
	"context"
	"fmt"
	"strings"

	"filesync/sync/process"
	"filesync/sync/rsync"
)

// guardMirror runs the mirror as a dry run listing every file and refuses it when it would
// delete more than half of what the destination holds in those folders.
func (e *Engine) guardMirror(ctx context.Context, j job) error {
	dry := j.info
	dry.Options.DryRun, dry.Options.ItemizeUnchanged = true, true
	var deletes, kept int
	_, err := j.executor.Run(ctx, dry, func(_ process.Stream, line string) {
		c, ok := rsync.ParseChange(line)
		switch {
		case !ok:
		case c.Deletes() && !strings.HasSuffix(c.Path, "/"):
			deletes++
		case c.IsFile() && !c.New():
			kept++
		}
	})
	if err != nil {
		return fmt.Errorf("%s → %s: mirror check failed: %v", j.shown.From, j.shown.To, err)
	}
	if total := deletes + kept; deletes > 0 && deletes*2 > total {
		return fmt.Errorf("%s → %s: mirror would delete %d of %d files on %s (more than half); nothing was deleted. Check the source folders, or run again with --force",
			j.shown.From, j.shown.To, deletes, total, j.shown.To)
	}
	return nil
}
