package cli

import (
	"testing"

	"filesync/app/service"
)

func TestCellText(t *testing.T) {
	for _, tc := range []struct {
		cell service.Cell
		want string
	}{
		{service.Cell{State: service.CellInSync, Synced: true}, "in sync"},
		{service.Cell{State: service.CellInSync}, "in sync; never synced"},
		{service.Cell{State: service.CellOutOfSync, Synced: true, Receive: service.Count{Files: 1, Bytes: 5}}, "1 file, 5 B to receive"},
		{service.Cell{State: service.CellOutOfSync, Synced: true, Receive: service.Count{Files: 3, Bytes: 2500}, NewerHere: service.Count{Files: 2}},
			"3 files, 2.5 kB to receive; 2 newer here"},
		{service.Cell{State: service.CellOutOfSync, Synced: true, NewerHere: service.Count{Files: 1}, Changed: service.Count{Files: 4}},
			"1 newer here; 4 changed here since the last sync"},
		{service.Cell{State: service.CellUnreachable, Reason: "c2: unreachable at …"}, "unreachable"},
	} {
		if got := cellText(tc.cell); got != tc.want {
			t.Errorf("cellText(%+v) = %q, want %q", tc.cell, got, tc.want)
		}
	}
}
