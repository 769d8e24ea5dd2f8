package sshcmd

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"filesync/sync/fleet"
)

// Config is what every ssh connection of this app shares.
type Config struct {
	KnownHostsFile string        // the app-owned known_hosts holding pinned keys
	ControlDir     string        // folder of ControlMaster sockets; "" turns multiplexing off
	ConnectTimeout time.Duration // how long to wait for a computer before calling it unreachable
	ControlPersist time.Duration // how long an idle multiplexed connection stays open (0: ControlPersist)
	ControlFrom    string        // the computer connecting, when others may share its ControlDir
	AgentSock      string        // SSH_AUTH_SOCK of the ssh processes ("" without an agent)
	ConfigFile     string        // ssh_config handed to ssh with -F; "" leaves ssh to read its own
}

// ControlPersist is how long an idle multiplexed connection stays open after its last use.
const ControlPersist = 60 * time.Second

// Options returns ssh's options for connecting to c (no program name, no destination):
// batch mode (never a prompt), timeouts, keep-alives, multiplexing and pinned host keys.
// A port of 0 is left to ssh's configuration.
func Options(c fleet.Computer, cfg Config) []string {
	opts := configOptions(c, cfg)
	opts = append(opts,
		"-o", "BatchMode=yes",
		"-o", fmt.Sprintf("ConnectTimeout=%d", seconds(cfg.ConnectTimeout)),
		"-o", "ServerAliveInterval=15",
		"-o", "ServerAliveCountMax=3",
		"-o", "LogLevel=ERROR",
	)
	opts = append(opts, hostKeyOptions(c, cfg.KnownHostsFile)...)
	if cfg.ControlDir != "" {
		opts = append(opts,
			"-o", "ControlMaster=auto",
			"-o", "ControlPath="+filepath.Join(cfg.ControlDir, controlName(c, cfg)),
			"-o", fmt.Sprintf("ControlPersist=%d", seconds(cmp.Or(cfg.ControlPersist, ControlPersist))))
	}
	if c.Identity != "" {
		opts = append(opts, "-i", c.Identity, "-o", "IdentitiesOnly=yes")
	}
	return opts
}

// configOptions are the options that change what ssh's configuration gives c: the
// configuration file and the port, when set.
func configOptions(c fleet.Computer, cfg Config) []string {
	var opts []string
	if cfg.ConfigFile != "" {
		opts = append(opts, "-F", cfg.ConfigFile)
	}
	if c.Port != 0 {
		opts = append(opts, "-p", strconv.Itoa(c.Port))
	}
	return opts
}

// controlName is the name of c's multiplexing socket. ssh's %C covers the local host name,
// the remote host, port and user, but not the key: after the computer's identity file
// changes, a connection opened with the old key must not be reused. Nor does it tell apart
// computers that share a home folder and a host name (containers, network namespaces):
// one would send its data through the other's connection and network link. Nor does it
// cover the agent: a master opened without one (or with another) forwards no agent, or the
// wrong one, to every session that reuses it, so a transfer run on that computer could not
// log in to the next. All three go into the name when set.
func controlName(c fleet.Computer, cfg Config) string {
	if c.Identity == "" && cfg.ControlFrom == "" && cfg.AgentSock == "" {
		return "cm-%C"
	}
	sum := sha256.Sum256([]byte(c.Identity + "\x00" + cfg.ControlFrom + "\x00" + cfg.AgentSock))
	return "cm-" + hex.EncodeToString(sum[:4]) + "-%C"
}

// hostKeyOptions pins c's keys: ssh looks them up under c's alias in the app's own
// known_hosts and refuses any other key. The insecure switch is the seed's behaviour.
func hostKeyOptions(c fleet.Computer, knownHosts string) []string {
	if c.InsecureSkipHostKeyCheck {
		return []string{"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"}
	}
	return []string{
		"-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile=" + knownHosts,
		"-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "HostKeyAlias=" + c.HostKeyAlias(),
		"-o", "CheckHostIP=no",
	}
}

// Destination is user@host, or host when the user is empty (then ~/.ssh/config decides).
func Destination(c fleet.Computer) string {
	if c.User == "" {
		return c.Host
	}
	return c.User + "@" + c.Host
}

// Command returns the argv that runs remote on c through the user's login shell; remote is
// quoted by Quote, so each element arrives as one argument. With forwardAgent the
// remote command can reach further computers with this user's agent keys.
func Command(c fleet.Computer, cfg Config, forwardAgent bool, remote []string) []string {
	argv := append([]string{"ssh"}, Options(c, cfg)...)
	if forwardAgent {
		argv = append(argv, "-A")
	} else {
		argv = append(argv, "-a")
	}
	return append(argv, "--", Destination(c), Quote(remote))
}

func seconds(d time.Duration) int {
	s := int(d / time.Second)
	if s < 1 {
		return 1
	}
	return s
}
