package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timeProgram reports a command's peak RSS (GNU time, package time).
const timeProgram = "/usr/bin/time"

// The measurements of each fleet size, in the order each run takes them.
const (
	statusCold = "status, cold"
	statusWarm = "status, warm"
	floorCold  = "floor, cold"
	floorWarm  = "floor, warm"
)

var measurements = []string{statusCold, statusWarm, floorCold, floorWarm}

// sample is one timed run.
type sample struct {
	wall   time.Duration
	rssKB  int64   // GNU time's "Maximum resident set size": the largest of the process and its children
	cpu    float64 // user + system seconds of the process and its children (not the remote side's, nor a master's)
	tookMS int64   // status only: the listing and comparison, as status --json reports it
	load   float64
	// sync only (sync.go): the ssh sessions the fleet's sshds started, and for a Sync all
	// its transfers, the bytes they sent and the bytes changed before it
	sessions, transfers int
	bytes, changed      int64
}

// sizeResult is everything measured on one fleet size.
type sizeResult struct {
	k         int
	tag       string // tells apart the installations of one size (one per shell start)
	fs        *fileSync
	floor     string            // the floor's script
	lists     map[string]string // the listing command in it of each computer
	copyFloor string            // sync only: one bare no-op rsync -a of c1 to c2
	growth    dbGrowth
	runs      map[string][]sample
}

// listCommand is how "filesync --verbose status" logs each listing it starts.
var listCommand = regexp.MustCompile(`^\[([^\]]+)\] \$ (rsync --list-only .*)$`)

// writeFloor writes the floor of r's fleet: the very rsync commands status runs, taken
// from its verbose log, all started at once by a shell, their output thrown away.
func (b *bench) writeFloor(r *sizeResult) error {
	_, stderr, err := r.fs.cli("--verbose", "status")
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return err
	}
	var script strings.Builder
	script.WriteString("#!/usr/bin/env bash\n# The floor: one bare rsync --list-only per computer, as filesync status runs it, all at once.\nset -euo pipefail\nexport TZ=UTC\n")
	var n int
	r.lists = map[string]string{}
	for _, line := range strings.Split(string(stderr), "\n") {
		m := listCommand.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		r.lists[m[1]] = m[2]
		fmt.Fprintf(&script, "# %s\n%s >/dev/null &\np%d=$!\n", m[1], m[2], n)
	}
	if n != r.k {
		return fmt.Errorf("%d computers: filesync --verbose status logged %d listing commands, want %d:\n%s", r.k, n, r.k, tail(stderr))
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&script, "wait $p%d\n", i)
	}
	r.floor = filepath.Join(b.work, fmt.Sprintf("floor%d%s.sh", r.k, r.tag))
	return os.WriteFile(r.floor, []byte(script.String()), 0o755)
}

// measureSize takes one run of every measurement on r's fleet: cold (no ssh master open)
// then warm (over the masters the cold run left), status then the floor.
func (b *bench) measureSize(r *sizeResult, run int) error {
	for _, m := range measurements {
		if strings.HasSuffix(m, "cold") {
			closeMasters(r.fs.runtime)
			time.Sleep(200 * time.Millisecond) // the masters' sshd sessions end
		}
		var s sample
		var err error
		if strings.HasPrefix(m, "status") {
			s, err = b.timeStatus(r)
		} else {
			var t timedRun
			t, err = b.timed(r.fs.env, []int{0}, "bash", r.floor)
			s = t.sample
		}
		if err != nil {
			return fmt.Errorf("%d computers, %s, run %d: %w", r.k, m, run, err)
		}
		r.runs[m] = append(r.runs[m], s)
		say("%2d computers run %d: %-13s %6.2f s  %5.2f s CPU  %6.1f MB RSS  load %.2f", r.k, run, m, s.wall.Seconds(), s.cpu, float64(s.rssKB)/1000, s.load)
	}
	return nil
}

// statusJSON is the part of status --json the benchmark checks.
type statusJSON struct {
	InSync    bool          `json:"in_sync"`
	TookMS    int64         `json:"took_ms"`
	Computers computersJSON `json:"computers"`
}

// computersJSON is the computers array of status --json and sync --json.
type computersJSON []struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// allOK reports an error unless cs lists k computers, each ok.
func (cs computersJSON) allOK(k int) error {
	if len(cs) != k {
		return fmt.Errorf("%d computers listed, want %d", len(cs), k)
	}
	for _, c := range cs {
		if c.Status != "ok" {
			return fmt.Errorf("%s is %s", c.Name, c.Status)
		}
	}
	return nil
}

// timeJSON times filesync with args, which should exit with okCode, and decodes what it
// printed (--json) into doc.
func (b *bench) timeJSON(r *sizeResult, okCode int, doc any, args ...string) (timedRun, error) {
	t, err := b.timed(r.fs.env, []int{okCode}, append([]string{r.fs.bin}, args...)...)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(t.stdout, doc); err != nil {
		return t, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	return t, nil
}

// timeStatus times filesync status and checks that it listed every computer and found the
// differences.
func (b *bench) timeStatus(r *sizeResult) (sample, error) {
	var st statusJSON
	s, err := b.timeJSON(r, 1, &st, "status", "--json")
	if err != nil {
		return s.sample, err
	}
	if err := st.Computers.allOK(r.k); err != nil {
		return s.sample, fmt.Errorf("status: %w", err)
	}
	if st.InSync {
		return s.sample, fmt.Errorf("status: in sync, want the differences")
	}
	s.tookMS = st.TookMS
	return s.sample, nil
}

// timedRun is a sample with the command's standard output.
type timedRun struct {
	sample
	stdout []byte
}

var (
	maxRSS  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	cpuTime = regexp.MustCompile(`(?:User|System) time \(seconds\): ([0-9.]+)`)
)

// timed runs argv under GNU time and returns its wall time (measured here) and peak RSS;
// an exit code other than those in okCodes is an error.
func (b *bench) timed(env []string, okCodes []int, argv ...string) (timedRun, error) {
	report := filepath.Join(b.work, "time.txt")
	load := loadNow()
	start := time.Now()
	stdout, stderr, err := output(env, append([]string{timeProgram, "-v", "-o", report}, argv...)...)
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && slices.Contains(okCodes, exit.ExitCode())) {
		return timedRun{}, err
	}
	if err == nil && !slices.Contains(okCodes, 0) {
		return timedRun{}, fmt.Errorf("%s exited 0, want %v:\n%s%s", strings.Join(argv, " "), okCodes, tail(stdout), tail(stderr))
	}
	text, err := os.ReadFile(report)
	if err != nil {
		return timedRun{}, err
	}
	m := maxRSS.FindSubmatch(text)
	if m == nil {
		return timedRun{}, fmt.Errorf("%s printed no peak RSS:\n%s", timeProgram, text)
	}
	rss, _ := strconv.ParseInt(string(m[1]), 10, 64)
	var cpu float64
	for _, c := range cpuTime.FindAllSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(string(c[1]), 64)
		cpu += v
	}
	return timedRun{sample{wall: wall, rssKB: rss, cpu: cpu, load: load}, stdout}, nil
}
