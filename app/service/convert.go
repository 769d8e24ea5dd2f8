package service

import (
	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/sshcmd"
)

// engineComputer is a stored computer as the engine sees it.
func engineComputer(c data.Computer) fleet.Computer {
	return fleet.Computer{
		Name: c.Name, Host: c.Host, Port: c.Port, User: c.User, Root: c.Root,
		Local: c.Local, Enabled: c.Enabled, Relay: c.Relay, ReceiveOnly: !c.SyncWithOthers, Identity: c.Identity,
		BWLimitKBps: c.BWLimitKBps, HostKeys: c.HostKeys,
		InsecureSkipHostKeyCheck: c.InsecureSkipHostKeyCheck,
	}
}

// engineProject is a stored project as the engine sees it.
func engineProject(p data.Project) fleet.Project {
	return fleet.Project{
		Name: p.Name, SyncFolders: p.SyncFolders, Ignore: p.Ignore,
		Mode: p.Mode, Versions: p.Versions, OpenPermissions: p.OpenPermissions, Deletes: p.Deletes,
	}
}

// Address is how the computer is reached: user@host:port, or local:<root>.
func Address(c data.Computer) string { return engineComputer(c).Address() }

// ShellQuote writes args as one shell command line, each argument quoted where it must be,
// for commands shown to the user to paste.
func ShellQuote(args ...string) string { return sshcmd.Quote(args) }
