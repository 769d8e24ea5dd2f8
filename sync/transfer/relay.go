package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/rsync"
)

// Relay stages a remote-to-remote transfer through this computer: the source's folders are
// mirrored into a stage folder here, then sent on to the destination. It serves fleets
// whose computers cannot reach each other, at twice the traffic through this computer.
type Relay struct{ Env Env }

// stage is the stage folder of a job: it holds only what the job sends, under a name of
// its own, and is removed once the job ends, so no copy of a remote's data stays on this
// computer between runs.
func (r Relay) stage(j Job) fleet.Computer {
	named := j.fileList()
	if !j.listed() {
		named = strings.Join(folders.Paths(j.Folders), "\x00")
	}
	sum := sha256.Sum256([]byte(j.From.Name + "\x00" + j.To.Name + "\x00" + named))
	name := "run-" + j.From.Name + "-" + j.To.Name + "-" + hex.EncodeToString(sum[:6])
	return fleet.Computer{Name: "stage:" + j.From.Name, Local: true, Root: filepath.Join(r.Env.StageDir, name)}
}

func (r Relay) jobs(j Job) (Job, Job) {
	in := j
	in.To = r.stage(j)
	// The stage is the app's own: a copy of what the source sends, no versions kept. It is
	// filled even for a dry run (a mirror's guard), so that the second leg can show what
	// would change; its changes are not itemized, so that only the destination's are.
	in.Options.Mode, in.Options.RunVersions, in.Options.DryRun = fleet.Mirror, "", false
	in.Options.ItemizeUnchanged, in.Options.Quiet = false, true
	// A listed job's stage starts empty; its deletions are paths the source lacks: they
	// stay missing from the stage, and the second leg deletes them.
	if j.listed() {
		in.Options.Mode, in.Options.DeleteMissing = fleet.Merge, false
	}
	out := j
	out.From = in.To
	return in, out
}

// Commands returns the two rsync argv: into the stage, then out to the destination.
func (r Relay) Commands(j Job) ([][]string, error) {
	in, out := r.jobs(j)
	l := Local(r)
	first, err := l.Commands(in)
	if err != nil {
		return nil, err
	}
	second, err := l.Commands(out)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

// Run runs both steps; the second, announced on OnwardStream, only
// when the first succeeded or only missed files that vanished meanwhile. The stage folder
// is created first, so a source holding none of the folders leaves nothing to send, not
// an error, and removed at the end.
func (r Relay) Run(ctx context.Context, j Job, out Output) (int, error) {
	in, onward := r.jobs(j)
	stage := r.stage(j).Root
	if err := os.MkdirAll(stage, 0o700); err != nil {
		return -1, fmt.Errorf("create relay stage: %w", err)
	}
	defer os.RemoveAll(stage)
	l := Local(r)
	code, err := l.Run(ctx, in, out)
	if err != nil && code != rsync.ExitVanished {
		return code, err
	}
	out(OnwardStream, "sending the stage on to "+j.To.Name)
	if c, e := l.Run(ctx, onward, out); e != nil || err == nil {
		return c, e
	}
	return code, err
}

// RemoveOldStages removes what is left in stageDir from stages not written for a day: a
// run killed mid-relay, or the per-computer copies an earlier FileSync kept there. A
// stage in use is being written, so it is never that old.
func RemoveOldStages(stageDir string, now time.Time) error {
	entries, err := os.ReadDir(stageDir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && now.Sub(info.ModTime()) > 24*time.Hour {
			err = os.RemoveAll(filepath.Join(stageDir, e.Name()))
		}
		if err != nil {
			return fmt.Errorf("remove an old relay stage: %w", err)
		}
	}
	return nil
}
