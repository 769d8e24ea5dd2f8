// Package servicetest gives tests a real application layer (app/service) over a fresh
// database with a fake engine in place of rsync and ssh: seconds to run, no sshd.
package servicetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"

	"filesync/app/paths"
	"filesync/app/service"
	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/fleet"
	"filesync/sync/testfleet"
)

// Engine is a fake engine. Each Run is sent on Actions and then played by Script (by
// default every computer ends ok with no transfers).
type Engine struct {
	Actions chan engine.Action
	// Script plays a run: it may emit events and block (until ctx ends, say).
	Script func(ctx context.Context, a engine.Action, emit func(engine.Event)) engine.Result

	mu        sync.Mutex
	cancelled []int // transfer indexes passed to CancelTransfer
}

var _ service.Engine = (*Engine)(nil)

// Run records a and plays the script.
func (e *Engine) Run(ctx context.Context, a engine.Action, events chan<- engine.Event) engine.Result {
	e.Actions <- a
	emit := func(ev engine.Event) {
		ev.RunID = a.RunID
		events <- ev
	}
	if e.Script == nil {
		return AllOK(a)
	}
	res := e.Script(ctx, a, emit)
	res.RunID = a.RunID
	return res
}

// CancelTransfer records the transfer's index.
func (e *Engine) CancelTransfer(_ uint, index int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cancelled = append(e.cancelled, index)
	return true
}

// Cancelled lists the transfer indexes CancelTransfer was given.
func (e *Engine) Cancelled() []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]int(nil), e.cancelled...)
}

// AllOK is a result in which every computer of a ended ok.
func AllOK(a engine.Action) engine.Result {
	res := engine.Result{RunID: a.RunID, Status: fleet.StatusOK, Summary: "all computers ok"}
	for _, c := range a.Computers {
		res.Computers = append(res.Computers, engine.ComputerResult{Name: c.Name, Status: fleet.StatusOK})
	}
	return res
}

// OneFailed is a result of a in which the named computer failed for reason and every
// other computer ended ok.
func OneFailed(a engine.Action, name, reason string) engine.Result {
	res := AllOK(a)
	res.Status, res.Summary = fleet.StatusFailed, fmt.Sprintf("%d/%d computers ok; %s", len(a.Computers)-1, len(a.Computers), reason)
	for i := range res.Computers {
		if res.Computers[i].Name == name {
			res.Computers[i].Status, res.Computers[i].Reason = fleet.StatusFailed, reason
		}
	}
	return res
}

// Fixture is a service over a fresh database in t's temporary folder.
type Fixture struct {
	Service *service.Service
	Store   *data.Store
	Engine  *Engine
}

// New returns a fixture; everything is closed when t ends.
func New(t testing.TB) *Fixture {
	t.Helper()
	dir := t.TempDir()
	// ssh's ControlPath must stay under about 100 bytes, which t.TempDir() can pass.
	runtime, err := os.MkdirTemp("", "fsst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(runtime) })
	p := paths.Paths{DB: filepath.Join(dir, "filesync.db"), KnownHosts: filepath.Join(dir, "known_hosts"),
		Runtime: runtime, Stage: filepath.Join(dir, "stage"), Log: filepath.Join(dir, "filesync.log")}
	store, err := data.Open(p.DB, nil)
	if err != nil {
		t.Fatal(err)
	}
	eng := &Engine{Actions: make(chan engine.Action, 16)}
	svc, err := service.New(service.Config{Store: store, Paths: p, Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := svc.Close(ctx); err != nil {
			t.Errorf("runs still in progress at the end of the test: %v", err)
		}
		store.Close()
	})
	return &Fixture{Service: svc, Store: store, Engine: eng}
}

// AddLocal adds a local computer whose root is a new folder; it returns the root.
func (f *Fixture) AddLocal(t testing.TB, name string) string {
	t.Helper()
	c := data.NewComputer(name)
	c.Local, c.Root = true, t.TempDir()
	if err := f.Store.AddComputer(&c); err != nil {
		t.Fatal(err)
	}
	return c.Root
}

// AddRemote adds a remote computer on a loopback address nothing is asked to answer on.
func (f *Fixture) AddRemote(t testing.TB, name, host string) {
	t.Helper()
	c := data.NewComputer(name)
	c.Host, c.User = host, "tester"
	if err := f.Store.AddComputer(&c); err != nil {
		t.Fatal(err)
	}
}

// AddProject adds a project with the default folders.
func (f *Fixture) AddProject(t testing.TB, name string) {
	t.Helper()
	p := data.NewProject(name)
	if err := f.Store.AddProject(&p); err != nil {
		t.Fatal(err)
	}
}

// HoldWrites takes the database's write lock from a connection of its own, as another
// process in the middle of a write would, until release is called: the service's writes
// wait meanwhile (reads do not).
func (f *Fixture) HoldWrites(t testing.TB) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", f.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err == nil {
		_, err = conn.ExecContext(context.Background(), "BEGIN IMMEDIATE")
	}
	if err != nil {
		db.Close()
		t.Fatalf("take the database's write lock: %v", err)
	}
	return func() {
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
}

// AddSSH adds a computer of a test fleet, reached over ssh as user with identity, its
// host key pinned; it returns the computer's root folder.
func (f *Fixture) AddSSH(t testing.TB, c *testfleet.Computer, user, identity string) string {
	t.Helper()
	key, err := os.ReadFile(c.HostKeys[0] + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	dc := data.NewComputer(c.Name)
	dc.Host, dc.Port, dc.User, dc.Root, dc.Identity, dc.HostKeys = c.Host, c.Port, user, c.Root, identity, strings.TrimSpace(string(key))
	if err := f.Store.AddComputer(&dc); err != nil {
		t.Fatal(err)
	}
	return c.Root
}
