package index

import (
	"fmt"
	"runtime"
	"testing"

	"filesync/sync/listing"
)

// BenchmarkBuild compares 8 computers holding 100,000 files each, the last file differing
// on every computer, and reports the memory the index keeps per listed file.
func BenchmarkBuild(b *testing.B) {
	const computers, files = 8, 100_000
	members := make([]Member, computers)
	for m := range members {
		l := listing.Listing{{Path: "data/P", Kind: listing.Dir}}
		for i := range files {
			l = append(l, file(fmt.Sprintf("data/P/shards/shard-%06d.bin", i), 4096, int64(1_790_000_000+i+m*(i/(files-1)))))
		}
		members[m] = Member{Name: fmt.Sprintf("c%d", m), Listing: l}
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ix := Build(members, []Project{projectP})
	runtime.GC()
	runtime.ReadMemStats(&after)
	kept := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	b.ReportAllocs()
	for b.Loop() {
		Build(members, []Project{projectP})
	}
	b.ReportMetric(kept/float64(computers*files), "index-bytes/file")
	if c, _ := ix.Cell("c0", "P"); c.Receive.Files != 1 {
		b.Fatalf("c0 receives %d files, want the one that differs", c.Receive.Files)
	}
}
