package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// The measurements of -action sync (issue 14), in the order each run takes them: a no-op
// Sync all (every computer holds the same files), the listing floor (status's, the round a
// no-op should be), one bare no-op rsync -a of c1's folders to c2, and a Sync all after
// 1 % of the small files changed on c1.
const (
	syncNoop   = "Sync all, no-op"
	floorList  = "floor, listings"
	floorCopy  = "floor, rsync -a c1 → c2"
	syncChange = "Sync all, 1 % changed"
)

// shellRun is every fleet size measured with one shell start.
type shellRun struct {
	shell   time.Duration
	results []*sizeResult
}

// runSync measures Sync all on every fleet size, with each shell start in turn, and
// prints the report.
func (b *bench) runSync(facts runFacts) error {
	var runs []shellRun
	var changes int
	for i, d := range b.o.shells {
		say("statusbench: shells that take %v to start", d)
		if err := b.setShellStart(d); err != nil {
			return err
		}
		results, err := b.prepareSizes(fmt.Sprintf("s%d", i))
		if err != nil {
			return err
		}
		for _, r := range results {
			if err := b.writeCopyFloor(r); err != nil {
				return err
			}
		}
		for run := 1; run <= b.o.runs; run++ {
			for _, r := range results {
				if err := b.measureSync(r, run, &changes); err != nil {
					return err
				}
			}
		}
		runs = append(runs, shellRun{d, results})
	}
	facts.loadEnd = loadAverage()
	fmt.Println(b.syncReport(facts, runs))
	if b.o.plot == "" {
		return nil
	}
	if err := b.drawPlot(b.o.plot, syncPlot(runs)); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	say("statusbench: wrote %s", b.o.plot)
	return nil
}

// rshOption is the --rsh argument of a listing command: its ssh options and ControlPath.
var rshOption = regexp.MustCompile(`'--rsh=[^']*'`)

// writeCopyFloor writes the script of one bare no-op rsync -a of c1's project folders to
// c2's, over c2's ssh master (the ssh options of FileSync's listing of c2).
func (b *bench) writeCopyFloor(r *sizeResult) error {
	from, to := b.fleet.Computers[0], b.fleet.Computers[1]
	rsh := rshOption.FindString(r.lists[to.Name])
	if rsh == "" {
		return fmt.Errorf("no --rsh in %s's listing command %q", to.Name, r.lists[to.Name])
	}
	var sources []string
	for i := range b.o.projects {
		p := projectName(i)
		sources = append(sources, from.Root+"/./data/"+p, from.Root+"/./models/"+p)
	}
	script := fmt.Sprintf("#!/usr/bin/env bash\n# One bare no-op rsync -a of c1's project folders to c2.\nset -euo pipefail\nrsync -a --relative --protect-args --timeout=60 %s -- %s %s@%s:%s/ >/dev/null\n",
		rsh, strings.Join(sources, " "), b.fleet.User, to.Host, to.Root)
	r.copyFloor = filepath.Join(b.work, fmt.Sprintf("copy%d%s.sh", r.k, r.tag))
	return os.WriteFile(r.copyFloor, []byte(script), 0o755)
}

// measureSync takes one run of every sync measurement on r's fleet, over the ssh masters
// an untimed listing round opens first, counting the sessions each starts.
func (b *bench) measureSync(r *sizeResult, run int, changes *int) error {
	if _, _, err := output(r.fs.env, "bash", r.floor); err != nil {
		return err
	}
	steps := []struct {
		m  string
		do func() (sample, error)
	}{
		{syncNoop, func() (sample, error) { return b.timeSync(r) }},
		{floorList, func() (sample, error) { return b.timeScript(r, r.floor) }},
		{floorCopy, func() (sample, error) { return b.timeScript(r, r.copyFloor) }},
		{syncChange, func() (sample, error) { *changes++; return b.timeChangedSync(r, *changes) }},
	}
	for _, st := range steps {
		before := b.sessionsStarted(r.k)
		s, err := st.do()
		if err != nil {
			return fmt.Errorf("%d computers, %s, run %d: %w", r.k, st.m, run, err)
		}
		s.sessions = b.sessionsStarted(r.k) - before
		r.runs[st.m] = append(r.runs[st.m], s)
		say("%2d computers run %d: %-24s %6.2f s  %5.2f s CPU  %3d sessions  %2d transfers  %s B  load %.2f",
			r.k, run, st.m, s.wall.Seconds(), s.cpu, s.sessions, s.transfers, thousands(s.bytes), s.load)
	}
	return nil
}

// sessionsStarted is how many sessions the first k computers' sshds have started.
func (b *bench) sessionsStarted(k int) int {
	var n int
	for _, c := range b.fleet.Computers[:k] {
		n += c.SessionsStarted()
	}
	return n
}

func (b *bench) timeScript(r *sizeResult, script string) (sample, error) {
	t, err := b.timed(r.fs.env, []int{0}, "bash", script)
	return t.sample, err
}

// syncJSON is the part of sync --json the benchmark reads.
type syncJSON struct {
	Computers computersJSON `json:"computers"`
	Transfers []struct {
		Bytes int64 `json:"bytes"`
	} `json:"transfers"`
}

// timeSync times filesync sync --json, checks that every computer took part and counts
// its transfers and the bytes they sent.
func (b *bench) timeSync(r *sizeResult) (sample, error) {
	var res syncJSON
	t, err := b.timeJSON(r, 0, &res, "sync", "--json")
	if err != nil {
		return t.sample, err
	}
	if err := res.Computers.allOK(r.k); err != nil {
		return t.sample, fmt.Errorf("sync: %w:\n%s", err, tail(t.stdout))
	}
	t.transfers = len(res.Transfers)
	for _, x := range res.Transfers {
		t.bytes += x.Bytes
	}
	return t.sample, nil
}
