package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/hostkeys"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
)

// hopKnownHosts is where, under the destination's home, the source's pinned keys are
// written for the inner ssh hop: one file per source computer and key set, so two fleets
// sharing a home (or a key change) never overwrite each other's file mid-transfer.
const hopKnownHosts = ".cache/filesync/hop"

// hopScript writes the first $2 lines of stdin (the pinned keys) to the file named by $1
// through a temporary name, then runs the rest of its arguments, which read the rest of
// stdin (rsync's file list). The shell's read takes one byte at a time from a pipe, so
// it never reads past the keys. The script is constant: every value reaches it as a
// quoted argument, never as text pasted into it.
const hopScript = `set -e; kh=$1; n=$2; shift 2; umask 077; mkdir -p "${kh%/*}"; i=0; ` +
	`while [ "$i" -lt "$n" ]; do IFS= read -r line || break; printf '%s\n' "$line"; i=$((i+1)); done > "$kh.$$"; ` +
	`mv -f "$kh.$$" "$kh"; exec "$@"`

// hopSSH runs the inner hop's ssh in the hop folder, so that its ControlPath can be short
// and relative: a socket path under a long home would pass the 108 bytes ssh allows. A
// missing folder fails as ssh would (255).
const hopSSH = `cd "$HOME/` + hopKnownHosts + `" || exit 255; exec ssh "$@"`

// hopPersist keeps the inner hop's connection for the next run soon after, without
// leaving connections open on the fleet's computers for long.
const hopPersist = 10 * time.Second

// RemotePull runs rsync on the destination over ssh, pulling from the source directly;
// this user's agent is forwarded for the second hop, which checks the source's pinned keys.
type RemotePull struct{ Env Env }

func hopFile(from fleet.Computer) string {
	sum := sha256.Sum256([]byte(from.Host + "\x00" + from.HostKeys))
	return hopKnownHosts + "/known_hosts-" + from.Name + "-" + hex.EncodeToString(sum[:6])
}

// Commands returns the ssh argv that runs the transfer on the destination.
func (r RemotePull) Commands(j Job) ([][]string, error) {
	keys, err := r.keys(j)
	if err != nil {
		return nil, err
	}
	return [][]string{r.argv(j, keys)}, nil
}

// keys are the source's pinned keys as known_hosts lines, for the inner hop.
func (r RemotePull) keys(j Job) (string, error) {
	if j.From.InsecureSkipHostKeyCheck {
		return "", nil
	}
	return hostkeys.KnownHostsLines(j.From.HostKeyAlias(), j.From.HostKeys)
}

func (r RemotePull) argv(j Job, keys string) []string {
	inner := sshcmd.Config{
		KnownHostsFile: "~/" + hopFile(j.From),
		ConnectTimeout: r.Env.SSH.ConnectTimeout,
		ControlDir:     ".",
		ControlPersist: hopPersist,
		ControlFrom:    fmt.Sprintf("%s %s:%d", j.To.Name, j.To.Host, j.To.Port),
	}
	from := j.From
	from.Identity = ""          // a path on this computer; the agent carries the key instead
	from.Host = from.RealHost() // the destination knows none of this computer's ssh aliases
	opt := j.Options
	opt.FilesFrom = j.listed()
	opt.RemoteShell = rsync.RemoteShell(append([]string{"sh", "-c", hopSSH, "filesync-hop-ssh"}, sshcmd.Options(from, inner)...))
	src := rsync.Endpoint{Remote: sshcmd.Destination(from), Root: fleet.RemoteRoot(from.Root)}
	dst := rsync.Endpoint{Root: fleet.RemoteRoot(j.To.Root)}
	remote := append([]string{"sh", "-c", hopScript, "filesync-hop", hopFile(j.From), strconv.Itoa(strings.Count(keys, "\n"))},
		rsync.Args(src, dst, j.Folders, opt)...)
	return sshcmd.Command(j.To, r.Env.SSH, true, remote)
}

// Run hands the source's pinned keys to the destination on stdin, then the file list of
// a listed job, and runs the pull.
func (r RemotePull) Run(ctx context.Context, j Job, out Output) (int, error) {
	keys, err := r.keys(j)
	if err != nil {
		return -1, err
	}
	stdin := keys
	if j.listed() {
		stdin += j.fileList()
	}
	return runRsync(ctx, r.Env, r.argv(j, keys), out, stdin)
}
