package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"filesync/sync/fleet"
	"filesync/sync/hostkeys"
	"filesync/sync/process"
	"filesync/sync/sshcmd"
	"filesync/sync/transfer"
)

// Error is why a computer cannot take part, in one sentence that names it.
type Error struct {
	Computer string
	Status   fleet.Status
	Reason   string
}

func (e *Error) Error() string { return e.Computer + ": " + e.Reason }

// reachScript creates the root folder when it is missing (a sync would create it anyway,
// and a source without one simply has nothing to send) and reports rsync's version.
const reachScript = `mkdir -p -- "$1" && exec rsync --version`

// Reach checks that c answers over ssh with its pinned host key and has rsync, and makes
// sure its root folder exists. A local computer only needs rsync on this machine. The
// connection it opens becomes the multiplexing master that the run's transfers reuse; it
// forwards the agent so that transfers run on c can reach the other computers.
func Reach(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) (rsyncVersion string, err error) {
	if c.Local {
		if rsyncVersion, err = localRsync(ctx, c); err == nil {
			err = createLocalRoot(c)
		}
		return rsyncVersion, err
	}
	return reachRemote(ctx, c, cfg, env, true, []string{"sh", "-c", reachScript, "filesync-probe", fleet.RemoteRoot(c.Root)})
}

// reachRemote runs remote on c, which prints rsync's version, and explains a failure.
func reachRemote(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string, forwardAgent bool, remote []string) (string, error) {
	if err := Trusted(c); err != nil {
		return "", err
	}
	lines, code, runErr := run(ctx, sshcmd.Command(c, cfg, forwardAgent, remote), env)
	if runErr == nil {
		return firstLine(strings.Join(lines.stdout, "\n")), nil
	}
	if errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded) {
		return "", runErr
	}
	return "", Explain(ctx, c, cfg, code, lines.stderr)
}

// Trusted fails, before any connection, for a remote computer whose host key is not
// pinned yet (and whose check is not turned off).
func Trusted(c fleet.Computer) error {
	if c.Local || c.HostKeys != "" || c.InsecureSkipHostKeyCheck {
		return nil
	}
	return &Error{c.Name, fleet.StatusNotTrusted, "host key not trusted yet: compare its fingerprint with the computer's own, then trust it"}
}

// localRsync is the version of rsync on this machine.
func localRsync(ctx context.Context, c fleet.Computer) (string, error) {
	out, err := exec.CommandContext(ctx, "rsync", "--version").Output()
	if err != nil {
		return "", &Error{c.Name, fleet.StatusFailed, "rsync is not installed on this computer; install rsync 3.2.3 or newer"}
	}
	return firstLine(string(out)), nil
}

func createLocalRoot(c fleet.Computer) error {
	root, err := transfer.LocalRoot(c.Root)
	if err == nil {
		err = os.MkdirAll(root, 0o755)
	}
	if err != nil {
		return &Error{c.Name, fleet.StatusFailed, fmt.Sprintf("root folder %s cannot be created: %v", c.Root, err)}
	}
	return nil
}

type output struct{ stdout, stderr []string }

func run(ctx context.Context, argv []string, env []string) (output, int, error) {
	var out output
	code, err := process.Run(ctx, process.Spec{Argv: argv, Env: env, OnLine: func(s process.Stream, l string) {
		if s == process.Stdout {
			out.stdout = append(out.stdout, l)
		} else {
			out.stderr = append(out.stderr, l)
		}
	}})
	return out, code, err
}

// Explain turns a failed ssh (its exit code and what it printed) into the reason a
// user can act on.
func Explain(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, code int, stderr []string) error {
	text := strings.Join(stderr, "\n")
	switch {
	case strings.Contains(text, "REMOTE HOST IDENTIFICATION HAS CHANGED") || strings.Contains(text, "Host key verification failed"):
		return hostKeyChanged(ctx, c, cfg)
	case code == 127 || strings.Contains(text, "rsync: not found") || strings.Contains(text, "rsync: command not found"):
		return &Error{c.Name, fleet.StatusFailed, "rsync is not installed there; install rsync 3.2.3 or newer on " + c.Name}
	case strings.Contains(text, "Permission denied"):
		return &Error{c.Name, fleet.StatusFailed, fmt.Sprintf("ssh login as %s refused (%s); check the user and that your key is in its authorized_keys", c.User, lastLine(text))}
	case code == 255:
		return &Error{c.Name, fleet.StatusUnreachable, fmt.Sprintf("unreachable at %s: %s", c.Address(), orDefault(lastLine(text), "ssh failed"))}
	}
	return &Error{c.Name, fleet.StatusFailed, fmt.Sprintf("ssh %s exited with code %d: %s", c.Address(), code, lastLine(text))}
}

func hostKeyChanged(ctx context.Context, c fleet.Computer, cfg sshcmd.Config) error {
	pinned := hostkeys.Fingerprint(c.HostKeys)
	offered := "unknown"
	if keys, err := hostkeys.Scan(ctx, c.RealHost(), c.Port, cfg.ConnectTimeout); err == nil {
		offered = hostkeys.Fingerprint(keys)
	}
	return &Error{c.Name, fleet.StatusHostKeyChanged, fmt.Sprintf(
		"host key changed: pinned %s, now offered %s; nothing was transferred. Trust the new key only if you expect the change (a reinstall)",
		pinned, offered)}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
