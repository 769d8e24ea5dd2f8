package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// statusGoal is the target: status within 1.3 × the floor.
const statusGoal = 1.3

// stats are the median, min and max of some runs.
type stats struct{ median, min, max float64 }

func summarize(v []float64) stats {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return stats{med, s[0], s[n-1]}
}

func (r *sizeResult) values(m string, of func(sample) float64) []float64 {
	var v []float64
	for _, s := range r.runs[m] {
		v = append(v, of(s))
	}
	return v
}

func (r *sizeResult) wall(m string) stats {
	return summarize(r.values(m, func(s sample) float64 { return s.wall.Seconds() }))
}

func (r *sizeResult) rssMB(m string) stats {
	return summarize(r.values(m, func(s sample) float64 { return float64(s.rssKB) / 1000 }))
}

func (r *sizeResult) cpu(m string) stats {
	return summarize(r.values(m, func(s sample) float64 { return s.cpu }))
}

func (r *sizeResult) took(m string) stats {
	return summarize(r.values(m, func(s sample) float64 { return float64(s.tookMS) / 1000 }))
}

// loadRange is the lowest and highest 1-minute load average seen at the runs' starts.
func (r *sizeResult) loadRange() string {
	var all []float64
	for m := range r.runs {
		all = append(all, r.values(m, func(s sample) float64 { return s.load })...)
	}
	s := summarize(all)
	return fmt.Sprintf("%.1f–%.1f", s.min, s.max)
}

func secs(s stats) string { return fmt.Sprintf("%.2f s (%.2f–%.2f)", s.median, s.min, s.max) }

func (r *sizeResult) ratio(status, floor string) string {
	q := r.wall(status).median / r.wall(floor).median
	verdict := "met"
	if q > statusGoal {
		verdict = "not met"
	}
	return fmt.Sprintf("**%.2f×** (%s)", q, verdict)
}

// runFacts describe the machine and the run.
type runFacts struct{ date, machine, loadStart, loadEnd string }

func gatherFacts() runFacts {
	f := runFacts{date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadStart: loadAverage()}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %d GiB", (kb+(1<<19))>>20)
		}
	}
	first := func(argv ...string) string {
		out, _ := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		line, _, _ := strings.Cut(string(out), "\n")
		return line
	}
	rsyncV := strings.Fields(first("rsync", "--version") + " x x x")[2]
	sshV := strings.TrimSuffix(strings.Fields(first("ssh", "-V") + " x")[0], ",")
	f.machine = fmt.Sprintf("%d cores%s, rsync %s, %s", runtime.NumCPU(), mem, rsyncV, sshV)
	return f
}

// loadAverage is the 1, 5 and 15 minute load averages.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	fields := strings.Fields(string(data))
	if err != nil || len(fields) < 3 {
		return "?"
	}
	return strings.Join(fields[:3], " ")
}

// loadNow is the 1-minute load average.
func loadNow() float64 {
	var l float64
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		_, _ = fmt.Sscanf(string(data), "%f", &l)
	}
	return l
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// reportHead starts a report: when, where, the command and the data.
func (b *bench) reportHead(w *strings.Builder, f runFacts) {
	o := b.o
	fmt.Fprintf(w, "Measured %s on %s; load average %s at the start, %s at the end. ", f.date, f.machine, f.loadStart, f.loadEnd)
	fmt.Fprintf(w, "Command: `bench/status.sh %s`.\n\n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(w, "Data per computer: %d projects, each data/P with %s files of %d-%d B (random sizes and contents, times 1-2 s apart, %d per folder) and models/P with %d sparse files of %d MiB",
		o.projects, thousands(int64(o.files)), o.fileSize/2, o.fileSize/2+o.fileSize, filesPerDir, o.large, o.largeMB)
}

// report is the markdown of status: what ran, then the tables.
func (b *bench) report(f runFacts, enc []encoding, results []*sizeResult, diffs []difference) string {
	var w strings.Builder
	o := b.o
	b.reportHead(&w, f)
	w.WriteString("; ")
	var what []string
	for _, d := range diffs {
		what = append(what, fmt.Sprintf("c%d: %s", d.computer+1, d.what))
	}
	fmt.Fprintf(&w, "every computer a copy of its own. After the Sync all that stored the agreed state, %d differences: %s.\n\n", len(diffs), strings.Join(what, "; "))

	fmt.Fprintf(&w, "**`filesync status` against the floor**: wall time, median of %d runs (min–max). Cold: every ssh master closed first; warm: right after, over the masters (ControlPersist 60 s) the cold run left. The floor runs the very `rsync --list-only` commands status runs (taken from `filesync --verbose status`: same ssh options, same ControlPath), one per computer, all at once, output to /dev/null. Goal: status ≤ %.1f× the floor.\n\n", o.runs, statusGoal)
	w.WriteString("| computers | status, cold | floor, cold | status ÷ floor, cold | status, warm | floor, warm | status ÷ floor, warm | status's own `took_ms`, warm | CPU s, status / floor, warm | peak RSS, status (cold / warm) | peak RSS, floor | load (1 min) |\n")
	w.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(&w, "| %d | %s | %s | %s | %s | %s | %s | %s | %.2f / %.2f | %.1f / %.1f MB | %.1f MB | %s |\n", r.k,
			secs(r.wall(statusCold)), secs(r.wall(floorCold)), r.ratio(statusCold, floorCold),
			secs(r.wall(statusWarm)), secs(r.wall(floorWarm)), r.ratio(statusWarm, floorWarm),
			secs(r.took(statusWarm)), r.cpu(statusWarm).median, r.cpu(floorWarm).median, r.rssMB(statusCold).max, r.rssMB(statusWarm).max, r.rssMB(floorCold).max, r.loadRange())
	}
	w.WriteString("\nCPU is GNU time's user + system seconds of the command and the children it waited for (the local rsyncs and their ssh), median: not the remote side's rsync and sshd, nor the ssh masters. Peak RSS is GNU time's \"Maximum resident set size\", the largest of the process and the children it waited for (one rsync or ssh: a few MB), the highest of the runs.\n\n")

	w.WriteString("**The agreed state, encoded** (listing.Encode of listing.List's listing of one project on a local computer, what the service stores per computer and project):\n\n")
	w.WriteString("| project | paths listed | of which files | encoded | bytes per path | bytes per file | listing.List | Encode |\n|---|---|---|---|---|---|---|---|\n")
	for _, e := range enc {
		fmt.Fprintf(&w, "| %s | %s | %s | %s B | %.2f | %.2f | %d ms | %d ms |\n", e.project, thousands(int64(e.entries)), thousands(int64(e.files)),
			thousands(int64(e.bytes)), float64(e.bytes)/float64(e.entries), float64(e.bytes)/float64(e.files),
			e.listTook.Milliseconds(), e.encodeTook.Milliseconds())
	}
	w.WriteString("\n**The database after a Sync all** (a new database holding only the computers and projects, then one no-op `filesync sync`; sizes of filesync.db with its WAL):\n\n")
	w.WriteString("| computers | agreed listings | paths in them | encoded bytes | bytes per path | database before → after | growth | growth per path | Sync all took |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		g := r.growth
		fmt.Fprintf(&w, "| %d | %d | %s | %s B | %.2f | %s → %s B | %s B | %.2f B | %.1f s |\n", r.k, g.listings, thousands(int64(g.paths)),
			thousands(g.blobBytes), float64(g.blobBytes)/float64(g.paths), thousands(g.before), thousands(g.after),
			thousands(g.after-g.before), float64(g.after-g.before)/float64(g.paths), g.syncTook.Seconds())
	}
	return strings.TrimRight(w.String(), "\n")
}
