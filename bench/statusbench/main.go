// Command statusbench measures `filesync status` (issue 13), or with -action sync a Sync
// all planned from the listings (issue 14), on sshd computers on this machine's loopback:
// the wall time against the floor (one bare rsync --list-only per computer of the same
// folders, all started at once, with the argv FileSync itself runs), and how it scales with
// the number of computers; for status also its peak RSS and the bytes the agreed state
// stores per file, for sync the ssh sessions each run opens and the bytes a 1 % change
// sends (sync.go).
//
// Every computer holds the same generated data (per project: many small files with random
// contents in data/P, a few large sparse files in models/P); each fleet size gets its own
// FileSync database, which a Sync all fills with the agreed state; then c1 and c2 get a
// few differences, and status and the floor run, each cold (every ssh master of the run
// closed first) and warm (right after, over the masters the cold run left open), taking
// turns run by run.
//
// Run it through bench/status.sh, which builds bin/filesync and this program. It prints
// markdown tables on stdout, progress on stderr.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"filesync/bench/benchkit"
	"filesync/sync/testfleet"
)

type options struct {
	bin      string
	sizes    []int // fleet sizes, ascending
	projects int
	files    int // small files per project
	fileSize int
	large    int // large files per project
	largeMB  int
	runs     int
	work     string
	keep     bool
	plot     string
	action   string // "status" or "sync"
	// shells and noAgent make the user's set-up: a slow ~/.bashrc, no ssh agent. Sync
	// measures every shell start in turn; status takes one.
	shells  []time.Duration
	noAgent bool
}

func parseFlags() (options, error) {
	var o options
	sizes := flag.String("computers", "2,4,8,16", "fleet sizes to measure, comma-separated")
	flag.StringVar(&o.bin, "bin", "bin/filesync", "the filesync binary")
	flag.IntVar(&o.projects, "projects", 2, "projects, each with data/P (small files) and models/P (large files)")
	flag.IntVar(&o.files, "files", 20000, "small files per project")
	flag.IntVar(&o.fileSize, "file-size", 4096, "mean bytes per small file (each from half to 1.5 times this)")
	flag.IntVar(&o.large, "large", 4, "large (sparse) files per project")
	flag.IntVar(&o.largeMB, "large-mb", 50, "MiB per large file")
	flag.IntVar(&o.runs, "runs", 5, "runs of each measurement per fleet size")
	flag.StringVar(&o.work, "work", "", "scratch folder (default: a new one under /tmp, removed at the end)")
	flag.StringVar(&o.plot, "plot", "", "PNG of the wall times against the number of computers, drawn with gnuplot (docs/status-scaling.png)")
	flag.BoolVar(&o.keep, "keep", false, "keep the scratch folder it made (one given by -work is always kept)")
	shells := flag.String("shell-start", "0", "how long each ssh session's shell takes to start on the computers (as a conda init in ~/.bashrc; 0: at once); with -action sync a comma-separated list, measured in turn")
	flag.StringVar(&o.action, "action", "status", "what to measure: status (filesync status --json) or sync (a no-op and a 1 % Sync all, filesync sync --json)")
	flag.BoolVar(&o.noAgent, "no-agent", false, "run filesync and the floor without an ssh agent (Sync all then relays remote to remote through this computer)")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return o, fmt.Errorf("-computers %q: want sizes of at least 2", *sizes)
		}
		o.sizes = append(o.sizes, n)
	}
	slices.Sort(o.sizes)
	o.sizes = slices.Compact(o.sizes)
	for _, s := range strings.Split(*shells, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil || d < 0 {
			return o, fmt.Errorf("-shell-start %q: want durations such as 0 or 500ms", *shells)
		}
		o.shells = append(o.shells, d)
	}
	if o.action != "status" && o.action != "sync" {
		return o, fmt.Errorf("-action %q: want status or sync", o.action)
	}
	if o.action == "status" && len(o.shells) > 1 {
		return o, fmt.Errorf("-shell-start %q: status measures one shell start", *shells)
	}
	if o.projects < 1 || o.files < 20 || o.runs < 1 {
		return o, fmt.Errorf("want at least 1 project, 20 files and 1 run")
	}
	return o, nil
}

// bench is one invocation: its scratch folder, fleet and cleanups.
type bench struct {
	o        options
	bin      string
	work     string
	fleet    *testfleet.Fleet
	mu       sync.Mutex // guards cleanups: a signal may end the run while it adds one
	cleanups []func()
}

func main() {
	o, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "statusbench:", err)
		os.Exit(2)
	}
	b := &bench{o: o}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-signals
		fmt.Fprintf(os.Stderr, "\nstatusbench: %v: tearing down\n", s)
		b.cleanup()
		os.Exit(130)
	}()
	err = b.run()
	b.cleanup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "statusbench:", err)
		os.Exit(1)
	}
}

// onCleanup registers f to run at the end, also after a failure or a signal; the last
// registered runs first.
func (b *bench) onCleanup(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cleanups = append(b.cleanups, f)
}

func (b *bench) cleanup() {
	b.mu.Lock()
	fs := b.cleanups
	b.cleanups = nil
	b.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

func say(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

func (b *bench) run() error {
	if err := b.setUp(); err != nil {
		return err
	}
	facts := gatherFacts()
	say("statusbench: scratch folder %s; load average %s", b.work, facts.loadStart)

	ref := filepath.Join(b.work, "ref")
	say("statusbench: generating %d projects × (%d × %d B files + %d × %d MiB sparse files)",
		b.o.projects, b.o.files, b.o.fileSize, b.o.large, b.o.largeMB)
	if err := b.genReference(ref); err != nil {
		return err
	}
	most := b.o.sizes[len(b.o.sizes)-1]
	say("statusbench: starting %d sshd computers on 127.0.7.x and copying the data to each", most)
	if err := b.startFleet(most); err != nil {
		return err
	}
	if err := copyTo(ref, b.roots()); err != nil {
		return err
	}
	if b.o.action == "sync" {
		return b.runSync(facts)
	}
	return b.runStatus(facts, ref)
}

// roots are the root folders of the fleet's computers.
func (b *bench) roots() []string {
	var roots []string
	for _, c := range b.fleet.Computers {
		roots = append(roots, c.Root)
	}
	return roots
}

// runStatus measures filesync status on every fleet size and prints the report.
func (b *bench) runStatus(facts runFacts, ref string) error {
	enc, err := b.measureEncoding(ref)
	if err != nil {
		return err
	}
	if err := b.setShellStart(b.o.shells[0]); err != nil {
		return err
	}
	results, err := b.prepareSizes("")
	if err != nil {
		return err
	}
	diffs := b.differences()
	for _, d := range diffs {
		if err := d.apply(b.fleet.Computers[d.computer].Root); err != nil {
			return err
		}
	}
	for run := 1; run <= b.o.runs; run++ {
		for _, r := range results {
			if err := b.measureSize(r, run); err != nil {
				return err
			}
		}
	}
	facts.loadEnd = loadAverage()
	fmt.Println(b.report(facts, enc, results, diffs))
	if b.o.plot == "" {
		return nil
	}
	if err := b.drawPlot(b.o.plot, statusPlot(b.o, results)); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	say("statusbench: wrote %s", b.o.plot)
	return nil
}

// prepareSizes sets up FileSync for every fleet size (prepareSize) and writes each one's
// floor; tag tells apart the installations of one size.
func (b *bench) prepareSizes(tag string) ([]*sizeResult, error) {
	var results []*sizeResult
	for _, k := range b.o.sizes {
		r, err := b.prepareSize(k, tag)
		if err != nil {
			return nil, err
		}
		if err := b.writeFloor(r); err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	return results, nil
}

// setUp checks the tools and makes the scratch folder.
func (b *bench) setUp() error {
	var err error
	if b.bin, err = filepath.Abs(b.o.bin); err != nil {
		return err
	}
	if _, err := os.Stat(b.bin); err != nil {
		return fmt.Errorf("%s: build it first (go build -o bin/filesync .): %w", b.o.bin, err)
	}
	if _, err := os.Stat(timeProgram); err != nil {
		return fmt.Errorf("%s is missing (package time): %w", timeProgram, err)
	}
	b.work, err = benchkit.WorkDir(b.o.work, "fss", b.o.keep, b.onCleanup)
	return err
}

// startFleet starts n computers with an ssh-agent (a Sync all pulls remote to remote),
// stopped at the end.
func (b *bench) startFleet(n int) error {
	f, err := testfleet.New(testfleet.Options{Computers: n, Dir: filepath.Join(b.work, "fleet"), Net: "127.0.7", Agent: true,
		Logf: func(format string, args ...any) { say("testfleet: "+format, args...) }})
	if err != nil {
		return err
	}
	b.fleet = f
	b.onCleanup(func() {
		if err := f.Close(); err != nil {
			say("statusbench: stopping the fleet: %v", err)
		}
	})
	return nil
}

// setShellStart makes every session's shell on the fleet's computers take d to start.
func (b *bench) setShellStart(d time.Duration) error {
	for _, c := range b.fleet.Computers {
		if err := c.ChangeShellStart(d); err != nil {
			return err
		}
	}
	return nil
}
