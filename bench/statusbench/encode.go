package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/listing"
	"filesync/sync/transfer"
)

// encoding is what listing.Encode makes of one project's listing: what the service
// stores per computer and project after a complete sync.
type encoding struct {
	project    string
	entries    int // paths listed: files, folders, links
	files      int
	bytes      int // encoded
	listTook   time.Duration
	encodeTook time.Duration
}

// measureEncoding lists each project's folders under root as a local computer, with
// listing.List (one local rsync --list-only, as status runs it), and encodes the listing.
func (b *bench) measureEncoding(root string) ([]encoding, error) {
	local := fleet.Computer{Name: "here", Local: true, Enabled: true, Root: root}
	var out []encoding
	for i := range b.o.projects {
		p := projectName(i)
		res, err := folders.Resolve(p, nil, nil)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		l, err := listing.List(context.Background(), local, res.Folders, transfer.Env{}, listing.Timeouts{IO: time.Minute}, nil)
		if err != nil {
			return nil, err
		}
		e := encoding{project: p, entries: len(l), listTook: time.Since(start)}
		for _, entry := range l {
			if entry.Kind == listing.File {
				e.files++
			}
		}
		start = time.Now()
		packed, err := listing.Encode(l)
		if err != nil {
			return nil, err
		}
		e.encodeTook = time.Since(start)
		e.bytes = len(packed)
		back, err := listing.Decode(packed)
		if err != nil {
			return nil, fmt.Errorf("decode %s's listing: %w", p, err)
		}
		if !slices.Equal(back, l) {
			return nil, fmt.Errorf("%s's listing does not decode to itself", p)
		}
		if want := b.o.files + b.o.large; e.files != want {
			return nil, fmt.Errorf("%s: listed %d files, want %d", p, e.files, want)
		}
		out = append(out, e)
	}
	return out, nil
}
