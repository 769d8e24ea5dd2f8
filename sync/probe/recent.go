package probe

import (
	"context"
	"sync"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
)

// Recent remembers the remote computers that answered a probe, so that runs following
// each other (a watch pushing every second) do not start a session on each computer just
// to probe it again: on a computer whose shell runs conda or pyenv init, every session
// costs half a second. A computer is reached again without a probe while its multiplexed
// connection is open and its last probe succeeded less than For ago; that connection was
// opened with the pinned host key, and the transfers' rsync creates the root folder itself
// (--mkpath). The zero value is ready to use and never skips a probe.
type Recent struct {
	For time.Duration // how long a successful probe is trusted

	mu      sync.Mutex
	reached map[fleet.Computer]reached // by every setting, so an edited computer is probed anew
}

type reached struct {
	rsyncVersion string
	at           time.Time
}

// Reach is the package's Reach, unless c answered one less than r.For ago and its
// multiplexed connection is still open.
func (r *Recent) Reach(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) (string, error) {
	reusable := !c.Local && cfg.ControlDir != "" && r.For > 0
	if reusable {
		if version, ok := r.recent(c); ok && connectionOpen(ctx, c, cfg, env) {
			return version, nil
		}
	}
	version, err := Reach(ctx, c, cfg, env)
	if reusable {
		r.remember(c, version, err)
	}
	return version, err
}

// Renew counts a transfer that just succeeded with c as a fresh probe of it, if c answered
// a probe before: its connection works, so a watch pushing every second need not probe it
// again every For.
func (r *Recent) Renew(c fleet.Computer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if last, ok := r.reached[c]; ok {
		r.reached[c] = reached{last.rsyncVersion, time.Now()}
	}
}

func (r *Recent) recent(c fleet.Computer) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	last, ok := r.reached[c]
	return last.rsyncVersion, ok && time.Since(last.at) < r.For
}

func (r *Recent) remember(c fleet.Computer, version string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		delete(r.reached, c)
		return
	}
	if r.reached == nil {
		r.reached = map[fleet.Computer]reached{}
	}
	r.reached[c] = reached{version, time.Now()}
}

// connectionOpen asks the multiplexing master for c whether it still runs; it starts no
// session on c.
func connectionOpen(ctx context.Context, c fleet.Computer, cfg sshcmd.Config, env []string) bool {
	_, _, err := run(ctx, controlCommand(c, cfg, "check"), env)
	return err == nil
}

// controlCommand is the argv that sends cmd ("check", "exit") to c's multiplexing master.
func controlCommand(c fleet.Computer, cfg sshcmd.Config, cmd string) []string {
	return append(append([]string{"ssh"}, sshcmd.Options(c, cfg)...), "-O", cmd, "--", sshcmd.Destination(c))
}
