package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// chunkOf is the i-th chunk a slow writer appends: distinct bytes per chunk, so a copy
// put together from the wrong moments never passes for the whole file.
func chunkOf(i, size int) []byte {
	return bytes.Repeat([]byte{byte('a' + i%26), byte(i)}, size/2)
}

// slowWrite writes chunks chunks of size bytes into root/rel through one open file, a
// pause after each, as torch.save writing a big checkpoint does, and returns the sha256
// of the whole file and when the writer closed it.
func slowWrite(t *testing.T, root, rel string, chunks, size int, pause time.Duration) ([32]byte, time.Time) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.New()
	for i := range chunks {
		c := chunkOf(i, size)
		if _, err := f.Write(c); err != nil {
			t.Fatal(err)
		}
		sum.Write(c)
		time.Sleep(pause)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return [32]byte(sum.Sum(nil)), time.Now()
}

// poller looks at files on the destinations every few milliseconds until stopped, and
// records every state it sees that breaks a rule.
type poller struct {
	stop       chan struct{}
	done       sync.WaitGroup
	mu         sync.Mutex
	violations []string
	looks      int
}

func startPolling(check func() []string) *poller {
	p := &poller{stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		for {
			select {
			case <-p.stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			bad := check()
			p.mu.Lock()
			p.looks++
			if len(p.violations) < 20 {
				p.violations = append(p.violations, bad...)
			}
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *poller) end() ([]string, int) {
	close(p.stop)
	p.done.Wait()
	return p.violations, p.looks
}

// keptVersions lists the kept copies of rel (any run) on a root.
func keptVersions(t *testing.T, root, rel string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(root, ".filesync", "versions", "*", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

// TestWatch_ASlowCheckpointNeverArrivesTruncated: a 48 MB checkpoint written through one
// open file over about 6 s (longer than the watch's 5 s longest delay, each pause longer
// than its 100 ms quiet time) while the destinations are looked at every 5 ms: no
// destination ever holds it under its final name with less than all of it, it arrives
// whole soon after the writer closes it, and no truncated copy is kept as a version.
func TestWatch_ASlowCheckpointNeverArrivesTruncated(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--watch")
	w := h.startWatch()
	const rel = "models/proj/epoch-3.pt"
	const chunks, size = 24, 2 * mb
	write(t, h.root("here"), "models/proj/notes.txt", "started", time.Now()) // pushes run meanwhile
	poll := startPolling(func() []string {
		var bad []string
		for _, c := range []string{"c1", "c2"} {
			if info, err := os.Stat(filepath.Join(h.root(c), rel)); err == nil && info.Size() != chunks*size {
				bad = append(bad, fmt.Sprintf("%s held %s with %d of its %d bytes", c, rel, info.Size(), chunks*size))
			}
		}
		return bad
	})
	want, closed := slowWrite(t, h.root("here"), rel, chunks, size, 250*time.Millisecond)
	for _, c := range []string{"c1", "c2"} {
		waitForSum(t, filepath.Join(h.root(c), rel), want, 30*time.Second)
		t.Logf("%s held the whole checkpoint %s after the writer closed it", c, time.Since(closed).Round(10*time.Millisecond))
	}
	violations, looks := poll.end()
	if len(violations) > 0 {
		t.Fatalf("in %d looks at the destinations, a checkpoint still being written showed under its final name:\n%s\nwatch log:\n%s",
			looks, strings.Join(violations, "\n"), w.log())
	}
	for _, c := range []string{"c1", "c2"} {
		if kept := keptVersions(t, h.root(c), rel); len(kept) > 0 {
			t.Errorf("%s kept copies of the checkpoint as versions: %q", c, kept)
		}
	}
	t.Logf("watch log:\n%s", w.log())
	if !strings.Contains(w.log(), "holding back") {
		t.Errorf("the watch log never says it held the checkpoint back:\n%s", w.log())
	}
}

// waitForSum polls until path holds content with sum, or fails after limit.
func waitForSum(t *testing.T, path string, sum [32]byte, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if b, err := os.ReadFile(path); err == nil && sha256.Sum256(b) == sum {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never held the whole file within %s", path, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatch_ACheckpointFolderRenamedIntoPlaceArrivesWhole: a trainer writes a checkpoint
// folder of shards (big and small) under a temporary name (the Hugging Face Trainer's
// tmp-checkpoint-N, ignored by default) and renames it when done. While the destinations
// are looked at every 5 ms, the folder there holds none of its files or all of them,
// whole (but for the milliseconds of rsync's final renames, renameWindow); the temporary
// name never shows there.
func TestWatch_ACheckpointFolderRenamedIntoPlaceArrivesWhole(t *testing.T) {
	t.Parallel()
	checkpointFolderArrivesWhole(t, "models/proj/tmp-checkpoint-7", "models/proj/checkpoint-7")
}

// TestWatch_AFolderOfShardsWrittenInPlaceArrivesWhole: the same folder written under its
// final name, shard after shard (as torch.distributed.checkpoint's writers do), is held
// back as a whole while any shard is open or just written: none or all of it shows.
func TestWatch_AFolderOfShardsWrittenInPlaceArrivesWhole(t *testing.T) {
	t.Parallel()
	checkpointFolderArrivesWhole(t, "", "models/proj/step-9")
}

// checkpointFolderArrivesWhole writes a folder of big and small shards slowly, under temp
// then renamed to final (or under final when temp is ""), while watch runs, and checks
// the destinations never show part of it.
func checkpointFolderArrivesWhole(t *testing.T, temp, final string) {
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--watch")
	w := h.startWatch()
	shards := map[string]int{ // name → MB
		"model-00001-of-00003.safetensors": 20, "model-00002-of-00003.safetensors": 20, "model-00003-of-00003.safetensors": 3,
		"optimizer.pt": 24, "config.json": 0, "trainer_state.json": 0,
	}
	mixedSince := map[string]time.Time{}
	poll := startPolling(func() []string {
		var bad []string
		for _, c := range []string{"c1", "c2"} {
			if _, err := os.Stat(filepath.Join(h.root(c), temp)); temp != "" && err == nil {
				bad = append(bad, c+" holds the temporary folder "+temp)
			}
			mixed, wrong := partOfFolder(h.root(c), final, shards, c)
			bad = append(bad, wrong...)
			bad = append(bad, lasting(mixedSince, c, mixed)...)
		}
		return bad
	})
	writeTo := final
	if temp != "" {
		writeTo = temp
	}
	sums := map[string][32]byte{}
	for name, size := range shards {
		sum, _ := slowWrite(t, h.root("here"), writeTo+"/"+name, 4, max(size*mb/4, 64), 50*time.Millisecond)
		sums[name] = sum
	}
	if temp != "" {
		if err := os.Rename(filepath.Join(h.root("here"), temp), filepath.Join(h.root("here"), final)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"c1", "c2"} {
		for name, sum := range sums {
			waitForSum(t, filepath.Join(h.root(c), final, name), sum, 30*time.Second)
		}
	}
	violations, looks := poll.end()
	if len(violations) > 0 {
		t.Fatalf("in %d looks at the destinations, the checkpoint folder showed part of its files:\n%s\nwatch log:\n%s",
			looks, strings.Join(violations, "\n"), w.log())
	}
	t.Logf("%d looks at the destinations saw the folder absent or whole", looks)
}

// renameWindow is how long a folder may show part of its files: rsync's --delay-updates
// renames the files it updated one after another at the end of the transfer, so a look
// can fall between two renames, for the milliseconds they take — and not longer.
const renameWindow = 100 * time.Millisecond

// lasting reports computer's mixed state once it has lasted longer than renameWindow.
func lasting(since map[string]time.Time, computer, mixed string) []string {
	if mixed == "" {
		delete(since, computer)
		return nil
	}
	first, seen := since[computer]
	if !seen {
		since[computer] = time.Now()
		return nil
	}
	if d := time.Since(first); d > renameWindow {
		return []string{fmt.Sprintf("%s for %s", mixed, d.Round(time.Millisecond))}
	}
	return nil
}

// partOfFolder says when the folder on root holds some but not all of files (mixed), and
// lists those of them it holds with another size (sizes in MB; 0 for the small file
// slowWrite makes).
func partOfFolder(root, folder string, files map[string]int, computer string) (mixed string, wrong []string) {
	entries, err := os.ReadDir(filepath.Join(root, folder))
	if err != nil {
		return "", nil
	}
	var present []string
	for _, e := range entries {
		if _, ours := files[e.Name()]; ours {
			present = append(present, e.Name())
		}
	}
	if len(present) > 0 && len(present) < len(files) {
		mixed = fmt.Sprintf("%s held %d of the %d files of %s: %q", computer, len(present), len(files), folder, present)
	}
	return mixed, wrongSizes(root, folder, present, files, computer)
}

func wrongSizes(root, folder string, present []string, files map[string]int, computer string) []string {
	var bad []string
	for _, name := range present {
		info, err := os.Stat(filepath.Join(root, folder, name))
		want := int64(4 * max(files[name]*mb/4, 64))
		if err == nil && info.Size() != want {
			bad = append(bad, fmt.Sprintf("%s held %s/%s with %d of its %d bytes", computer, folder, name, info.Size(), want))
		}
	}
	return bad
}

// TestSync_AFileStillBeingWrittenIsLeftForTheNextSync: while a file on the ssh computer
// c1 grows by a chunk every 200 ms, and a file on this computer sits open for writing,
// Sync all sends neither and says so ("still being written on c1: …"); the others lack
// them, not hold a part. Once the writers are done, the next Sync all sends both whole.
func TestSync_AFileStillBeingWrittenIsLeftForTheNextSync(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	write(t, h.root("c2"), "data/proj/settled.txt", "written long ago", t0)
	growing, open := "models/proj/growing.pt", "models/proj/open.pt"
	writing := make(chan [32]byte)
	go func() {
		sum, _ := slowWrite(t, h.root("c1"), growing, 25, 256<<10, 200*time.Millisecond)
		writing <- sum
	}()
	held := holdOpen(t, filepath.Join(h.root("here"), filepath.FromSlash(open)), "the start of a checkpoint")
	time.Sleep(500 * time.Millisecond)

	r := h.ok("sync", "--json")
	var res struct {
		Summary      string                                     `json:"summary"`
		StillWriting []struct{ Computer, Project, Path string } `json:"still_writing"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, w := range res.StillWriting {
		got[w.Computer+":"+w.Path] = true
	}
	if !got["c1:"+growing] || !got["here:"+open] || len(got) != 2 {
		t.Errorf("still_writing = %+v, want c1:%s and here:%s", res.StillWriting, growing, open)
	}
	if !strings.Contains(res.Summary, "still being written") {
		t.Errorf("summary %q does not say files were still being written", res.Summary)
	}
	for _, c := range []string{"here", "c2"} {
		files := tree(t, h.root(c))
		assertHas(t, c, files, "data/proj/settled.txt", "written long ago")
		if c != "here" {
			assertLacks(t, c, files, open)
		}
	}
	for _, c := range []string{"here", "c2"} {
		assertLacks(t, c, tree(t, h.root(c)), growing)
	}

	sum := <-writing
	held.Close()
	h.ok("sync")
	for _, c := range []string{"here", "c2"} {
		waitForSum(t, filepath.Join(h.root(c), growing), sum, time.Second)
	}
	assertHas(t, "c2", tree(t, h.root("c2")), open, "the start of a checkpoint")
}

// holdOpen writes content to path and keeps the file open for writing until closed.
func holdOpen(t *testing.T, path, content string) *os.File {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
