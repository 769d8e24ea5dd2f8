package runs

import (
	"filesync/data"
	"filesync/sync/fleet"
)

// Computer converts a stored computer into the engine's view.
func Computer(c data.Computer) fleet.Computer {
	return fleet.Computer{
		Name: c.Name, Host: c.Host, Port: c.Port, User: c.User, Root: c.Root,
		Local: c.Local, Enabled: c.Enabled, Relay: c.Relay, ReceiveOnly: !c.SyncWithOthers, Identity: c.Identity,
		BWLimitKBps: c.BWLimitKBps, HostKeys: c.HostKeys,
		InsecureSkipHostKeyCheck: c.InsecureSkipHostKeyCheck,
	}
}

// Project converts a stored project into the engine's view.
func Project(p data.Project) fleet.Project {
	return fleet.Project{
		Name: p.Name, SyncFolders: p.SyncFolders, Ignore: p.Ignore,
		Mode: fleet.Mode(p.Mode), Versions: p.Versions, OpenPermissions: p.OpenPermissions,
	}
}
