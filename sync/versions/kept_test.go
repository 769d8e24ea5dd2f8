package versions

import (
	"slices"
	"testing"
	"time"

	"filesync/sync/listing"
)

func TestFromListing_ReadsRunFoldersAndTheirFiles(t *testing.T) {
	l := listing.Sorted(listing.Listing{
		{Path: ".filesync/versions", Kind: listing.Dir},
		{Path: ".filesync/versions/20261201-101112-run12", Kind: listing.Dir},
		{Path: ".filesync/versions/20261201-101112-run12/data", Kind: listing.Dir},
		{Path: ".filesync/versions/20261201-101112-run12/data/p/a b.txt", Kind: listing.File, Size: 5, MTime: 100},
		{Path: ".filesync/versions/20261130-000000-run3", Kind: listing.Dir},
		{Path: ".filesync/versions/stray/x", Kind: listing.File, Size: 1},
		{Path: "data/p/a b.txt", Kind: listing.File, Size: 7},
	})
	f := FromListing("lab", l)
	want := []Kept{{Computer: "lab", Run: "20261201-101112-run12", RunID: 12, Time: time.Date(2026, 12, 1, 10, 11, 12, 0, time.UTC),
		Path: "data/p/a b.txt", Size: 5, MTime: 100}}
	if !slices.Equal(f.Kept, want) {
		t.Errorf("kept %+v, want %+v", f.Kept, want)
	}
	if runs := []string{"20261130-000000-run3", "20261201-101112-run12"}; !slices.Equal(f.Runs, runs) {
		t.Errorf("runs %v, want %v", f.Runs, runs)
	}
	if loc := f.Kept[0].Location(); loc != ".filesync/versions/20261201-101112-run12/data/p/a b.txt" {
		t.Errorf("location %q", loc)
	}
}
