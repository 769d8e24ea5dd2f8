package transfer

import (
	"context"
	"errors"

	"filesync/sync/rsync"
)

// Local runs rsync on this machine: both ends local, or one end local and the other
// reached through ssh.
type Local struct{ Env Env }

// Commands returns the argv of the transfer.
func (l Local) Commands(j Job) ([][]string, error) {
	argv, err := l.argv(j)
	if err != nil {
		return nil, err
	}
	return [][]string{argv}, nil
}

// Run runs the transfer, feeding a listed job's files on stdin.
func (l Local) Run(ctx context.Context, j Job, out Output) (int, error) {
	argv, err := l.argv(j)
	if err != nil {
		return -1, err
	}
	stdin := ""
	if j.listed() {
		stdin = j.fileList()
	}
	return runRsync(ctx, l.Env, argv, out, stdin)
}

func (l Local) argv(j Job) ([]string, error) {
	src, srcShell, err := Endpoint(j.From, l.Env.SSH)
	if err != nil {
		return nil, err
	}
	dst, dstShell, err := Endpoint(j.To, l.Env.SSH)
	if err != nil {
		return nil, err
	}
	if srcShell != nil && dstShell != nil {
		return nil, errors.New("a local transfer needs one end on this computer")
	}
	opt := j.Options
	opt.FilesFrom = j.listed()
	if shell := append(srcShell, dstShell...); shell != nil {
		opt.RemoteShell = rsync.RemoteShell(shell)
	}
	return rsync.Args(src, dst, j.Folders, opt), nil
}
