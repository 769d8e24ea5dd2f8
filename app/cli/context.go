package cli

import (
	"io"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"filesync/app/paths"
	"filesync/app/service"
	"filesync/data"
)

// appContext holds what the commands share, opened on first use.
type appContext struct {
	stdout, stderr io.Writer
	dbFlag         string
	verbose        bool
	log            *logrus.Logger
	closeLog       func() error
	paths          paths.Paths
	store          *data.Store
	svc            *service.Service
	window         Window
	windowExit     int // the window's exit code, when it was opened
}

func (a *appContext) setUp(cmd *cobra.Command) error {
	db := a.dbFlag
	if db == "" {
		var err error
		if db, err = data.DefaultPath(); err != nil {
			return err
		}
	}
	p, err := paths.For(db)
	if err != nil {
		return err
	}
	a.paths = p
	a.setLogging(p.Log)
	return nil
}

// backend opens the database and the service (once).
func (a *appContext) backend() (Backend, error) {
	if a.svc != nil {
		return a.svc, nil
	}
	store, err := data.Open(a.paths.DB, a.log)
	if err != nil {
		return nil, err
	}
	svc, err := service.New(service.Config{Store: store, Paths: a.paths, Log: a.log})
	if err != nil {
		store.Close()
		return nil, err
	}
	a.store, a.svc = store, svc
	return svc, nil
}

func (a *appContext) close() {
	if a.store != nil {
		a.store.Close()
	}
	if a.closeLog != nil {
		a.closeLog()
	}
}
