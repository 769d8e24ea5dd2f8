package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filesync/sync/testfleet"
)

// The fault tests: what FileSync does when the world breaks under a transfer.

const mb = 1 << 20

// matchedData reads rsync's "Matched data: N bytes" statistic: the bytes it did not have
// to send because the receiver already held them (a resumed partial file).
var matchedData = regexp.MustCompile(`Matched data: ([\d,]+) bytes`)

// TestFault_ConnectionKilledMidTransfer: the ssh connection carrying a 100 MB file dies
// half way. The engine retries (ssh 255 / rsync 12 are transient), the retry resumes from
// the partial file, the destination never holds a truncated file under the final name and
// the source is untouched.
func TestFault_ConnectionKilledMidTransfer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c1", "--bwlimit", "20000") // ~20 MB/s: 5 s for the file
	const size = 100 * mb
	const rel = "data/proj/big.bin"
	want := bigFile(t, h.root("here"), rel, size, t0)
	srcBefore := listing(t, h.root("here"))
	c1 := h.computer("c1")
	final := filepath.Join(c1.Root, rel)
	stopGuard := guardFinalName(t, final, size)

	push := h.startCLI("push", "--project", "proj", "--from", "here", "--json")
	if !waitFor(30*time.Second, func() bool { _, n := tempFileOf(c1.Root, rel); return n > 20*mb }) {
		_, stderr := push.output()
		t.Fatalf("the transfer to c1 never got 20 MB into its temporary file\nstderr:\n%s", stderr)
	}
	killed := c1.KillSessions(t)
	t.Logf("killed %d sshd session processes of c1 mid-transfer", killed)
	select {
	case <-push.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("push did not end within 60 s of the connection dying")
	}
	stopGuard()
	stdout, stderr := push.output()
	res := decodeResult(t, stdout, stderr)

	// Retried and recovered, or failed naming c1: never silently "ok" with a bad file.
	switch {
	case res.Status == "ok":
		if len(res.Transfers) != 1 || res.Transfers[0].Tries < 2 {
			t.Errorf("the push succeeded without a retry after its connection was killed: %+v", res.Transfers)
		}
		if !strings.Contains(stderr, "retrying") {
			t.Errorf("the log does not say the transfer was retried:\n%s", stderr)
		}
	case res.Status == "failed":
		if status, reason := res.computer("c1"); status != "failed" || !strings.Contains(reason, "c1") {
			t.Errorf("c1: status %q reason %q; want failed, naming c1", status, reason)
		}
	default:
		t.Errorf("push status %q (%s), want ok after a retry or failed naming c1", res.Status, res.Summary)
	}
	if got := hashFile(t, final); got != "" && got != want {
		t.Errorf("c1 holds %s with the wrong content (sha256 %s, want %s)", rel, got, want)
	}
	assertSameListing(t, "here (the source)", srcBefore, listing(t, h.root("here")))
	if got := hashFile(t, filepath.Join(h.root("here"), rel)); got != want {
		t.Errorf("the source file changed: sha256 %s, want %s", got, want)
	}

	// What the interrupted try left behind is resumed, not sent again.
	if res.Status == "ok" && len(res.Transfers) == 1 {
		detail := h.runDetail(res.RunID)
		if len(detail.Transfers) == 1 {
			m := matchedData.FindStringSubmatch(detail.Transfers[0].OutputTail)
			if m == nil || m[1] == "0" {
				t.Errorf("the retry did not resume from %s (rsync matched %v bytes); output tail:\n%s", ".filesync-partial", m, detail.Transfers[0].OutputTail)
			}
		}
	}

	// A following sync completes and leaves the same file everywhere.
	res2, r := h.runJSON("sync")
	if r.code != 0 || res2.Status != "ok" {
		t.Fatalf("the sync after the killed connection: exit %d, %s\n%s", r.code, res2.Summary, r.stderr)
	}
	if got := hashFile(t, final); got != want {
		t.Errorf("after the next sync c1's %s has sha256 %q, want %s", rel, got, want)
	}
	if leftover := listing(t, filepath.Join(c1.Root, "data", "proj", ".filesync-partial")); len(leftover) != 0 {
		t.Errorf("partial files left after the file completed: %v", leftover)
	}
}

// freezeOnData stops (SIGSTOP) every rsync c's sshd runs each time a new temporary file of
// name in dir grows past 1 MB, i.e. once data flows in each try. The returned function
// ends the watch and returns the frozen pids; they are killed when the test ends, before
// the fleet stops (a stopped process ignores SIGTERM).
func freezeOnData(t *testing.T, c *testfleet.Computer, dir, name string) (stop func() []int) {
	t.Helper()
	var frozen []int
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		handled := map[string]bool{}
		for {
			matches, _ := filepath.Glob(filepath.Join(dir, "."+name+".*"))
			for _, m := range matches {
				if fi, err := os.Stat(m); err == nil && !handled[m] && fi.Size() > mb {
					handled[m] = true
					for _, pid := range c.Processes("rsync") {
						if syscall.Kill(pid, syscall.SIGSTOP) == nil {
							frozen = append(frozen, pid)
						}
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	var once sync.Once
	stop = func() []int {
		once.Do(func() { close(done); <-stopped })
		return frozen
	}
	t.Cleanup(func() { killAll(stop()) })
	return stop
}

// decodeResult decodes a --json result printed by a background command.
func decodeResult(t *testing.T, stdout, stderr string) detailedResult {
	t.Helper()
	var res detailedResult
	if err := jsonUnmarshal(stdout, &res); err != nil {
		t.Fatalf("stdout is not a JSON result (%v):\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	return res
}

// assertSameListing wants the same files with the same sizes and mtimes.
func assertSameListing(t *testing.T, what string, before, after map[string]fileInfo) {
	t.Helper()
	for rel, b := range before {
		a, ok := after[rel]
		switch {
		case !ok:
			t.Errorf("%s lost %s", what, rel)
		case a.size != b.size || !a.mtime.Equal(b.mtime):
			t.Errorf("%s: %s changed from %d bytes %s to %d bytes %s", what, rel, b.size, b.mtime, a.size, a.mtime)
		}
	}
	for rel := range after {
		if _, ok := before[rel]; !ok {
			t.Errorf("%s gained %s", what, rel)
		}
	}
}

// TestFault_StalledLinkTimesOut: the rsync serving c1 freezes (SIGSTOP) mid-transfer,
// every try. With --timeout 5 each try fails after about 5 s without data (rsync exit 30,
// retried), the run reports c1 failed with the reason, and c2 gets the file meanwhile.
func TestFault_StalledLinkTimesOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c1", "--bwlimit", "5000")
	const size = 30 * mb
	const rel = "data/proj/big.bin"
	want := bigFile(t, h.root("here"), rel, size, t0)
	c1 := h.computer("c1")
	stopGuard := guardFinalName(t, filepath.Join(c1.Root, rel), size)

	// Freeze c1's rsync as soon as data flows in each try.
	stopFreezing := freezeOnData(t, c1, filepath.Join(c1.Root, "data", "proj"), "big.bin")

	const timeout = 5 * time.Second
	start := time.Now()
	res, r := h.runJSON("push", "--project", "proj", "--from", "here", "--timeout", strconv.Itoa(int(timeout/time.Second)))
	took := time.Since(start)
	frozen := stopFreezing()
	stopGuard()
	t.Logf("push with c1 frozen took %s", took.Round(100*time.Millisecond))

	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("push with a frozen c1: exit %d, status %q (%s); want exit 1, failed\nstderr:\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	status, reason := res.computer("c1")
	if status != "failed" || !strings.Contains(reason, "c1") || !strings.Contains(reason, "timeout") {
		t.Errorf("c1: status %q reason %q; want failed, naming c1 and the timeout", status, reason)
	}
	if status, reason := res.computer("c2"); status != "ok" {
		t.Errorf("c2: status %q (%s), want ok: one stalled computer must not hold up the others", status, reason)
	}
	for _, tr := range res.Transfers {
		if !strings.Contains(tr.Command, "--timeout=5") {
			t.Errorf("%s → %s does not run with --timeout=5: %s", tr.From, tr.To, tr.Command)
		}
		if tr.To != "c1" {
			continue
		}
		if tr.ExitCode != 30 || tr.Tries != 3 {
			t.Errorf("here → c1: exit %d after %d tries, want rsync's timeout (30) after 3 tries", tr.ExitCode, tr.Tries)
		}
		// 3 tries of ~timeout each (plus the time to fill the pipes), 1 s + 2 s of backoff;
		// with the default 60 s timeout one try alone would take longer than this.
		if limit := 3*(timeout+10*time.Second) + 3*time.Second; time.Duration(tr.DurationMS)*time.Millisecond > limit {
			t.Errorf("here → c1 took %dms, more than %s for 3 tries with a %s timeout", tr.DurationMS, limit, timeout)
		}
	}
	if got := hashFile(t, filepath.Join(h.root("c2"), rel)); got != want {
		t.Errorf("c2 did not get the file while c1 was frozen (sha256 %q)", got)
	}
	if len(frozen) < 3 {
		t.Errorf("only %d rsync processes of c1 were frozen; each of the 3 tries should have started one", len(frozen))
	}
	if strings.Count(r.stderr, "retrying") != 2 {
		t.Errorf("want two retries logged for here → c1:\n%s", r.stderr)
	}
}

// TestFault_AppKilledMidRun: the CLI dies (SIGKILL) while its first transfer runs. The
// next start records the run as interrupted, no lock is left held, nothing the dead app
// started goes on writing, no half-written file sits under its final name, and the next
// sync completes the file.
func TestFault_AppKilledMidRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c1", "--bwlimit", "10000")
	const size = 60 * mb
	const rel = "data/proj/big.bin"
	want := bigFile(t, h.root("here"), rel, size, t0)
	c1 := h.computer("c1")
	final := filepath.Join(c1.Root, rel)
	stopGuard := guardFinalName(t, final, size)

	app := h.startCLI("sync", "-v")
	if !app.waitStderr("$ rsync", 30*time.Second) && !app.waitStderr("$ ssh", time.Second) {
		_, stderr := app.output()
		t.Fatalf("the sync never started a transfer:\n%s", stderr)
	}
	if !waitFor(30*time.Second, func() bool { _, n := tempFileOf(c1.Root, rel); return n > 5*mb }) {
		t.Fatalf("the transfer to c1 never got 5 MB into its temporary file")
	}
	if err := app.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-app.done

	// Nothing the dead app started may go on writing into c1's folders: the folder lock
	// died with the app, so a survivor would be a second writer beside the next run.
	killed := time.Now()
	if !waitFor(3*time.Second, func() bool { return len(processesMatching("rsync", h.root("here"))) == 0 }) {
		t.Errorf("rsync processes of the killed app still run 3 s after it died: %v", processesMatching("rsync", h.root("here")))
	}
	t.Logf("the killed app's rsync ended %s after it", time.Since(killed).Round(10*time.Millisecond))
	stopGuard()
	if got := hashFile(t, final); got != "" && got != want {
		t.Errorf("after the app was killed c1 holds a wrong %s (sha256 %s)", rel, got)
	}

	runs := h.history()
	if len(runs) == 0 || runs[0].Status != "interrupted" {
		t.Errorf("the killed run is not recorded as interrupted: %+v", runs)
	}
	assertNoLockHeld(t, filepath.Join(h.getenv("FILESYNC_RUNTIME_DIR"), "locks"))

	res, r := h.runJSON("sync")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("the sync after the killed one: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	if got := hashFile(t, final); got != want {
		t.Errorf("after the next sync c1's %s has sha256 %q, want %s", rel, got, want)
	}
	if got := hashFile(t, filepath.Join(h.root("here"), rel)); got != want {
		t.Errorf("the source changed: sha256 %s", got)
	}
}

// assertNoLockHeld takes every lock file of dir without waiting: none may still be held.
func assertNoLockHeld(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("lock folder: %v", err)
	}
	for _, e := range entries {
		f, err := os.OpenFile(filepath.Join(dir, e.Name()), os.O_RDWR, 0)
		if err != nil {
			t.Errorf("open lock %s: %v", e.Name(), err)
			continue
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			t.Errorf("lock %s is still held after its app died: %v", e.Name(), err)
		}
		f.Close()
	}
}

// TestFault_DestinationDiskFull: a 50 MB file is synced into two computers whose root
// folders are 20 MB file systems, one on this computer (statfs) and one over ssh (df).
// The free-space guard refuses both before writing anything there: each failure names
// the computer, the space needed and the space free, the disks hold nothing new, and the
// other computers sync normally.
func TestFault_DestinationDiskFull(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	small := filepath.Join(t.TempDir(), "small")
	mountTmpfs(t, small, "20m")
	mountTmpfs(t, h.root("c2"), "20m")
	h.ok("computer", "add", "small", "--local", "--root", small)
	h.ok("project", "add", "proj")
	const size = 50 * mb
	const rel = "data/proj/big.bin"
	want := bigFile(t, h.root("here"), rel, size, t0)
	write(t, h.root("c1"), "data/proj/note.txt", "from c1", t0)
	usedBefore := map[string]int64{"small": diskUsed(t, small), "c2": diskUsed(t, h.root("c2"))}

	res, r := h.runJSON("sync")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("sync into a full disk: exit %d, status %q (%s); want 1 and failed\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	for name, root := range map[string]string{"small": small, "c2": h.root("c2")} {
		status, reason := res.computer(name)
		if status != "failed" {
			t.Errorf("%s: status %q (%s), want failed", name, status, reason)
		}
		for _, want := range []string{name + ": not enough free space in " + root, "the transfer needs 52.4 MB and ", " is free (keeping 5 % of the 21.0 MB disk free)", "filesync versions prune"} {
			if !strings.Contains(reason, want) {
				t.Errorf("%s's failure %q does not say %q", name, reason, want)
			}
		}
		t.Logf("%s: %s", name, reason)
		if files := filesUnder(t, root); len(files) > 0 {
			t.Errorf("%s holds %v: the guard must refuse before writing", name, files)
		}
		if used := diskUsed(t, root); used != usedBefore[name] {
			t.Errorf("%s: %d bytes used after the refused sync, %d before", name, used, usedBefore[name])
		}
		for _, tr := range res.Transfers {
			if tr.To == name {
				t.Errorf("a transfer to %s ran: %+v", name, tr)
			}
		}
	}
	for _, n := range []string{"here", "c1"} {
		if status, reason := res.computer(n); status != "ok" {
			t.Errorf("%s: status %q (%s), want ok: a full disk elsewhere must not fail it", n, status, reason)
		}
	}
	if got := hashFile(t, filepath.Join(h.root("c1"), rel)); got != want {
		t.Errorf("c1 did not get the file (sha256 %q)", got)
	}
	if b, err := os.ReadFile(filepath.Join(h.root("here"), "data/proj/note.txt")); string(b) != "from c1" {
		t.Errorf("here lacks c1's small file: %q, %v", b, err)
	}
}

// TestFault_DestinationDiskFullDuringPush: a push's size is not known before it, so the
// guard lets a 50 MB file go to an empty 20 MB file system; rsync's own "No space left on
// device" fails that computer, names it and the folder, leaves no partial file under the
// final name there, and the other computers receive the file.
func TestFault_DestinationDiskFullDuringPush(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	small := filepath.Join(t.TempDir(), "small")
	mountTmpfs(t, small, "20m")
	h.ok("computer", "add", "small", "--local", "--root", small)
	h.ok("project", "add", "proj")
	const rel = "data/proj/big.bin"
	want := bigFile(t, h.root("here"), rel, 50*mb, t0)

	res, r := h.runJSON("push", "--project", "proj", "--from", "here")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("push into a full disk: exit %d, status %q (%s); want 1 and failed\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	status, reason := res.computer("small")
	if status != "failed" {
		t.Errorf("small: status %q (%s), want failed", status, reason)
	}
	for _, want := range []string{"small", "data/proj", "No space left on device"} {
		if !strings.Contains(reason, want) {
			t.Errorf("small's failure %q does not mention %q", reason, want)
		}
	}
	t.Logf("small: %s", reason)
	if status, reason := res.computer("c1"); status != "ok" {
		t.Errorf("c1: status %q (%s), want ok: a full disk elsewhere must not fail it", status, reason)
	}
	if got := hashFile(t, filepath.Join(h.root("c1"), rel)); got != want {
		t.Errorf("c1 did not get the file (sha256 %q)", got)
	}
	if fi, err := os.Stat(filepath.Join(small, rel)); err == nil {
		t.Errorf("small holds %s under its final name with %d bytes; it cannot fit", rel, fi.Size())
	}
}

// TestFreeSpace_PushRefusesAnAlmostFullDisk: a destination whose disk already has less
// than 5 % free is refused before a push writes anything there, with a reason naming it
// and the space free; the other computers receive the push.
func TestFreeSpace_PushRefusesAnAlmostFullDisk(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	small := filepath.Join(t.TempDir(), "small")
	mountTmpfs(t, small, "20m")
	bigFile(t, small, "filler.bin", 19*mb+mb/2, t0)
	h.ok("computer", "add", "small", "--local", "--root", small)
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/note.txt", "from here", t0)
	usedBefore := diskUsed(t, small)

	res, r := h.runJSON("push", "--project", "proj", "--from", "here")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("push into an almost full disk: exit %d, status %q (%s); want 1 and failed\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	status, reason := res.computer("small")
	if status != "failed" {
		t.Errorf("small: status %q (%s), want failed", status, reason)
	}
	for _, want := range []string{"small: not enough free space in " + small, " kB is free, less than the 1.0 MB (5 % of the 21.0 MB disk)", "filesync versions prune"} {
		if !strings.Contains(reason, want) {
			t.Errorf("small's failure %q does not say %q", reason, want)
		}
	}
	t.Logf("small: %s", reason)
	if files := filesUnder(t, small); !slices.Equal(files, []string{"filler.bin"}) {
		t.Errorf("small holds %v, want only its filler: the guard must refuse before writing", files)
	}
	if used := diskUsed(t, small); used != usedBefore {
		t.Errorf("small: %d bytes used after the refused push, %d before", used, usedBefore)
	}
	if status, reason := res.computer("c1"); status != "ok" {
		t.Errorf("c1: status %q (%s), want ok", status, reason)
	}
	if b, err := os.ReadFile(filepath.Join(h.root("c1"), "data/proj/note.txt")); string(b) != "from here" {
		t.Errorf("c1 lacks the pushed file: %q, %v", b, err)
	}
}
