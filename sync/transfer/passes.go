package transfer

import (
	"context"
	"fmt"
	"strings"

	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
)

// CommandStream is the Output stream of the command line of a resume pass, which starts
// only once the main pass has named its files.
const CommandStream process.Stream = "command"

// OnwardStream is the Output stream on which a relay says that its second transfer (the
// stage on to the destination) starts, once the first has filled the stage. Its command
// is already in the relay's Commands.
const OnwardStream process.Stream = "onward"

// EngineStream is the Output stream of FileSync's own remarks about a transfer.
const EngineStream process.Stream = "engine"

// resumeBatchBytes bounds the paths of one resume-pass command: a remote command line is
// one argument of the remote shell (Linux: at most 128 KiB), a Windows one 32 KiB in all.
const resumeBatchBytes = 16 << 10

// passArgv builds the argv of a pass: the main pass for nil, else the resume pass over
// the given files.
type passArgv func(resume []string) []string

// runPasses runs one rsync transfer as its two passes (see rsync.ResumeSize): the main
// pass over the folders, then the resume pass over the big files it left, in batches.
// stdin, when not empty, is fed to every command. A main pass ending with exit 24 (files
// vanished) still has its big files sent, and the transfer reports the 24.
func runPasses(ctx context.Context, env Env, out Output, stdin string, argv passArgv) (int, error) {
	var big []string
	mainOut := func(s process.Stream, line string) {
		if _, change := rsync.ParseChange(line); s == process.Stdout && !change {
			if p, ok := rsync.OverMaxSize(line); ok {
				big = append(big, p)
				return
			}
			if rsync.SkipNotice(line) {
				return
			}
		}
		out(s, line)
	}
	code, err := runOne(ctx, env, argv(nil), unglue(mainOut), stdin)
	if err != nil && code != rsync.ExitVanished {
		return code, err
	}
	for _, batch := range batches(big, resumeBatchBytes) {
		if c, e := resumePass(ctx, env, out, stdin, argv(batch), len(batch)); e != nil {
			return c, e
		}
	}
	return code, err
}

// resumePass runs one resume-pass command for n files and says so when fewer were there:
// renamed or deleted since the main pass (a checkpoint's temporary name), or — a bug —
// misread from the main pass's output. Either way the log shows it, never a silent skip.
func resumePass(ctx context.Context, env Env, out Output, stdin string, cmd []string, n int) (int, error) {
	out(CommandStream, "$ "+sshcmd.Quote(cmd))
	found := int64(-1)
	code, err := runOne(ctx, env, cmd, unglue(func(s process.Stream, line string) {
		if r, ok := rsync.RegularFiles(line); ok && s == process.Stdout {
			found = r
		}
		out(s, line)
	}), stdin)
	if err == nil && found >= 0 && found < int64(n) {
		out(EngineStream, fmt.Sprintf("%d of the %d files over %d MiB the main pass named were gone when the resume pass ran (renamed or deleted meanwhile)",
			int64(n)-found, n, rsync.ResumeSize>>20))
	}
	return code, err
}

// unglue passes a progress report and the message rsync wrote right after it on the same
// line as two lines: a message lost in a progress line could be a big file's name.
func unglue(out Output) Output {
	return func(s process.Stream, line string) {
		if progress, rest, ok := rsync.CutProgress(line); ok {
			out(s, progress)
			line = rest
		}
		out(s, line)
	}
}

func runOne(ctx context.Context, env Env, argv []string, out Output, stdin string) (int, error) {
	spec := process.Spec{Argv: argv, Env: env.ProcEnv, OnLine: out}
	if stdin != "" {
		spec.Stdin = strings.NewReader(stdin)
	}
	return process.Run(ctx, spec)
}

// batches splits paths into runs whose lengths add up to at most limit bytes (a longer
// path goes alone).
func batches(paths []string, limit int) [][]string {
	var all [][]string
	start, size := 0, 0
	for i, p := range paths {
		if i > start && size+len(p) > limit {
			all = append(all, paths[start:i])
			start, size = i, 0
		}
		size += len(p)
	}
	if start < len(paths) {
		all = append(all, paths[start:])
	}
	return all
}
