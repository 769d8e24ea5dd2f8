package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Helpers of the fault and security tests: big files, file listings with sizes, the
// detailed --json result and the history, and /proc lookups.

// bigFile writes size bytes of incompressible, seeded data to root/rel with mtime and
// returns their SHA-256.
func bigFile(t *testing.T, root, rel string, size int64, mtime time.Time) string {
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
	rng := rand.NewChaCha8([32]byte{byte(size), byte(size >> 8), byte(size >> 16)})
	if _, err := io.CopyN(io.MultiWriter(f, sum), rng, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// hashFile is the SHA-256 of a file, "" when it does not exist.
func hashFile(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// fileInfo is what a listing knows about a file.
type fileInfo struct {
	size  int64
	mtime time.Time
}

// listing is every regular file under root, FileSync's own folders included, with size
// and mtime; unlike tree it reads no content, so it suits big files.
func listing(t *testing.T, root string) map[string]fileInfo {
	t.Helper()
	files := map[string]fileInfo{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // vanished while listed: a temporary file
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = fileInfo{info.Size(), info.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// guardFinalName watches path until stop is called and reports every moment it existed
// with a size other than want: a truncated file under its final name.
func guardFinalName(t *testing.T, path string, want int64) (stop func()) {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var bad []string
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if fi, err := os.Stat(path); err == nil && fi.Size() != want {
				bad = append(bad, strconv.FormatInt(fi.Size(), 10))
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		if len(bad) > 0 {
			t.Errorf("%s existed under its final name with %s bytes, want absent or %d bytes", path, strings.Join(bad[:min(len(bad), 5)], ", "), want)
		}
	}
}

// waitFor polls cond every 20 ms for at most d and reports whether it became true.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tempFileOf finds rsync's temporary file for rel (".name.XXXXXX" beside it) and its size.
func tempFileOf(root, rel string) (string, int64) {
	p := filepath.Join(root, filepath.FromSlash(rel))
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil {
			return m, fi.Size()
		}
	}
	return "", 0
}

// detailedResult is the --json result of sync and push with every field the fault tests
// look at.
type detailedResult struct {
	RunID     uint   `json:"run_id"`
	Status    string `json:"status"`
	Summary   string `json:"summary"`
	Computers []struct {
		Name, Status, Reason string
	} `json:"computers"`
	Transfers []struct {
		From, To   string
		Folders    []string
		Command    string
		ExitCode   int `json:"exit_code"`
		Error      string
		Tries      int
		DurationMS int64 `json:"duration_ms"`
	} `json:"transfers"`
}

// runJSON runs a sync-like command with --json and decodes the detailed result.
func (h *harness) runJSON(args ...string) (detailedResult, result) {
	h.t.Helper()
	r := h.cli(append(args, "--json")...)
	var res detailedResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		h.t.Fatalf("filesync %q: exit %d, stdout is not JSON (%v):\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return res, r
}

func (res detailedResult) computer(name string) (status, reason string) {
	for _, c := range res.Computers {
		if c.Name == name {
			return c.Status, c.Reason
		}
	}
	return "", ""
}

// storedRun is a run as history --json prints it.
type storedRun struct {
	ID        uint
	Trigger   string
	Status    string
	Error     string
	Transfers []struct {
		From, To   string
		ExitCode   int
		Error      string
		OutputTail string
		Argv       string
	}
}

// history is every recorded run, newest first.
func (h *harness) history() []storedRun {
	h.t.Helper()
	r := h.ok("history", "--json", "--limit", "100000")
	var runs []storedRun
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil {
		h.t.Fatalf("history --json is not a JSON list (%v):\n%s", err, r.stdout)
	}
	return runs
}

// runDetail is one run with its transfers.
func (h *harness) runDetail(id uint) storedRun {
	h.t.Helper()
	r := h.ok("history", strconv.FormatUint(uint64(id), 10), "--json")
	var run storedRun
	if err := json.Unmarshal([]byte(r.stdout), &run); err != nil {
		h.t.Fatalf("history %d --json is not JSON (%v):\n%s", id, err, r.stdout)
	}
	return run
}

// withoutEnv returns env without the variables named.
func withoutEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// cmdline is the argv of pid, nil when it is gone.
func cmdline(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// processesMatching lists the live processes named comm whose argv contains every one
// of parts.
func processesMatching(comm string, parts ...string) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || procComm(pid) != comm || !procAlive(pid) {
			continue
		}
		joined := strings.Join(cmdline(pid), "\x00")
		ok := joined != ""
		for _, p := range parts {
			ok = ok && strings.Contains(joined, p)
		}
		if ok {
			out = append(out, pid)
		}
	}
	return out
}

func procComm(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// procAlive reports whether pid exists and is not a zombie.
func procAlive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// procPgid is the process group of pid (0 when it is gone).
func procPgid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(f[2])
	return n
}

// killAll sends SIGCONT then SIGKILL to pids, for processes a test stopped.
func killAll(pids []int) {
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGCONT)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// bgCLI is a filesync command running in the background.
type bgCLI struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed once it has exited
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
}

type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// startCLI starts the filesync binary without waiting for it.
func (h *harness) startCLI(args ...string) *bgCLI {
	h.t.Helper()
	b := &bgCLI{cmd: exec.Command(binary, args...), done: make(chan struct{})}
	b.cmd.Env = h.env
	b.cmd.Stdout = lockedWriter{&b.mu, &b.stdout}
	b.cmd.Stderr = lockedWriter{&b.mu, &b.stderr}
	if err := b.cmd.Start(); err != nil {
		h.t.Fatalf("start filesync %q: %v", args, err)
	}
	go func() { _ = b.cmd.Wait(); close(b.done) }()
	h.t.Cleanup(func() {
		_ = b.cmd.Process.Kill()
		<-b.done
	})
	return b
}

// output is what it printed so far.
func (b *bgCLI) output() (stdout, stderr string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stdout.String(), b.stderr.String()
}

// waitStderr waits at most d until stderr holds s.
func (b *bgCLI) waitStderr(s string, d time.Duration) bool {
	return waitFor(d, func() bool {
		_, e := b.output()
		return strings.Contains(e, s)
	})
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// writeBG writes size random bytes to root/rel from any goroutine; errors are ignored
// (the test then simply has less to sync).
func writeBG(root, rel string, size int64) {
	p := filepath.Join(root, filepath.FromSlash(rel))
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	f, err := os.Create(p)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.CopyN(f, rand.NewChaCha8([32]byte{byte(len(rel)), byte(size)}), size)
}

// writer is one rsync client process writing into a destination root folder.
type writer struct {
	pid, pgid int
	dest      string
	folders   []string
	argv      string
}

// parseWriter reads pid as an rsync client (not a --server end) whose destination is one
// of roots; ok is false for anything else.
func parseWriter(pid int, roots map[string]bool) (w writer, ok bool) {
	argv := cmdline(pid)
	if len(argv) < 4 || slices.Contains(argv, "--server") || slices.Contains(argv, "--dry-run") {
		return w, false
	}
	sep := slices.Index(argv, "--")
	if sep < 0 || sep >= len(argv)-2 {
		return w, false
	}
	dest := argv[len(argv)-1]
	if !strings.HasPrefix(dest, "/") {
		_, dest, _ = strings.Cut(dest, ":")
	}
	dest = filepath.Clean(dest)
	if !roots[dest] {
		return w, false
	}
	w = writer{pid: pid, pgid: procPgid(pid), dest: dest, argv: strings.Join(argv, " ")}
	for _, src := range argv[sep+1 : len(argv)-1] {
		if _, f, found := strings.Cut(src, "/./"); found {
			w.folders = append(w.folders, f)
		}
	}
	return w, w.pgid != 0
}

// watchWriters samples /proc every 50 ms for rsync clients writing into roots, until the
// returned function is called; it then reports every time two transfers (two process
// groups) were seen writing into the same folder of the same root at once, and how many
// writer processes it saw in all. A pair seen in one pass of /proc is confirmed by checking that both
// still run afterwards, so a transfer that ended while the pass went on does not count.
func watchWriters(t *testing.T, roots []string) func() (overlaps []string, seen int) {
	t.Helper()
	rootSet := map[string]bool{}
	for _, r := range roots {
		rootSet[filepath.Clean(r)] = true
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	var overlaps []string
	seen := 0
	go func() {
		defer close(finished)
		for {
			var ws []writer
			for _, pid := range processesMatching("rsync") {
				if w, ok := parseWriter(pid, rootSet); ok {
					ws = append(ws, w)
					seen++
				}
			}
			for i, a := range ws {
				for _, b := range ws[i+1:] {
					if a.pgid == b.pgid || a.dest != b.dest || !shareFolder(a.folders, b.folders) {
						continue
					}
					if stillRuns(a) && stillRuns(b) {
						overlaps = append(overlaps, fmt.Sprintf("pid %d: %s\npid %d: %s", a.pid, a.argv, b.pid, b.argv))
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() ([]string, int) {
		close(done)
		<-finished
		return overlaps, seen
	}
}

func stillRuns(w writer) bool {
	return procAlive(w.pid) && strings.Join(cmdline(w.pid), " ") == w.argv
}

// shareFolder reports whether a folder of a equals or contains one of b, or the reverse.
func shareFolder(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || strings.HasPrefix(x, y+"/") || strings.HasPrefix(y, x+"/") {
				return true
			}
		}
	}
	return false
}

// mountTmpfs mounts a tmpfs of size (mount's "20m") on dir, creating dir, until the test
// ends. Mounting needs root: without it the test fails as a setup error.
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("setup: this test mounts a %s tmpfs as a small disk and must run as root (make test as root, or sudo go test ./app/e2e/)", size)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("setup: mount a %s tmpfs on %s: %v\n%s", size, dir, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", dir, err, out)
		}
	})
}

// diskUsed is the bytes in use on the file system holding dir.
func diskUsed(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Blocks-st.Bfree) * int64(st.Bsize)
}

// filesUnder lists, sorted, everything but folders under dir (hidden and temporary
// files included), relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}
