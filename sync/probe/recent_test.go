package probe_test

import (
	"context"
	"os"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/probe"
	"filesync/sync/sshcmd"
	"filesync/sync/testfleet"
)

// TestRecent_ReachesAgainWithoutASessionWhileTheConnectionIsOpen: a computer probed a
// moment ago is reached again without starting a session on it, as long as its
// multiplexed connection is open and its settings are the same; otherwise it is probed.
func TestRecent_ReachesAgainWithoutASessionWhileTheConnectionIsOpen(t *testing.T) {
	f := testfleet.Start(t, 1)
	tc := f.Computers[0]
	c := fleet.Computer{Name: tc.Name, Host: tc.Host, Port: tc.Port, User: f.User, Root: tc.Root,
		Identity: f.ClientKey, InsecureSkipHostKeyCheck: true}
	controls, err := os.MkdirTemp("", "fsprobe") // a socket path must stay short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(controls) })
	cfg := sshcmd.Config{ControlDir: controls, ConnectTimeout: 10 * time.Second}
	recent := &probe.Recent{For: time.Minute}
	sessions := func(r *probe.Recent, c fleet.Computer) int {
		t.Helper()
		before := tc.SessionsStarted()
		version, err := r.Reach(context.Background(), c, cfg, f.Env())
		if err != nil || version == "" {
			t.Fatalf("reach %s: version %q, %v", c.Name, version, err)
		}
		return tc.SessionsStarted() - before
	}
	edited := c
	edited.Root += "/elsewhere"
	for _, step := range []struct {
		name   string
		before func()
		recent *probe.Recent
		c      fleet.Computer
		want   int
	}{
		{"first reach", nil, recent, c, 1},
		{"again at once", nil, recent, c, 0},
		{"after the connection was cut", func() { tc.KillSessions(t); waitEmpty(t, controls) }, recent, c, 1},
		{"with other settings", nil, recent, edited, 1},
		{"with no time to trust a probe", nil, &probe.Recent{}, c, 1},
	} {
		if step.before != nil {
			step.before()
		}
		if got := sessions(step.recent, step.c); got != step.want {
			t.Errorf("%s: %d sessions started, want %d", step.name, got, step.want)
		}
	}
}

// waitEmpty waits until the multiplexing master noticed its connection is gone and
// removed its socket from dir.
func waitEmpty(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, err := os.ReadDir(dir)
		if err == nil && len(entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still holds %v", dir, entries)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRecent_RenewKeepsAComputerThatWasProbedAndNoOther: a successful transfer counts as a
// fresh probe of a computer that answered one, and of no computer that did not.
func TestRecent_RenewKeepsAComputerThatWasProbedAndNoOther(t *testing.T) {
	f := testfleet.Start(t, 1)
	tc := f.Computers[0]
	c := fleet.Computer{Name: tc.Name, Host: tc.Host, Port: tc.Port, User: f.User, Root: tc.Root,
		Identity: f.ClientKey, InsecureSkipHostKeyCheck: true}
	controls, err := os.MkdirTemp("", "fsprobe")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(controls) })
	cfg := sshcmd.Config{ControlDir: controls, ConnectTimeout: 10 * time.Second}
	const trusted = 300 * time.Millisecond
	recent := &probe.Recent{For: trusted}
	reach := func() int {
		t.Helper()
		before := tc.SessionsStarted()
		if _, err := recent.Reach(context.Background(), c, cfg, f.Env()); err != nil {
			t.Fatal(err)
		}
		return tc.SessionsStarted() - before
	}
	unknown := c
	unknown.Name = "never-probed"
	recent.Renew(unknown)
	reach()
	for range 3 {
		time.Sleep(trusted / 2)
		recent.Renew(c)
	}
	if n := reach(); n != 0 {
		t.Errorf("reached %s with %d new sessions %s after its probe, renewed meanwhile; want none", c.Name, n, 3*trusted/2)
	}
	time.Sleep(trusted + 50*time.Millisecond)
	if n := reach(); n == 0 {
		t.Errorf("reached %s without a probe %s after the last renewal, longer than it is trusted", c.Name, trusted+50*time.Millisecond)
	}
}
