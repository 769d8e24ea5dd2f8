package transfer

import (
	"context"
	"errors"

	"filesync/sync/rsync"
)

// Local runs rsync on this machine: both ends local, or one end local and the other
// reached through ssh.
type Local struct{ Env Env }

// Commands returns the argv of the main pass.
func (l Local) Commands(j Job) ([][]string, error) {
	argv, err := l.passes(j)
	if err != nil {
		return nil, err
	}
	return [][]string{argv(nil)}, nil
}

// Run runs the main pass and, for big files, the resume pass.
func (l Local) Run(ctx context.Context, j Job, out Output) (int, error) {
	argv, err := l.passes(j)
	if err != nil {
		return -1, err
	}
	if j.listed() {
		return runOne(ctx, l.Env, argv(nil), unglue(out), j.fileList())
	}
	return runPasses(ctx, l.Env, out, "", argv)
}

func (l Local) passes(j Job) (passArgv, error) {
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
	return func(resume []string) []string {
		o := opt
		o.Resume = resume
		return rsync.Args(src, dst, j.Folders, o)
	}, nil
}
