package sshcmd

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"filesync/sync/fleet"
)

// TestResolve_AliasTakesConfigValuesUnlessSet asks the real ssh (ssh -G, which connects
// nowhere) what an alias of a configuration file leads to.
func TestResolve_AliasTakesConfigValuesUnlessSet(t *testing.T) {
	cfg := baseConfig
	cfg.ConfigFile = filepath.Join(t.TempDir(), "config")
	config := "Host gpu-a\n  HostName 127.0.0.42\n  Port 2201\n  User bob\n"
	if err := os.WriteFile(cfg.ConfigFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		port         int
		user         string
		wantPort     int
		wantUser     string
		wantHostName string
	}{
		{"from the configuration", 0, "", 2201, "bob", "127.0.0.42"},
		{"port and user given win", 2222, "alice", 2222, "alice", "127.0.0.42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fleet.Computer{Name: "a", Host: "gpu-a", Port: tc.port, User: tc.user, Root: "~/mlcomp"}
			got, err := Resolve(context.Background(), c, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got.HostName != tc.wantHostName || got.Port != tc.wantPort || got.User != tc.wantUser || got.Host != "gpu-a" {
				t.Errorf("Resolve = host %s, hostname %s, port %d, user %s; want gpu-a, %s, %d, %s",
					got.Host, got.HostName, got.Port, got.User, tc.wantHostName, tc.wantPort, tc.wantUser)
			}
		})
	}
}
