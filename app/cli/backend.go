package cli

import (
	"context"

	"filesync/app/autosync"

	"filesync/app/service"
	"filesync/data"
)

// Backend is what the command line asks of the application layer.
type Backend interface {
	Sync(ctx context.Context, req service.Request) (service.Result, error)
	Start(ctx context.Context, req service.Request) (*service.Run, error)
	Preview(ctx context.Context, req service.Request) (service.Preview, error)
	Status(ctx context.Context, req service.StatusRequest) (service.FleetStatus, error)
	ThisComputer() (string, error)
	RunTask(ctx context.Context, req service.TaskRequest) (service.TaskResult, error)
	Check(ctx context.Context, names []string) ([]service.CheckReport, error)
	ScanHostKey(ctx context.Context, c data.Computer) (service.HostKey, error)
	Trust(name, keys string) error

	Computers() ([]data.Computer, error)
	Computer(name string) (data.Computer, error)
	Endpoint(ctx context.Context, c data.Computer) (service.Endpoint, error)
	CheckNewComputer(c data.Computer) error
	AddComputer(c *data.Computer) error
	UpdateComputer(name string, c *data.Computer) error
	RemoveComputer(name string) error

	Projects() ([]data.Project, error)
	Project(name string) (data.Project, error)
	SaveProject(oldName string, p *data.Project) (service.Resolution, error)
	RemoveProject(name string) error

	Versions(ctx context.Context, q service.VersionQuery) (service.VersionList, error)
	RestoreVersion(ctx context.Context, req service.RestoreRequest) (service.Result, error)
	PruneVersions(ctx context.Context, project string, dryRun bool) (service.PruneReport, error)

	Runs(limit int) ([]data.Run, error)
	RunDetail(id uint) (data.Run, error)
}

var (
	_ Backend       = (*service.Service)(nil)
	_ autosync.Runs = Backend(nil)
)
