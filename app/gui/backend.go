package gui

import (
	"context"

	"filesync/app/service"
	"filesync/data"
)

// Backend is what the window asks of the application layer.
type Backend interface {
	Start(ctx context.Context, req service.Request) (*service.Run, error)
	CancelAll()
	CancelTransfer(run uint, index int) bool
	RunTask(ctx context.Context, req service.TaskRequest) (service.TaskResult, error)
	Check(ctx context.Context, names []string) ([]service.CheckReport, error)
	Status(ctx context.Context, req service.StatusRequest) (service.FleetStatus, error)
	ScanHostKey(ctx context.Context, c data.Computer) (service.HostKey, error)
	Trust(name, keys string) error

	Computers() ([]data.Computer, error)
	CheckNewComputer(c data.Computer) error
	AddComputer(c *data.Computer) error
	UpdateComputer(name string, c *data.Computer) error
	RemoveComputer(name string) error

	Projects() ([]data.Project, error)
	SaveProject(oldName string, p *data.Project) (service.Resolution, error)
	RemoveProject(name string) error

	Runs(limit int) ([]data.Run, error)
	RunDetail(id uint) (data.Run, error)

	Versions(ctx context.Context, q service.VersionQuery) (service.VersionList, error)
	RestoreVersion(ctx context.Context, req service.RestoreRequest) (service.Result, error)

	Events(kinds ...service.EventKind) *service.Subscription
}

var _ Backend = (*service.Service)(nil)
