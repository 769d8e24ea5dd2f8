package probe_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/probe"
	"filesync/sync/sshcmd"
	"filesync/sync/testfleet"
)

// TestMeasureSpace_ReportsTheDiskOfTheRootOrItsNearestParent: locally and over ssh, the
// free space and size are those statfs reports for the disk holding the root folder, or,
// while it does not exist yet, its nearest existing parent; nothing is created.
func TestMeasureSpace_ReportsTheDiskOfTheRootOrItsNearestParent(t *testing.T) {
	f := testfleet.Start(t, 1)
	tc := f.Computers[0]
	remote := fleet.Computer{Name: tc.Name, Host: tc.Host, Port: tc.Port, User: f.User, Root: tc.Root,
		Identity: f.ClientKey, InsecureSkipHostKeyCheck: true}
	missing := remote
	missing.Root = filepath.Join(tc.Root, "not", "yet")
	local := fleet.Computer{Name: "here", Local: true, Root: filepath.Join(t.TempDir(), "not", "yet")}
	cfg := sshcmd.Config{ConnectTimeout: 10 * time.Second}
	for _, c := range []fleet.Computer{remote, missing, local} {
		got, err := probe.MeasureSpace(context.Background(), c, cfg, f.Env())
		if err != nil {
			t.Fatalf("%s %s: %v", c.Name, c.Root, err)
		}
		var st syscall.Statfs_t
		if err := syscall.Statfs(filepath.Dir(filepath.Dir(c.Root)), &st); err != nil {
			t.Fatal(err)
		}
		total := int64(st.Blocks) * int64(st.Bsize)
		// df rounds to KiB; the free space moves with whatever else writes to this disk.
		if diff := got.Total - total; diff < -1024 || diff > 1024 {
			t.Errorf("%s %s: total %d, want %d", c.Name, c.Root, got.Total, total)
		}
		if got.Free <= 0 || got.Free > got.Total {
			t.Errorf("%s %s: free %d of %d", c.Name, c.Root, got.Free, got.Total)
		}
		if _, err := os.Stat(c.Root); !os.IsNotExist(err) && c.Root != tc.Root {
			t.Errorf("%s: measuring created %s: %v", c.Name, c.Root, err)
		}
	}
}
