package fleet

import "strconv"

// DefaultRoot is the root folder of a computer added without --root.
const DefaultRoot = "~/mlcomp"

// Computer is a machine of the fleet, or a folder on this machine (Local).
type Computer struct {
	Name string
	Host string // DNS name, IP or ~/.ssh/config alias; empty for local computers
	Port int    // 0: as ssh's configuration says for Host (else 22)
	User string // "": as ssh's configuration says for Host (else the local user)
	// HostName is where Host leads once ssh's configuration is applied (sshcmd.Resolve):
	// what ssh-keyscan and other computers must be given, since they know no aliases.
	HostName string
	Root     string // "~/..." or absolute
	Local    bool   // a folder on this machine, reached without ssh
	Enabled  bool
	Relay    bool // remote-to-remote transfers touching it are staged through this computer
	// ReceiveOnly computers get every project but are never copied from (a backup disk).
	ReceiveOnly bool
	Identity    string // ssh identity file on this machine, optional
	// BWLimitKBps caps transfers into or out of this computer; 0 means unlimited.
	BWLimitKBps int
	// HostKeys are the pinned host keys, authorized_keys format, one per line.
	HostKeys string
	// InsecureSkipHostKeyCheck is the seed's StrictHostKeyChecking=no, off by default.
	InsecureSkipHostKeyCheck bool
}

// Address is user@host:port, or the root folder for a local computer. The real host name
// stands for the alias once resolved; a user or port left to ssh's configuration is left out.
func (c Computer) Address() string {
	if c.Local {
		return "local:" + c.Root
	}
	addr := c.RealHost()
	if c.User != "" {
		addr = c.User + "@" + addr
	}
	if c.Port != 0 {
		addr += ":" + strconv.Itoa(c.Port)
	}
	return addr
}

// RealHost is the host name or IP connections go to: HostName once resolved, else Host.
func (c Computer) RealHost() string {
	if c.HostName != "" {
		return c.HostName
	}
	return c.Host
}

// HostKeyAlias is the name under which the computer's pinned keys are stored in the
// app's known_hosts: keyed by computer, not by address, so an ~/.ssh/config alias, a port
// or a changed IP cannot make ssh look up the wrong entry.
func (c Computer) HostKeyAlias() string {
	return "filesync-" + c.Name
}

// Mode is how a project's folders are synchronised.
type Mode string

// The two modes: merge keeps the union (nothing deleted); mirror makes the receiver an
// exact copy of the sender, deleting what the sender lacks.
const (
	Merge  Mode = "merge"
	Mirror Mode = "mirror"
)

// Deletes is what a merge sync does with a file deleted on one computer.
type Deletes string

// Propagate removes it from the others too (into their versions), as a two-way sync
// does; Keep sends it back, so every computer keeps the union.
const (
	Propagate Deletes = "propagate"
	Keep      Deletes = "keep"
)

// Project is a named set of sync folders and ignore entries with its options.
type Project struct {
	Name        string
	SyncFolders []string // entries as typed, resolved by package folders
	Ignore      []string
	Mode        Mode
	Versions    bool // keep overwritten files under <root>/.filesync/versions/<run>/
	// OpenPermissions is the seed's --perms --chmod=777, only when the project asks for it.
	OpenPermissions bool
	Deletes         Deletes
}

// Names returns the names of the computers, in order.
func Names(cs []Computer) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

// ByName returns the computer with that name.
func ByName(cs []Computer, name string) (Computer, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return Computer{}, false
}
