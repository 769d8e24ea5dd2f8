package transfer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
)

// Job is one transfer: Folders of From copied onto To.
type Job struct {
	From, To fleet.Computer
	Folders  []folders.Folder
	// Files, when not nil, are the only paths the transfer names, relative to the roots:
	// one rsync pass reading them on its stdin (planned from the fleet's listings).
	Files   []string
	Options rsync.Options // RemoteShell is filled in by the executor
}

// listed reports whether j names its files; its options then read them from stdin.
func (j Job) listed() bool { return j.Files != nil }

// fileList is the stdin of a listed job: each path ended by a NUL (rsync --from0).
func (j Job) fileList() string {
	return strings.Join(j.Files, "\x00") + "\x00"
}

// Env is what every executor needs from the app.
type Env struct {
	SSH      sshcmd.Config
	StageDir string   // where relayed transfers are staged on this computer
	ProcEnv  []string // environment of the rsync and ssh processes (SSH_AUTH_SOCK …); nil inherits
	Agent    bool     // an ssh agent is available to forward to remote computers
}

// Output receives each line a transfer's processes print.
type Output func(process.Stream, string)

// Executor runs jobs one way. Commands returns the argv it will run, in order, so they can
// be shown before they start.
type Executor interface {
	Commands(j Job) ([][]string, error)
	Run(ctx context.Context, j Job, out Output) (exitCode int, err error)
}

var (
	_ Executor = Local{}
	_ Executor = RemotePull{}
	_ Executor = Relay{}
)

// For picks the executor for j: local when either end is on this machine, a relay when
// both are remote and one of them asks for it — or when no ssh agent runs here, since the
// destination could not then log in to the source — else a pull run on the destination.
func For(j Job, env Env) Executor {
	switch {
	case j.From.Local || j.To.Local:
		return Local{env}
	case j.From.Relay || j.To.Relay || !env.Agent:
		return Relay{env}
	default:
		return RemotePull{env}
	}
}

// BWLimit is the tighter of the two ends' limits (0 = unlimited).
func BWLimit(a, b fleet.Computer) int {
	switch {
	case a.BWLimitKBps == 0:
		return b.BWLimitKBps
	case b.BWLimitKBps == 0:
		return a.BWLimitKBps
	}
	return min(a.BWLimitKBps, b.BWLimitKBps)
}

// Endpoint describes c's root as the rsync running on this machine sees it.
func Endpoint(c fleet.Computer, cfg sshcmd.Config) (rsync.Endpoint, []string, error) {
	if c.Local {
		root, err := LocalRoot(c.Root)
		return rsync.Endpoint{Root: root}, nil, err
	}
	shell := append([]string{"ssh"}, sshcmd.Options(c, cfg)...)
	return rsync.Endpoint{Remote: sshcmd.Destination(c), Root: fleet.RemoteRoot(c.Root)}, shell, nil
}

// LocalRoot expands a leading "~" of a root folder on this machine.
func LocalRoot(root string) (string, error) {
	if root != "~" && !strings.HasPrefix(root, "~/") {
		return filepath.Clean(root), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("expand %s: %w", root, err)
	}
	return filepath.Join(home, strings.TrimPrefix(root, "~")), nil
}
