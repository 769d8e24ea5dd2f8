package e2e

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// literalData matches rsync's count of the bytes it sent as file data (not matched from a
// basis file at the destination).
var literalData = regexp.MustCompile(`Literal data: ([\d,]+) bytes`)

// TestSync_ARenamedFileIsNotSentAgain: a checkpoint renamed in its folder on one computer
// (as a user renames best.pt to a final name, here to one that sorts after the old)
// reaches the other computers under its new name, starting from their copy of the old
// one: the data does not cross the link again, and the old name goes into versions.
func TestSync_ARenamedFileIsNotSentAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	data := make([]byte, 4<<20)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	write(t, h.root("here"), "models/proj/a-best.pt", string(data), t0)
	h.ok("sync")
	if err := os.Rename(filepath.Join(h.root("here"), "models/proj/a-best.pt"), filepath.Join(h.root("here"), "models/proj/z-model.pt")); err != nil {
		t.Fatal(err)
	}
	r := h.ok("sync", "-v")
	var literal int64
	for _, m := range literalData.FindAllStringSubmatch(r.stderr, -1) {
		n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		literal += n
	}
	for _, c := range []string{"c1", "c2"} {
		files := tree(t, h.root(c))
		assertHas(t, c, files, "models/proj/z-model.pt", string(data))
		assertLacks(t, c, files, "models/proj/a-best.pt")
	}
	if literal > int64(len(data))/4 {
		t.Errorf("the rename sent %d bytes of file data to two computers, want far less than the file's %d", literal, len(data))
	}
	t.Logf("a 4 MiB rename sent %d bytes of file data to 2 computers", literal)
}

// TestSync_ARenameRightAfterASyncComputerLeavesOneName: c2 receives here's edit in a Sync
// computer, then renames the file; the next Sync all must not bring the old name back,
// since c2 deleted the very copy here holds (a helper's reproduction, a bug once).
func TestSync_ARenameRightAfterASyncComputerLeavesOneName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	for i := range 4 {
		write(t, h.root("here"), "models/proj/other"+strconv.Itoa(i), "stays", t0)
	}
	write(t, h.root("here"), "models/proj/w.bin", "v1", t0)
	h.ok("sync")
	write(t, h.root("here"), "models/proj/w.bin", "v2, edited here", t0.Add(time.Hour))
	h.ok("sync", "--computer", "c2")
	if err := os.Rename(filepath.Join(h.root("c2"), "models/proj/w.bin"), filepath.Join(h.root("c2"), "models/proj/w-v2.bin")); err != nil {
		t.Fatal(err)
	}
	h.ok("sync")
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "models/proj/w-v2.bin", "v2, edited here")
		assertLacks(t, n, files, "models/proj/w.bin")
	}
}
