package transfer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"filesync/sync/fleet"
	"filesync/sync/rsync"
)

// Relay stages a remote-to-remote transfer through this computer: the source's folders are
// mirrored into a stage folder here, then sent on to the destination. It serves fleets
// whose computers cannot reach each other, at twice the traffic through this computer.
type Relay struct{ Env Env }

// stage is the stage folder of one source computer, kept between runs so that repeated
// relays only move what changed.
func (r Relay) stage(from fleet.Computer) fleet.Computer {
	return fleet.Computer{Name: "stage:" + from.Name, Local: true, Root: filepath.Join(r.Env.StageDir, from.Name)}
}

func (r Relay) jobs(j Job) (Job, Job) {
	in := j
	in.To = r.stage(j.From)
	// The stage is the app's own cache: an exact copy of the source, no versions kept.
	// It is filled even for a dry run, so that the second leg can show what would change;
	// its changes are not itemized, so that only the destination's changes are listed.
	in.Options.Mode, in.Options.RunVersions, in.Options.DryRun = fleet.Mirror, "", false
	in.Options.ItemizeUnchanged, in.Options.Quiet = false, true
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

// Run runs both steps (each as its passes); the second, announced on OnwardStream, only
// when the first succeeded or only missed files that vanished meanwhile. The stage folder
// is created first: a source holding none of the folders leaves nothing to send, not an
// error.
func (r Relay) Run(ctx context.Context, j Job, out Output) (int, error) {
	in, onward := r.jobs(j)
	if err := os.MkdirAll(r.stage(j.From).Root, 0o700); err != nil {
		return -1, fmt.Errorf("create relay stage: %w", err)
	}
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
