package service

import (
	"context"
	"os"
	"sync"
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

// Engine runs actions; *engine.Engine is the real one, tests give a fake.
type Engine interface {
	Run(ctx context.Context, a engine.Action, events chan<- engine.Event) engine.Result
	CancelTransfer(run uint, index int) bool
}

var _ Engine = (*engine.Engine)(nil)

// Config is what a Service works with.
type Config struct {
	Store *data.Store
	Paths paths.Paths
	Log   *logrus.Logger
	// Engine runs the transfers; nil makes the real one over Paths.
	Engine Engine
}

// Service is the application layer of one process. It is safe for concurrent use.
type Service struct {
	store  *data.Store
	paths  paths.Paths
	log    *logrus.Logger
	engine Engine
	bus    *Bus

	mu     sync.Mutex
	active map[uint]context.CancelFunc // runs in progress, by run id
	wg     sync.WaitGroup              // one per run in progress
	pruned map[string]time.Time        // when runs last pruned each computer's versions
}

// New returns the service over cfg, creating the runtime folders.
func New(cfg Config) (*Service, error) {
	if err := cfg.Paths.Prepare(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = logrus.New()
		cfg.Log.SetOutput(discard{})
	}
	s := &Service{store: cfg.Store, paths: cfg.Paths, log: cfg.Log, engine: cfg.Engine, bus: &Bus{},
		active: map[uint]context.CancelFunc{}, pruned: map[string]time.Time{}}
	if s.engine == nil {
		s.engine = s.newEngine()
	}
	s.log.AddHook(&busHook{bus: s.bus})
	if err := transfer.RemoveOldStages(cfg.Paths.Stage, time.Now()); err != nil {
		s.log.WithError(err).Warn("old relay stages were not removed")
	}
	return s, nil
}

func (s *Service) newEngine() *engine.Engine {
	env := s.transferEnv()
	if !env.Agent {
		s.log.Debug("no ssh agent (SSH_AUTH_SOCK is empty): transfers between two remote computers are relayed through this computer")
	}
	return engine.New(engine.Config{
		Env:     env,
		LockDir: s.paths.Locks(),
		Log:     s.log,
	})
}

func (s *Service) transferEnv() transfer.Env {
	return transfer.Env{SSH: s.sshConfig(), StageDir: s.paths.Stage, Agent: os.Getenv("SSH_AUTH_SOCK") != ""}
}

func (s *Service) sshConfig() sshcmd.Config {
	return sshcmd.Config{KnownHostsFile: s.paths.KnownHosts, ControlDir: s.paths.Control(), ConnectTimeout: ConnectTimeout,
		AgentSock: os.Getenv("SSH_AUTH_SOCK"), ConfigFile: s.paths.SSHConfig}
}

// Events subscribes to the process's event stream (every kind when none is given).
func (s *Service) Events(kinds ...EventKind) *Subscription { return s.bus.Subscribe(kinds...) }

// Log is the process's logger; what it logs is also published as LogEntry events.
func (s *Service) Log() logrus.FieldLogger { return s.log }

// Close cancels the runs in progress and waits until they have stopped their processes
// and recorded themselves, or until ctx ends.
func (s *Service) Close(ctx context.Context) error {
	s.CancelAll()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
