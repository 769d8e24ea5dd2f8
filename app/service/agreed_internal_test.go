package service

import (
	"slices"
	"testing"

	"filesync/sync/index"
	"filesync/sync/listing"
)

func TestApplied_IsTheListingAsThePlanLeavesIt(t *testing.T) {
	l := listing.Listing{
		{Path: "data/p", Kind: listing.Dir},
		{Path: "data/p/a", Kind: listing.File, Size: 1, MTime: 1},
		{Path: "data/p/gone", Kind: listing.File, Size: 1, MTime: 1},
		{Path: "data/p/shards", Kind: listing.Dir},
		{Path: "data/p/shards/0", Kind: listing.File, Size: 1, MTime: 1},
		{Path: "data/p/z", Kind: listing.File, Size: 1, MTime: 1},
	}
	changes := []index.Change{
		{Project: "p", Path: "data/p/a", Size: 5, MTime: 9},
		{Project: "p", Path: "data/p/b", Size: 2, MTime: 3, Link: true},
		{Project: "p", Path: "data/p/gone", Delete: true},
		{Project: "p", Path: "data/p/shards", Delete: true, Folder: true, Files: 1},
	}
	got := applied(l, changes)
	want := listing.Listing{
		{Path: "data/p", Kind: listing.Dir},
		{Path: "data/p/a", Kind: listing.File, Size: 5, MTime: 9},
		{Path: "data/p/b", Kind: listing.Link, Size: 2, MTime: 3},
		{Path: "data/p/z", Kind: listing.File, Size: 1, MTime: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("applied\n got %+v\nwant %+v", got, want)
	}
}
