package data

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"filesync/sync/fleet"
)

// Two stores stand for the GUI and a CLI process sharing the file.
func TestTwoStoresWriteConcurrentlyWithoutLockErrors(t *testing.T) {
	const goroutines, writesEach = 8, 100
	path := tempDBPath(t)
	stores := []*Store{openAt(t, path), openAt(t, path)}
	mustAddComputer(t, stores[0], remote("gpu-1", "127.0.0.5", 22))
	run, err := stores[0].StartRun(fleet.TriggerSync, "all computers")
	if err != nil {
		t.Fatal(err)
	}

	errs := make(chan error, goroutines*writesEach)
	var wg sync.WaitGroup
	for g := range goroutines {
		store := stores[g%len(stores)]
		wg.Go(func() {
			for i := range writesEach {
				if err := mixedWrite(store, run.ID, g, i); err != nil {
					errs <- fmt.Errorf("goroutine %d write %d: %w", g, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	detail, err := stores[1].RunDetail(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantTransfers := goroutines * ((writesEach + 2) / 3)
	if len(detail.Transfers) != wantTransfers {
		t.Errorf("%d transfers saved; want %d", len(detail.Transfers), wantTransfers)
	}
}

func mixedWrite(store *Store, runID uint, goroutine, i int) error {
	switch i % 3 {
	case 0:
		return store.AddTransfer(&Transfer{RunID: runID, From: "a", To: "b", Argv: fmt.Sprintf("rsync %d/%d", goroutine, i)})
	case 1:
		synced := time.Now()
		return store.SetComputerStatus("gpu-1", fleet.StatusOK, "", &synced)
	default:
		run, err := store.StartRun(fleet.TriggerInterval, "gpu-1")
		if err != nil {
			return err
		}
		return store.FinishRun(run.ID, fleet.StatusOK, int64(i), 1, "")
	}
}
