package e2e

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFault_ConcurrentWritersAndEditors: for half a minute a sync loop and two more command
// lines run at once against one database and one fleet — syncing all, syncing a project,
// syncing one computer, editing projects and computers, reading the history. No command
// sees "database is locked", no run or edit is lost, and no two rsyncs ever write into the
// same folder of the same computer at the same moment.
func TestFault_ConcurrentWritersAndEditors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "p1")
	h.ok("project", "add", "p2")
	for _, n := range h.names() {
		bigFile(t, h.root(n), "data/p1/"+n+".bin", 2*mb, t0)
		bigFile(t, h.root(n), "data/p2/"+n+".bin", 2*mb, t0)
	}
	sampler := watchWriters(t, rootsOf(h))

	const length = 30 * time.Second
	deadline := time.Now().Add(length)
	var mu sync.Mutex
	var calls []call
	record := func(c call) {
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
	}
	var lastIgnore, lastBW int
	var wg sync.WaitGroup
	loop := func(body func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				body(i)
			}
		}()
	}
	loop(func(int) { record(h.call("sync", "--json")) }) // the engine, syncing all, again and again
	loop(func(i int) {
		writeBG(h.root("here"), fmt.Sprintf("data/p1/a%03d.bin", i), 256<<10)
		record(h.call("sync", "--project", "p1", "--json"))
		if c := h.call("project", "edit", "p2", "--ignore", fmt.Sprintf("[ data/tmp%03d ]", i)); c.code == 0 {
			lastIgnore = i
			record(c)
		} else {
			record(c)
		}
		record(h.call("history", "--limit", "5"))
	})
	loop(func(i int) {
		writeBG(h.root("c2"), fmt.Sprintf("data/p2/b%03d.bin", i), 256<<10)
		record(h.call("sync", "--computer", "c1", "--json"))
		if c := h.call("computer", "edit", "c2", "--bwlimit", strconv.Itoa(50000+i)); c.code == 0 {
			lastBW = 50000 + i
			record(c)
		} else {
			record(c)
		}
		record(h.call("history", "--json", "--limit", "5"))
	})
	wg.Wait()
	overlaps, seen := sampler()

	var runIDs []uint
	syncs := 0
	for _, c := range calls {
		lower := strings.ToLower(c.stderr)
		if strings.Contains(lower, "database is locked") || strings.Contains(lower, "sqlite_busy") || strings.Contains(lower, "database table is locked") {
			t.Errorf("filesync %s met a locked database:\n%s", strings.Join(c.args, " "), c.stderr)
		}
		if c.code != 0 {
			t.Errorf("filesync %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), c.code, c.stdout, c.stderr)
		}
		if c.args[0] == "sync" {
			syncs++
			var res detailedResult
			if err := json.Unmarshal([]byte(c.stdout), &res); err != nil || res.RunID == 0 {
				t.Errorf("filesync %s printed no run id (%v):\n%s", strings.Join(c.args, " "), err, c.stdout)
				continue
			}
			runIDs = append(runIDs, res.RunID)
		}
	}
	t.Logf("%d commands in %s: %d syncs; rsync writers seen %d times in /proc", len(calls), length, syncs, seen)
	if seen == 0 {
		t.Errorf("the /proc sampler never saw an rsync writing: it cannot have checked the folder locks")
	}

	// Every run started is recorded, once, and finished.
	recorded := map[uint]string{}
	for _, r := range h.history() {
		recorded[r.ID] = r.Status
	}
	if len(recorded) != len(runIDs) {
		t.Errorf("the history holds %d runs, %d syncs ran", len(recorded), len(runIDs))
	}
	for _, id := range runIDs {
		if st, ok := recorded[id]; !ok || st != "ok" {
			t.Errorf("run %d: recorded %v with status %q, want ok", id, ok, st)
		}
	}
	// Every edit is visible afterwards: the last one of each writer won.
	var projects []struct {
		Name   string   `json:"name"`
		Ignore []string `json:"ignore"`
	}
	mustJSON(t, h.ok("project", "list", "--json").stdout, &projects)
	for _, p := range projects {
		if want := []string{fmt.Sprintf("data/tmp%03d", lastIgnore)}; p.Name == "p2" && !slices.Equal(p.Ignore, want) {
			t.Errorf("p2's ignore entries are %q after the edits, want the last one %q", p.Ignore, want)
		}
	}
	var computers []struct {
		Name        string `json:"name"`
		BWLimitKBps int    `json:"bwlimit_kbps"`
	}
	mustJSON(t, h.ok("computer", "list", "--json").stdout, &computers)
	for _, c := range computers {
		if c.Name == "c2" && c.BWLimitKBps != lastBW {
			t.Errorf("c2's bandwidth limit is %d after the edits, want the last one %d", c.BWLimitKBps, lastBW)
		}
	}
	if len(overlaps) > 0 {
		t.Errorf("two writers in one folder, seen %d times; the first:\n%s", len(overlaps), overlaps[0])
	}
}

// call is one finished command line.
type call struct {
	args           []string
	code           int
	stdout, stderr string
}

// call runs the CLI from any goroutine: it never fails the test itself.
func (h *harness) call(args ...string) call {
	cmd := exec.Command(binary, args...)
	cmd.Env = h.env
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	c := call{args: args, stdout: out.String(), stderr: errOut.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		c.code = exit.ExitCode()
	} else if err != nil {
		c.code, c.stderr = -1, err.Error()
	}
	return c
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON (%v):\n%s", err, s)
	}
}
