package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/testfiles"
)

// TestCancelTransfer_StopsOneTransferAndTheRunEndsCancelled: a slow transfer (bandwidth
// capped) is stopped from the outside; no half file lands under its final name.
func TestCancelTransfer_StopsOneTransferAndTheRunEndsCancelled(t *testing.T) {
	a, b := localPC(t, "a"), localPC(t, "b")
	b.BWLimitKBps = 100
	big := filepath.Join(a.Root, "data", "p", "big.bin")
	testfiles.Write(t, big, strings.Repeat("x", 4<<20))
	e := New(Config{LockDir: t.TempDir(), IOTimeout: 10 * time.Second})
	events := make(chan Event)
	results := make(chan Result, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() {
		results <- e.Run(ctx, Action{Kind: Push, Target: "a", RunID: 9, Computers: []fleet.Computer{a, b},
			Projects: []fleet.Project{{Name: "p", Mode: fleet.Merge}}}, events)
		close(events)
	}()
	cancelled := false
	for ev := range events {
		if ev.Kind == Progress && !cancelled {
			if !e.CancelTransfer(9, ev.Transfer.Index) {
				t.Fatal("CancelTransfer did not find the running transfer")
			}
			cancelled = true
		}
	}
	res := <-results
	if !cancelled {
		t.Fatal("the transfer never reported progress")
	}
	if res.Status != fleet.StatusCancelled || len(res.Transfers) != 1 || !res.Transfers[0].Cancelled {
		t.Fatalf("result %+v, want a cancelled run with its transfer marked cancelled", res)
	}
	if _, err := os.Stat(filepath.Join(b.Root, "data", "p", "big.bin")); err == nil {
		t.Fatal("the cancelled transfer left big.bin under its final name")
	}
	if e.CancelTransfer(9, res.Transfers[0].Index) {
		t.Error("a finished transfer can still be cancelled")
	}
}
