package listing

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// encodingVersion leads every encoded listing, so that a later format can tell old ones.
const encodingVersion = 1

// Encode packs a sorted listing compactly: each path as the length it shares with the
// previous one and the rest, then kind, size and mtime (delta to the previous one) as
// varints, the whole compressed with DEFLATE. Sorted paths share long prefixes
// ("data/P/shards/shard-00017.bin"), so a file takes a few bytes.
func Encode(l Listing) ([]byte, error) {
	var raw bytes.Buffer
	raw.WriteByte(encodingVersion)
	var buf [binary.MaxVarintLen64]byte
	putU := func(v uint64) { raw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	putS := func(v int64) { raw.Write(buf[:binary.PutVarint(buf[:], v)]) }
	putU(uint64(len(l)))
	prev, prevTime := "", int64(0)
	for _, e := range l {
		shared := commonPrefix(prev, e.Path)
		putU(uint64(shared))
		putU(uint64(len(e.Path) - shared))
		raw.WriteString(e.Path[shared:])
		raw.WriteByte(byte(e.Kind))
		putU(uint64(e.Size))
		putS(e.MTime - prevTime)
		prev, prevTime = e.Path, e.MTime
	}
	var packed bytes.Buffer
	w, err := flate.NewWriter(&packed, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return packed.Bytes(), nil
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// ErrCorrupt is returned for bytes that Encode did not write.
var ErrCorrupt = errors.New("stored listing is corrupt")

// Decode unpacks what Encode wrote.
func Decode(b []byte) (Listing, error) {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	r := bytes.NewReader(raw)
	if v, err := r.ReadByte(); err != nil || v != encodingVersion {
		return nil, fmt.Errorf("%w: unknown format", ErrCorrupt)
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(raw)) {
		return nil, ErrCorrupt
	}
	l := make(Listing, 0, n)
	prev, prevTime := "", int64(0)
	for range n {
		e, err := decodeEntry(r, prev, prevTime)
		if err != nil {
			return nil, err
		}
		l = append(l, e)
		prev, prevTime = e.Path, e.MTime
	}
	return l, nil
}

func decodeEntry(r *bytes.Reader, prev string, prevTime int64) (Entry, error) {
	shared, err1 := binary.ReadUvarint(r)
	rest, err2 := binary.ReadUvarint(r)
	if err := errors.Join(err1, err2); err != nil || shared > uint64(len(prev)) || rest > uint64(r.Len()) {
		return Entry{}, ErrCorrupt
	}
	suffix := make([]byte, rest)
	if _, err := io.ReadFull(r, suffix); err != nil {
		return Entry{}, ErrCorrupt
	}
	kind, err1 := r.ReadByte()
	size, err2 := binary.ReadUvarint(r)
	delta, err3 := binary.ReadVarint(r)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Entry{}, ErrCorrupt
	}
	return Entry{Path: prev[:shared] + string(suffix), Kind: Kind(kind), Size: int64(size), MTime: prevTime + delta}, nil
}
