package runs

import (
	"os"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/app/paths"
	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/sshcmd"
	"filesync/sync/transfer"
)

// ConnectTimeout is how long a computer has to answer before it counts as unreachable.
const ConnectTimeout = 10 * time.Second

// SSHConfig is the ssh set-up of the app whose files are at p.
func SSHConfig(p paths.Paths) sshcmd.Config {
	return sshcmd.Config{KnownHostsFile: p.KnownHosts, ControlDir: p.Control(), ConnectTimeout: ConnectTimeout}
}

// NewRunner returns a Runner over store with a new engine, creating the runtime folders.
func NewRunner(store *data.Store, p paths.Paths, log logrus.FieldLogger) (*Runner, error) {
	if err := p.Prepare(); err != nil {
		return nil, err
	}
	agent := os.Getenv("SSH_AUTH_SOCK") != ""
	if !agent {
		log.Debug("no ssh agent (SSH_AUTH_SOCK is empty): transfers between two remote computers are relayed through this computer")
	}
	eng := engine.New(engine.Config{
		Env:     transfer.Env{SSH: SSHConfig(p), StageDir: p.Stage, Agent: agent},
		LockDir: p.Locks(),
		Log:     log,
	})
	return &Runner{Store: store, Engine: eng, KnownHosts: p.KnownHosts, Log: log}, nil
}
