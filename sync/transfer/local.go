package transfer

import (
	"context"
	"errors"

	"filesync/sync/rsync"
)

// Local runs rsync on this machine: both ends local, or one end local and the other
// reached through ssh.
type Local struct{ Env Env }

// Commands returns the one rsync argv.
func (l Local) Commands(j Job) ([][]string, error) {
	src, srcShell, err := endpoint(j.From, l.Env.SSH)
	if err != nil {
		return nil, err
	}
	dst, dstShell, err := endpoint(j.To, l.Env.SSH)
	if err != nil {
		return nil, err
	}
	if srcShell != nil && dstShell != nil {
		return nil, errors.New("a local transfer needs one end on this computer")
	}
	opt := j.Options
	if shell := append(srcShell, dstShell...); shell != nil {
		opt.RemoteShell = rsync.RemoteShell(shell)
	}
	return [][]string{rsync.Args(src, dst, j.Folders, opt)}, nil
}

// Run runs the rsync.
func (l Local) Run(ctx context.Context, j Job, out Output) (int, error) {
	cmds, err := l.Commands(j)
	if err != nil {
		return -1, err
	}
	return runAll(ctx, cmds, l.Env, out, "")
}
