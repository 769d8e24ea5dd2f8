package cli

import (
	"io"
	"os"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"filesync/app/paths"
	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/sshcmd"
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

// openStore opens the database (once).
func (a *appContext) openStore() (*data.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := data.Open(a.paths.DB, a.log)
	if err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}

func (a *appContext) sshConfig() sshcmd.Config { return runs.SSHConfig(a.paths) }

// runner returns a Runner over the store and a new engine.
func (a *appContext) runner() (*runs.Runner, error) {
	store, err := a.openStore()
	if err != nil {
		return nil, err
	}
	return runs.NewRunner(store, a.paths, a.log)
}

func (a *appContext) close() {
	if a.store != nil {
		a.store.Close()
	}
	if a.closeLog != nil {
		a.closeLog()
	}
}

func homeDir() string {
	home, _ := os.UserHomeDir()
	return home
}
