package listing

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func shardListing(n int) Listing {
	l := Listing{{Path: "data/P", Kind: Dir, Size: 4096, MTime: 1_790_000_000}}
	for i := range n {
		l = append(l, Entry{Path: fmt.Sprintf("data/P/shards/shard-%06d.bin", i), Kind: File, Size: int64(4096 + i%977), MTime: 1_790_000_000 + int64(i)})
	}
	return l
}

func TestEncode_RoundTrips(t *testing.T) {
	for _, l := range []Listing{
		{},
		{{Path: "a", Kind: File, Size: 0, MTime: 0}},
		{{Path: "data/P/a", Kind: File, Size: 1, MTime: 1_800_000_000}, {Path: "data/P/ab", Kind: Link, Size: 3, MTime: 5}, {Path: "data/P/b\nc", Kind: File, Size: 1 << 40, MTime: -5}},
		shardListing(1000),
	} {
		b, err := Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil || !reflect.DeepEqual(got, l) && len(l) > 0 {
			t.Errorf("Decode(Encode(%d entries)) = %d entries, %v", len(l), len(got), err)
		}
	}
}

// TestEncode_TakesAFewBytesAFile: 100,000 files × 8 computers must not bloat the database.
func TestEncode_TakesAFewBytesAFile(t *testing.T) {
	l := shardListing(100_000)
	b, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	if perFile := float64(len(b)) / float64(len(l)); perFile > 8 {
		t.Errorf("%.1f bytes a file (%d bytes for %d files), want at most 8", perFile, len(b), len(l))
	}
}

func TestDecode_RefusesCorruptBytes(t *testing.T) {
	good, _ := Encode(shardListing(10))
	for name, b := range map[string][]byte{"empty": {}, "garbage": []byte("not a listing"), "truncated": good[:len(good)/2]} {
		if _, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: error %v, want ErrCorrupt", name, err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	l := shardListing(100_000)
	b.ReportAllocs()
	for b.Loop() {
		out, err := Encode(l)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(out))/float64(len(l)), "bytes/file")
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := Encode(shardListing(3))
	f.Add(good)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := Decode(again); err != nil || len(back) != len(l) {
			t.Errorf("a decoded listing of %d entries does not round-trip: %d, %v", len(l), len(back), err)
		}
	})
}
