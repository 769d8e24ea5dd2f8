package data

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
)

func TestRunsAreNewestFirstAndLimited(t *testing.T) {
	store := openTemp(t)
	var ids []uint
	for _, trigger := range []fleet.Trigger{fleet.TriggerSync, fleet.TriggerPush, fleet.TriggerWatch, fleet.TriggerInterval, fleet.TriggerDryRun} {
		run, err := store.StartRun(trigger, "scope")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, run.ID)
	}
	tests := []struct {
		limit int
		want  []uint
	}{
		{3, []uint{ids[4], ids[3], ids[2]}},
		{0, []uint{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{-1, []uint{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{10, []uint{ids[4], ids[3], ids[2], ids[1], ids[0]}},
	}
	for _, tt := range tests {
		runs, err := store.Runs(tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint
		for _, run := range runs {
			got = append(got, run.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Runs(%d) ids = %v; want %v", tt.limit, got, tt.want)
		}
	}
}

func TestStartAndFinishRun(t *testing.T) {
	store := openTemp(t)
	before := time.Now()
	run, err := store.StartRun(fleet.TriggerSyncComputer, "gpu-1; projects: a, b")
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != fleet.StatusRunning || run.StartedAt.Before(before.Add(-time.Second)) || run.EndedAt != nil {
		t.Errorf("started run = %+v", run)
	}

	if err := store.FinishRun(run.ID, fleet.StatusFailed, 1234, 5, "rsync exited with 23"); err != nil {
		t.Fatal(err)
	}

	got, err := store.RunDetail(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != fleet.StatusFailed || got.Bytes != 1234 || got.Files != 5 || got.Error != "rsync exited with 23" || got.EndedAt == nil {
		t.Errorf("finished run = %+v", got)
	}
	if got.Trigger != fleet.TriggerSyncComputer || got.Scope != "gpu-1; projects: a, b" || !got.StartedAt.Equal(run.StartedAt) {
		t.Errorf("start fields changed: %+v", got)
	}
}

func TestFinishRunRejectsStatusesOfUnfinishedRuns(t *testing.T) {
	store := openTemp(t)
	run, err := store.StartRun(fleet.TriggerSync, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []fleet.Status{fleet.StatusRunning, "", "done"} {
		if err := store.FinishRun(run.ID, status, 0, 0, ""); err == nil {
			t.Errorf("FinishRun(%q) succeeded", status)
		}
	}
}

func TestRunDetailListsTransfersInStartOrder(t *testing.T) {
	store := openTemp(t)
	run, err := store.StartRun(fleet.TriggerSync, "all")
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.StartRun(fleet.TriggerSync, "other")
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	transfers := []Transfer{
		{RunID: run.ID, From: "b", To: "c", StartedAt: base.Add(2 * time.Second)},
		{RunID: run.ID, From: "a", To: "b", StartedAt: base, Argv: "rsync -a --delete 'a/x y' b:", Folders: "data, models",
			ExitCode: 23, Bytes: 99, Files: 3, DurationMS: 1500, OutputTail: "some files vanished", Error: "partial transfer"},
		// A later offset that is earlier in UTC must still sort by the instant.
		{RunID: run.ID, From: "a", To: "c", StartedAt: base.Add(time.Second).In(time.FixedZone("X", -5*3600))},
		{RunID: other.ID, From: "x", To: "y", StartedAt: base},
	}
	for i := range transfers {
		if err := store.AddTransfer(&transfers[i]); err != nil {
			t.Fatal(err)
		}
	}

	got, err := store.RunDetail(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, tr := range got.Transfers {
		order = append(order, tr.From+">"+tr.To)
	}
	if strings.Join(order, " ") != "a>b a>c b>c" {
		t.Fatalf("transfers = %v; want a>b a>c b>c", order)
	}
	first := got.Transfers[0]
	want := transfers[1]
	if first.Argv != want.Argv || first.Folders != want.Folders || first.ExitCode != 23 || first.Bytes != 99 ||
		first.Files != 3 || first.DurationMS != 1500 || first.OutputTail != want.OutputTail || first.Error != want.Error {
		t.Errorf("transfer fields = %+v; want %+v", first, want)
	}

	runs, err := store.Runs(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if len(r.Transfers) != 0 {
			t.Errorf("Runs loaded transfers of run %d", r.ID)
		}
	}
}

func TestDeletingARunDeletesItsTransfers(t *testing.T) {
	store := openTemp(t)
	run, err := store.StartRun(fleet.TriggerSync, "all")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.AddTransfer(&Transfer{RunID: run.ID, From: "a", To: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := store.db.Delete(&Run{}, run.ID).Error; err != nil {
		t.Fatal(err)
	}
	var left int64
	if err := store.db.Model(&Transfer{}).Count(&left).Error; err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d transfers outlived their run; foreign keys are off", left)
	}
}

func TestMissingRunsAreNotFound(t *testing.T) {
	store := openTemp(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"FinishRun", func() error { return store.FinishRun(404, fleet.StatusOK, 0, 0, "") }},
		{"RunDetail", func() error { _, err := store.RunDetail(404); return err }},
		{"AddTransfer", func() error { return store.AddTransfer(&Transfer{RunID: 404, From: "a", To: "b"}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no run with id 404") {
				t.Errorf("err = %v; want ErrNotFound about run 404", err)
			}
		})
	}
}
