// Command fleetbench is FileSync's fleet benchmark (issue 5): FileSync against the seed's
// sequential rsync loop and an expert's parallel, multiplexed rsync, on a fleet of real sshd
// computers on this machine, with generated ML-shaped data.
//
//	(a) no-op Sync all            (b) Sync all after 1 % of files changed on one computer
//	(c) first Sync all onto empty computers
//	(d) push one new checkpoint to every other computer over 100 Mbit/s links (root only:
//	    network namespaces)
//	(e) 100,000-file no-op between two computers: FileSync against one bare rsync -a
//
// Each run of each contender starts cold (every ssh ControlMaster closed, dirty pages
// written out) from the same prepared state, and is checked afterwards: a contender that
// did not leave every computer with the expected files fails the case. Contenders take
// turns run by run, so a change in the machine's load spreads over all of them.
//
// Run it through bench/bench.sh or "make bench" (which install what it needs and build
// bin/filesync); "make bench-ci" runs a small version. It prints a markdown table of wall
// times and ratios, and with -docs replaces the section between <!-- bench:start --> and
// <!-- bench:end --> in docs/benchmarks.md and draws -plot.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"filesync/bench/benchkit"
)

type options struct {
	bin       string
	k         int
	projects  int
	files     int
	fileSize  int
	ckpts     int
	ckptMB    int
	pushMB    int
	nsCount   int
	rate      string
	eFiles    int
	eFileSize int
	eRuns     int
	runs      int
	slowRuns  int
	cases     string
	jobs      int
	work      string
	keep      bool
	docs      string
	plot      string
	ci        bool
	changed   float64
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/filesync", "the filesync binary")
	flag.IntVar(&o.k, "k", 8, "computers (sshd on loopback) for cases a, b, c")
	flag.IntVar(&o.projects, "projects", 2, "projects, each with a dataset folder and a models folder")
	flag.IntVar(&o.files, "files", 20000, "small files in each project's dataset folder")
	flag.IntVar(&o.fileSize, "file-size", 4096, "bytes per small file")
	flag.IntVar(&o.ckpts, "ckpts", 4, "checkpoints in each project's models folder")
	flag.IntVar(&o.ckptMB, "ckpt-mb", 64, "MiB per checkpoint")
	flag.Float64Var(&o.changed, "changed", 1, "case b: percent of the files rewritten on one computer")
	flag.IntVar(&o.pushMB, "push-mb", 256, "case d: MiB of the new checkpoint")
	flag.IntVar(&o.nsCount, "ns", 8, "case d: computers in network namespaces (the sender and the others)")
	flag.StringVar(&o.rate, "rate", "100mbit", "case d: each computer's link rate, both ways (tc tbf)")
	flag.IntVar(&o.eFiles, "e-files", 100000, "case e: files in the tree")
	flag.IntVar(&o.eFileSize, "e-file-size", 1024, "case e: bytes per file")
	flag.IntVar(&o.eRuns, "e-runs", 15, "case e: runs (under a second each; 5 cannot resolve its 10 % margin against the machine's jitter)")
	flag.IntVar(&o.runs, "runs", 5, "runs of each contender per case (the table shows median, min and max)")
	flag.IntVar(&o.slowRuns, "slow-runs", 0, "runs for the slow cases c and d (0: same as -runs)")
	flag.StringVar(&o.cases, "cases", "abcde", "which cases to run")
	flag.IntVar(&o.jobs, "jobs", 0, "expert: commands at once for Sync all (0: one per computer)")
	flag.StringVar(&o.work, "work", "", "scratch folder (default: a new one under /tmp, removed at the end)")
	flag.BoolVar(&o.keep, "keep", false, "keep the scratch folder (data, logs, FileSync's JSON per run)")
	flag.StringVar(&o.docs, "docs", "", "markdown file whose <!-- bench:start -->…<!-- bench:end --> section gets the results")
	flag.StringVar(&o.plot, "plot", "", "PNG of the ratios to draw with gnuplot (docs/bench-ratios.png)")
	flag.BoolVar(&o.ci, "ci", false, "the small CI version: 3 computers, small data, no namespaces, 1 run (flags given still win)")
	flag.Parse()
	if o.ci {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		preset := map[string]func(){
			"k": func() { o.k = 3 }, "files": func() { o.files = 300 }, "ckpts": func() { o.ckpts = 2 },
			"ckpt-mb": func() { o.ckptMB = 1 }, "cases": func() { o.cases = "abce" }, "e-files": func() { o.eFiles = 3000 },
			"runs": func() { o.runs = 1 }, "e-runs": func() { o.eRuns = 1 },
		}
		for name, apply := range preset {
			if !set[name] {
				apply()
			}
		}
	}
	if o.slowRuns <= 0 {
		o.slowRuns = o.runs
	}
	return o
}

// bench is one invocation: the scratch folder, the ssh key and agent, the cleanups.
type bench struct {
	o        options
	repo     string
	bin      string
	work     string
	key      string
	agentEnv []string // SSH_AUTH_SOCK=… for every ssh, rsync and filesync this run starts
	facts    runFacts

	stopping  atomic.Bool // a signal came: tear down, and write no results
	mu        sync.Mutex
	running   *exec.Cmd // the contender being timed, in its own process group
	cleanups  []func()
	cleanOnce sync.Once
	results   []*caseResult
}

func main() {
	o := parseFlags()
	b := &bench{o: o}
	code := b.main()
	b.cleanup()
	os.Exit(code)
}

func (b *bench) main() int {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-signals
		b.stopping.Store(true)
		fmt.Fprintf(os.Stderr, "\nfleetbench: %v: tearing down; no results are written\n", s)
		b.cleanup()
		os.Exit(130)
	}()
	if err := b.setUp(); err != nil {
		fmt.Fprintln(os.Stderr, "fleetbench:", err)
		return 1
	}
	b.facts = gatherFacts(b)
	b.say("fleetbench: scratch folder %s; load average %s", b.work, b.facts.loadStart)

	if strings.ContainsAny(b.o.cases, "abc") {
		b.runLoopbackCases()
	}
	b.haltIfStopping()
	if strings.Contains(b.o.cases, "d") {
		b.runCaseD()
	}
	b.haltIfStopping()
	if strings.Contains(b.o.cases, "e") {
		b.runCaseE()
	}
	b.facts.loadEnd = loadAverage()
	b.haltIfStopping()

	report := b.report()
	fmt.Println()
	fmt.Println(report)
	if b.o.plot != "" {
		if err := b.drawPlot(b.o.plot); err != nil {
			fmt.Fprintln(os.Stderr, "fleetbench: plot:", err)
		} else {
			b.say("fleetbench: wrote %s", b.o.plot)
		}
	}
	if b.o.docs != "" {
		if err := replaceSection(b.o.docs, report); err != nil {
			fmt.Fprintln(os.Stderr, "fleetbench:", err)
			return 1
		}
		b.say("fleetbench: wrote the results into %s", b.o.docs)
	}
	for _, c := range b.results {
		if c.err != "" {
			fmt.Fprintf(os.Stderr, "fleetbench: case %s failed: %s\n", c.id, c.err)
			return 1
		}
	}
	return 0
}

// haltIfStopping parks the main goroutine once a signal came, so that nothing after it
// (the next case, the report) runs while the signal handler tears down and exits.
func (b *bench) haltIfStopping() {
	if b.stopping.Load() {
		select {}
	}
}

// setUp checks the tools, makes the scratch folder, the key and the agent.
func (b *bench) setUp() error {
	var err error
	if b.repo, err = os.Getwd(); err != nil {
		return err
	}
	if b.bin, err = filepath.Abs(b.o.bin); err != nil {
		return err
	}
	if _, err := os.Stat(b.bin); err != nil {
		return fmt.Errorf("%s: build it first (make build): %w", b.o.bin, err)
	}
	for _, tool := range []string{"rsync", "ssh", "ssh-keygen", "ssh-agent", "ssh-add", "parallel", "python3", "/usr/sbin/sshd"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is missing: run bench/bench.sh or make bench, which install it", tool)
		}
	}
	if _, err := os.Stat(filepath.Join(b.repo, "bench", "fleet.sh")); err != nil {
		return errors.New("run from the repository's root folder (bench/fleet.sh not found)")
	}
	if b.work, err = benchkit.WorkDir(b.o.work, "fsb", b.o.keep, b.onCleanup); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(b.work, "logs"), 0o755); err != nil {
		return err
	}
	b.key = filepath.Join(b.work, "key")
	if _, err := os.Stat(b.key); err != nil {
		if err := b.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleetbench", "-f", b.key); err != nil {
			return err
		}
	}
	return b.startAgent()
}

// onCleanup registers f to run at the end, even after a failure or a signal; the last
// registered runs first.
func (b *bench) onCleanup(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cleanups = append(b.cleanups, f)
}

func (b *bench) cleanup() {
	b.cleanOnce.Do(func() {
		b.mu.Lock()
		fs := b.cleanups
		b.cleanups = nil
		if b.running != nil && b.running.Process != nil {
			// the contender and whatever it started (parallel, rsync, ssh)
			_ = syscall.Kill(-b.running.Process.Pid, syscall.SIGTERM)
		}
		b.mu.Unlock()
		for i := len(fs) - 1; i >= 0; i-- {
			fs[i]()
		}
	})
}

func (b *bench) say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// run runs a setup command (not timed), its output going to the log on failure.
func (b *bench) run(argv ...string) error {
	return b.runEnv(nil, argv...)
}

func (b *bench) runEnv(env []string, argv ...string) error {
	_, err := b.output(env, argv...)
	return err
}

// output runs argv with env added to this process's environment and returns its standard
// output. Output goes through files, not pipes: an ssh ControlMaster that a command leaves
// behind must not hold the command's pipes open.
func (b *bench) output(env []string, argv ...string) ([]byte, error) {
	stdout, err := os.CreateTemp(b.work, "out")
	if err != nil {
		return nil, err
	}
	defer os.Remove(stdout.Name())
	defer stdout.Close()
	stderr, err := os.CreateTemp(b.work, "err")
	if err != nil {
		return nil, err
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = b.repo
	cmd.Stdout, cmd.Stderr = stdout, stderr
	runErr := cmd.Run()
	out, _ := os.ReadFile(stdout.Name())
	if runErr != nil {
		errText, _ := os.ReadFile(stderr.Name())
		return out, fmt.Errorf("%s: %v\n%s%s", strings.Join(argv, " "), runErr, tail(string(out), 1500), tail(string(errText), 1500))
	}
	return out, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// contender is one way of doing a case's job.
type contender struct {
	key    string // seed, expert, ref, filesync, push
	argv   []string
	env    []string
	cmdlog bool                // the script writes its command lines to CMDLOG
	prep   func(run int) error // untimed, before each run
	verify func(run int) error // untimed, after each run
	json   func(out []byte)    // FileSync's --json result of each run
}

// measure runs each contender runs times, taking turns, and records the wall times in c.
func (b *bench) measure(c *caseResult, runs int, contenders []contender) {
	for run := 1; run <= runs; run++ {
		for _, ct := range contenders {
			if err := b.once(c, run, ct); err != nil {
				c.err = err.Error()
				b.say("case %s: %s", c.id, c.err)
				return
			}
		}
	}
}

func (b *bench) once(c *caseResult, run int, ct contender) error {
	b.haltIfStopping()
	if ct.prep != nil {
		if err := ct.prep(run); err != nil {
			return fmt.Errorf("preparing %s run %d: %w", ct.key, run, err)
		}
	}
	b.closeAllMasters()
	syscall.Sync()
	logPath := filepath.Join(b.work, "logs", fmt.Sprintf("%s-%s-%d.out", c.id, ct.key, run))
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	errPath := strings.TrimSuffix(logPath, ".out") + ".err"
	errFile, err := os.Create(errPath)
	if err != nil {
		return err
	}
	defer errFile.Close()
	env := append(os.Environ(), b.agentEnv...)
	env = append(env, ct.env...)
	cmdlog := ""
	if ct.cmdlog {
		cmdlog = filepath.Join(b.work, "logs", fmt.Sprintf("%s-%s-%d.commands", c.id, ct.key, run))
		env = append(env, "CMDLOG="+cmdlog)
	}
	cmd := exec.Command(ct.argv[0], ct.argv[1:]...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, b.repo, logFile, errFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	runErr := cmd.Start()
	if runErr == nil {
		b.mu.Lock()
		b.running = cmd
		b.mu.Unlock()
		runErr = cmd.Wait()
		b.mu.Lock()
		b.running = nil
		b.mu.Unlock()
	}
	elapsed := time.Since(start)
	b.haltIfStopping() // a failure now is the teardown's doing
	if runErr != nil {
		errText, _ := os.ReadFile(errPath)
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("%s run %d: %s: %v: %s", ct.key, run, strings.Join(ct.argv, " "), runErr,
			strings.TrimSpace(tail(string(errText)+string(out), 600)))
	}
	if ct.verify != nil {
		if err := ct.verify(run); err != nil {
			return fmt.Errorf("%s run %d finished but left a wrong result: %w", ct.key, run, err)
		}
	}
	c.add(ct.key, elapsed)
	b.say("case %s run %d: %-8s %8.2f s", c.id, run, ct.key, elapsed.Seconds())
	if run == 1 {
		c.recordCommands(ct, cmdlog)
	}
	if ct.json != nil {
		if out, err := os.ReadFile(logPath); err == nil {
			ct.json(out)
		}
	}
	return nil
}
