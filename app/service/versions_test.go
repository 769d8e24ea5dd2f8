package service_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"filesync/app/service"
	"filesync/app/service/servicetest"
	"filesync/data"
	"filesync/sync/fleet"
	"filesync/sync/testfiles"
)

// versionsFleet is two local computers with copies kept by two runs: run 1 (a sync whose
// conflict nas lost on data/proj/c.txt) and run 2.
func versionsFleet(t *testing.T) (*servicetest.Fixture, uint, uint) {
	t.Helper()
	f := servicetest.New(t)
	here, nas := f.AddLocal(t, "here"), f.AddLocal(t, "nas")
	f.AddProject(t, "proj")
	other := data.NewProject("other")
	if err := f.Store.AddProject(&other); err != nil {
		t.Fatal(err)
	}
	r1, err := f.Store.StartRun(fleet.TriggerSync, "all")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.Store.StartRun(fleet.TriggerSync, "all")
	if err != nil {
		t.Fatal(err)
	}
	err = f.Store.AddConflictsAndHalts(r1.ID, []data.RunConflict{{Project: "proj", Path: "data/proj/c.txt", Winner: "here",
		Losers: []data.ConflictLoser{{Computer: "nas"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func(id uint) string { return fmt.Sprintf("20261201-10000%d-run%d", id, id) }
	for _, p := range []string{
		nas + "/.filesync/versions/" + run(r1.ID) + "/data/proj/c.txt",  // lost the conflict
		nas + "/.filesync/versions/" + run(r2.ID) + "/data/proj/c.txt",  // overwritten since
		here + "/.filesync/versions/" + run(r1.ID) + "/data/proj/c.txt", // here won: overwritten
		nas + "/.filesync/versions/" + run(r2.ID) + "/data/proj/gone.txt",
		nas + "/.filesync/versions/" + run(r2.ID) + "/data/other/o.txt",
		nas + "/data/proj/c.txt", here + "/data/proj/c.txt", here + "/data/proj/gone.txt",
	} {
		testfiles.Write(t, p, filepath.Base(p))
	}
	return f, r1.ID, r2.ID
}

func TestVersions_SaysWhyEachCopyWasKeptAndFilters(t *testing.T) {
	f, r1, r2 := versionsFleet(t)
	all := []string{
		fmt.Sprintf("here data/proj/c.txt %d overwritten", r1),
		fmt.Sprintf("nas data/proj/c.txt %d conflict", r1),
		fmt.Sprintf("nas data/proj/c.txt %d overwritten", r2),
		fmt.Sprintf("nas data/proj/gone.txt %d deleted", r2),
		fmt.Sprintf("nas data/other/o.txt %d deleted", r2),
	}
	tests := []struct {
		name string
		q    service.VersionQuery
		want []string
	}{
		{"everything", service.VersionQuery{}, all},
		{"one computer", service.VersionQuery{Computer: "HERE"}, all[:1]},
		{"one project", service.VersionQuery{Project: "other"}, all[4:]},
		{"one path, typed loosely", service.VersionQuery{Path: "./data/proj/c.txt/"}, all[:3]},
		{"a folder", service.VersionQuery{Path: "data/proj"}, all[:4]},
		{"one run", service.VersionQuery{Run: r1}, all[:2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := f.Service.Versions(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range list.Versions {
				got = append(got, fmt.Sprintf("%s %s %d %s", v.Computer, v.Path, v.RunID, v.Why))
			}
			want := slices.Clone(tt.want)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("listed %v, want %v", got, want)
			}
		})
	}
}

func TestVersions_SpaceIsPerComputerWhateverTheFilter(t *testing.T) {
	f, _, _ := versionsFleet(t)
	list, err := f.Service.Versions(context.Background(), service.VersionQuery{Path: "data/proj/gone.txt"})
	if err != nil {
		t.Fatal(err)
	}
	want := []service.VersionSpace{{Computer: "here", Files: 1, Bytes: int64(len("c.txt"))},
		{Computer: "nas", Files: 4, Bytes: int64(len("c.txt")*2 + len("gone.txt") + len("o.txt"))}}
	if !slices.Equal(list.Space, want) {
		t.Errorf("space %+v, want %+v", list.Space, want)
	}
}

func TestRestoreVersion_BadInputChangesNothing(t *testing.T) {
	f, r1, _ := versionsFleet(t)
	tests := []struct {
		name string
		req  service.RestoreRequest
	}{
		{"unknown computer", service.RestoreRequest{Computer: "nowhere", Run: r1, Path: "data/proj/c.txt"}},
		{"no such run", service.RestoreRequest{Computer: "nas", Run: 99, Path: "data/proj/c.txt"}},
		{"no such path", service.RestoreRequest{Computer: "nas", Run: r1, Path: "data/proj/none.txt"}},
		{"outside every project", service.RestoreRequest{Computer: "nas", Run: r1, Path: "elsewhere/c.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := f.Store.Runs(0)
			_, err := f.Service.RestoreVersion(context.Background(), tt.req)
			var se *service.Error
			if !errors.As(err, &se) || se.Kind != service.KindBadInput {
				t.Fatalf("error %v, want bad input", err)
			}
			if after, _ := f.Store.Runs(0); len(after) != len(before) {
				t.Errorf("a run was recorded: %d runs, were %d", len(after), len(before))
			}
		})
	}
	c, _ := f.Store.Computer("nas")
	if b, _ := os.ReadFile(filepath.Join(c.Root, "data/proj/c.txt")); string(b) != "c.txt" {
		t.Errorf("nas's file holds %q", b)
	}
}
