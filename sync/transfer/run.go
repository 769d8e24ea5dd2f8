package transfer

import (
	"context"
	"strings"

	"filesync/sync/process"
	"filesync/sync/rsync"
)

// OnwardStream is the Output stream on which a relay says that its second transfer (the
// stage on to the destination) starts, once the first has filled the stage. Its command
// is already in the relay's Commands.
const OnwardStream process.Stream = "onward"

// EngineStream is the Output stream of FileSync's own remarks about a transfer.
const EngineStream process.Stream = "engine"

// runRsync runs one transfer's argv, feeding it stdin when not empty, and passes its lines
// to out.
func runRsync(ctx context.Context, env Env, argv []string, out Output, stdin string) (int, error) {
	spec := process.Spec{Argv: argv, Env: env.ProcEnv, OnLine: unglue(out)}
	if stdin != "" {
		spec.Stdin = strings.NewReader(stdin)
	}
	return process.Run(ctx, spec)
}

// unglue passes a progress report and the message rsync wrote right after it on the same
// line as two lines: a message lost in a progress line could be an itemized change.
func unglue(out Output) Output {
	return func(s process.Stream, line string) {
		if progress, rest, ok := rsync.CutProgress(line); ok {
			out(s, progress)
			line = rest
		}
		out(s, line)
	}
}
