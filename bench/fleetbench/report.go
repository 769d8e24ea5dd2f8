package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// caseResult is one case's wall times per contender and what the report says about it.
type caseResult struct {
	id, title string
	data      string // what the fleet holds
	skip      string // why the case did not run
	err       string // why it stopped
	times     map[string][]time.Duration
	commands  map[string][]string
	fileSync  map[string][]fileSyncRun
	notes     []string
}

type fileSyncRun struct {
	res  fileSyncJSON
	plan [][][2]string
}

func (b *bench) newCase(id, title string) *caseResult {
	c := &caseResult{id: id, title: title, times: map[string][]time.Duration{}, commands: map[string][]string{},
		fileSync: map[string][]fileSyncRun{}}
	b.results = append(b.results, c)
	return c
}

func (c *caseResult) add(key string, d time.Duration) { c.times[key] = append(c.times[key], d) }

// recordCommands keeps the command lines a contender ran: the script's own list when it
// writes one, else its argv.
func (c *caseResult) recordCommands(ct contender, cmdlog string) {
	var lines []string
	for _, kv := range ct.env {
		if !strings.HasPrefix(kv, "LANG=") {
			lines = append(lines, kv)
		}
	}
	if len(lines) > 0 {
		lines = []string{strings.Join(lines, " ") + " \\"}
	}
	lines = append(lines, shellJoin(ct.argv))
	if cmdlog != "" {
		data, err := os.ReadFile(cmdlog)
		if err == nil {
			all := strings.Split(strings.TrimSpace(string(data)), "\n")
			lines = append(lines, fmt.Sprintf("# which ran these %d commands; the first of each kind:", countCommands(all)))
			seen := map[string]bool{}
			for _, l := range all {
				kind := commandKind(l)
				if !seen[kind] {
					lines = append(lines, l)
					seen[kind] = true
				}
			}
		}
	}
	c.commands[ct.key] = lines
}

// commandKind tells a script's command lines apart: the parallel header, ssh, rsync.
func commandKind(line string) string {
	if rest, ok := strings.CutPrefix(line, "ip netns exec "); ok {
		_, line, _ = strings.Cut(rest, " ")
	}
	for _, kind := range []string{"parallel ", "rsync ", "ssh "} {
		if strings.HasPrefix(line, kind) {
			return kind
		}
	}
	return line
}

func countCommands(lines []string) int {
	n := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "parallel ") {
			n++
		}
	}
	return n
}

func shellJoin(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " '\"$`\\*?[]#~=&;|<>(){}\t\n") {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// stats is the median, minimum and maximum of a contender's wall times.
type stats struct {
	median, min, max time.Duration
	n                int
}

func summarize(ds []time.Duration) (stats, bool) {
	if len(ds) == 0 {
		return stats{}, false
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stats{median: m, min: s[0], max: s[len(s)-1], n: len(s)}, true
}

func (c *caseResult) stat(key string) (stats, bool) { return summarize(c.times[key]) }

// pairedExtra summarizes a[i] − b[i]: contenders take turns, so each difference is taken
// under nearly the same load, and the machine's drift between runs cancels out.
func pairedExtra(a, b []time.Duration) (stats, bool) {
	n := min(len(a), len(b))
	diffs := make([]time.Duration, n)
	for i := range diffs {
		diffs[i] = a[i] - b[i]
	}
	return summarize(diffs)
}

func extraText(d time.Duration) string {
	ms := d.Round(time.Millisecond).Milliseconds()
	if ms < 0 {
		return fmt.Sprintf("%d ms less", -ms)
	}
	return fmt.Sprintf("%d ms more", ms)
}

func secs(d time.Duration) string {
	switch s := d.Seconds(); {
	case s >= 100:
		return fmt.Sprintf("%.0f s", s)
	case s >= 10:
		return fmt.Sprintf("%.1f s", s)
	default:
		return fmt.Sprintf("%.2f s", s)
	}
}

func cell(c *caseResult, key string) string {
	s, ok := c.stat(key)
	if !ok {
		return "—"
	}
	if s.n == 1 {
		return "**" + secs(s.median) + "**"
	}
	return fmt.Sprintf("**%s** (%s–%s)", secs(s.median), strings.TrimSuffix(secs(s.min), " s"), secs(s.max))
}

// ratio is a ÷ b of the medians.
func (c *caseResult) ratio(a, b string) (float64, bool) {
	sa, okA := c.stat(a)
	sb, okB := c.stat(b)
	if !okA || !okB || sb.median == 0 {
		return 0, false
	}
	return sa.median.Seconds() / sb.median.Seconds(), true
}

func times(r float64, ok bool) string {
	if !ok {
		return "—"
	}
	switch {
	case r >= 10:
		return fmt.Sprintf("%.0f×", r)
	case r >= 2:
		return fmt.Sprintf("%.1f×", r)
	}
	return fmt.Sprintf("%.2f×", r)
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// verdict is the target of a case and whether the medians meet it (reported, not asserted).
func (c *caseResult) verdict() (target, result string) {
	seed, okS := c.ratio("seed", "filesync")
	expert, okE := c.ratio("expert", "filesync")
	switch c.id {
	case "a":
		target = "≥ 10× faster than (1), no slower than (2)"
		if okS && okE {
			result = fmt.Sprintf("%s (%s, %s)", mark(seed >= 10 && expert >= 1), times(seed, true), times(expert, true))
		}
	case "b", "c":
		target = "no slower than (2)"
		if okE {
			result = fmt.Sprintf("%s (%s)", mark(expert >= 1), times(expert, true))
		}
	case "d":
		target = "(3) ≤ 3.5 × one transfer"
		if r, ok := c.ratio("filesync", "ref"); ok {
			result = fmt.Sprintf("%s (%.2f ×)", mark(r <= 3.5), r)
		}
	case "e":
		target = "overhead ≤ 10 % over one rsync"
		if r, ok := c.ratio("push", "ref"); ok {
			result = fmt.Sprintf("%s (%+.0f %%)", mark(r <= 1.10), (r-1)*100)
		}
	}
	switch {
	case c.skip != "":
		result = "skipped: " + c.skip
	case c.err != "":
		result = "failed: " + firstLine(c.err)
	case result == "":
		result = "—"
	}
	return target, result
}

// writeCaseE writes case e's two rows: the one-way job (one rsync against `push`), which
// the target is about, and the two-way job (rsync there and back against `sync`).
func writeCaseE(w *strings.Builder, c *caseResult, target, result string) {
	fmt.Fprintf(w, "| %s, one way | — | — | %s | `push` %s | — | — | %s | %s |\n",
		c.title, refLabel(c.id)+cell(c, "ref"), cell(c, "push"), target, result)
	if _, ok := c.stat("filesync"); !ok {
		return
	}
	over := "—"
	if r, ok := c.ratio("filesync", "ref2"); ok {
		over = fmt.Sprintf("%s (%+.0f %%)", mark(r <= 1.10), (r-1)*100)
	}
	fmt.Fprintf(w, "| (e′) the same, both ways | — | — | `rsync -a` there, then back: %s | `sync` %s | — | — | the same over two rsyncs | %s |\n",
		cell(c, "ref2"), cell(c, "filesync"), over)
}

func refLabel(id string) string {
	switch id {
	case "d":
		return "one transfer: "
	case "e":
		return "one `rsync -a`: "
	}
	return ""
}

// report is the markdown: what ran, the table, the command lines, FileSync's rounds.
func (b *bench) report() string {
	var w strings.Builder
	o := b.o
	f := b.facts
	fmt.Fprintf(&w, "Measured %s on %s; load average %s at the start, %s at the end. ", f.date, f.machine, f.loadStart, f.loadEnd)
	fmt.Fprintf(&w, "Command: `%s`. Wall time of each contender, median of %d run(s)", f.command, o.runs)
	var other []string
	if o.slowRuns != o.runs {
		other = append(other, fmt.Sprintf("%d for cases c and d", o.slowRuns))
	}
	if o.eRuns != o.runs {
		other = append(other, fmt.Sprintf("%d for case e", o.eRuns))
	}
	if len(other) > 0 {
		fmt.Fprintf(&w, " (%s)", strings.Join(other, ", "))
	}
	w.WriteString(" with (min–max); ratios are of the medians, measured in the same invocation on the same fleet.\n\n")
	w.WriteString("| case | (1) the seed's loop | (2) expert: parallel + ControlMaster | reference | (3) FileSync | (1) ÷ (3) | (2) ÷ (3) | target | result |\n")
	w.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range b.results {
		target, result := c.verdict()
		ref := "—"
		if _, ok := c.stat("ref"); ok {
			ref = refLabel(c.id) + cell(c, "ref")
		}
		if c.id == "e" {
			writeCaseE(&w, c, target, result)
			continue
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.title, cell(c, "seed"), cell(c, "expert"), ref, cell(c, "filesync"),
			times(c.ratio("seed", "filesync")), times(c.ratio("expert", "filesync")), target, result)
	}
	w.WriteString("\n")
	for _, c := range b.results {
		if c.data != "" {
			fmt.Fprintf(&w, "- **%s** — %s.\n", c.id, c.data)
		}
		for _, n := range c.notes {
			fmt.Fprintf(&w, "- %s: %s\n", c.id, n)
		}
		if c.err != "" {
			fmt.Fprintf(&w, "- **%s failed**: `%s`\n", c.id, strings.ReplaceAll(tail(c.err, 900), "\n", " "))
		}
	}
	if o.plot != "" && b.o.docs != "" {
		rel, err := filepath.Rel(filepath.Dir(b.o.docs), o.plot)
		if err == nil {
			fmt.Fprintf(&w, "\n![How many times longer each contender takes than FileSync](%s)\n", filepath.ToSlash(rel))
		}
	}
	b.writeRounds(&w)
	b.writeCommands(&w)
	return strings.TrimRight(w.String(), "\n")
}

// writeRounds shows where FileSync's time went in its last run of each case: the plan's
// rounds with each transfer's duration (from its --json result).
func (b *bench) writeRounds(w *strings.Builder) {
	var any bool
	for _, c := range b.results {
		for _, key := range []string{"filesync", "push"} {
			runs := c.fileSync[key]
			if len(runs) == 0 {
				continue
			}
			if !any {
				w.WriteString("\n**Where FileSync's time goes** (its last run of each case, from `--json`: each round's transfers run at once; a round lasts as long as its slowest):\n\n")
				any = true
			}
			last := runs[len(runs)-1]
			wall := c.times[key][len(c.times[key])-1]
			fmt.Fprintf(w, "- %s `%s`: wall %s, engine %s", c.id, key, secs(wall), secs(time.Duration(last.res.DurationMS)*time.Millisecond))
			var inRounds time.Duration
			for i, round := range last.plan {
				var parts []string
				var longest time.Duration
				for _, step := range round {
					d, files := transferTime(last.res, step)
					longest = max(longest, d)
					parts = append(parts, fmt.Sprintf("%s→%s %.2f s/%d files", step[0], step[1], d.Seconds(), files))
				}
				inRounds += longest
				fmt.Fprintf(w, "; round %d: %s", i+1, strings.Join(parts, ", "))
			}
			rest := time.Duration(last.res.DurationMS)*time.Millisecond - inRounds
			fmt.Fprintf(w, " — rounds %s, the rest of the engine's time (probes, waits) %s, process start and database %s\n",
				secs(inRounds), secs(rest), secs(wall-time.Duration(last.res.DurationMS)*time.Millisecond))
		}
	}
}

func transferTime(res fileSyncJSON, step [2]string) (time.Duration, int64) {
	for _, t := range res.Transfers {
		if t.From == step[0] && t.To == step[1] {
			return time.Duration(t.DurationMS) * time.Millisecond, t.Files
		}
	}
	return 0, 0
}

var contenderNames = map[string]string{
	"seed": "(1) the seed's loop", "expert": "(2) expert", "filesync": "(3) FileSync", "push": "(3) FileSync push", "ref": "reference",
	"ref2": "reference, both ways",
}

func (b *bench) writeCommands(w *strings.Builder) {
	var any bool
	for _, c := range b.results {
		any = any || len(c.commands) > 0
	}
	if !any {
		return
	}
	w.WriteString("\n<details><summary>Exact command lines (first run; scripts in bench/)</summary>\n\n")
	shown := map[string]string{} // the scripts' command lines → the case that showed them
	for _, c := range b.results {
		if len(c.commands) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s\n\n```sh\n", c.title)
		for _, key := range []string{"ref", "ref2", "seed", "expert", "filesync", "push"} {
			lines, ok := c.commands[key]
			if !ok {
				continue
			}
			fmt.Fprintf(w, "# %s\n", contenderNames[key])
			same := strings.Join(lines, "\n")
			if first, ok := shown[same]; ok {
				fmt.Fprintf(w, "# the same commands as in (%s)\n", first)
				continue
			}
			shown[same] = c.id
			for _, l := range lines {
				fmt.Fprintln(w, l)
			}
			if runs := c.fileSync[key]; len(runs) > 0 && len(runs[0].res.Transfers) > 0 {
				fmt.Fprintf(w, "# which ran %d transfers; the first:\n%s\n", len(runs[0].res.Transfers), runs[0].res.Transfers[0].Command)
			}
		}
		w.WriteString("```\n\n")
	}
	w.WriteString("</details>\n")
}

// runFacts describe the machine and the run.
type runFacts struct {
	date, machine, command, loadStart, loadEnd string
}

func gatherFacts(b *bench) runFacts {
	f := runFacts{date: time.Now().Format("2006-01-02 15:04 MST"), loadStart: loadAverage()}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %d GiB", (kb+(1<<19))>>20)
		}
	}
	version := func(argv ...string) string {
		out, _ := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		return firstLine(string(out))
	}
	rsyncV := strings.TrimPrefix(strings.Fields(version("rsync", "--version") + " x x x")[2], "version ")
	sshV := strings.Fields(version("ssh", "-V") + " x")[0]
	f.machine = fmt.Sprintf("%d cores%s, rsync %s, %s", runtime.NumCPU(), mem, rsyncV, strings.TrimSuffix(sshV, ","))
	// the flags given, each once with its final value
	var args []string
	flag.Visit(func(fl *flag.Flag) {
		if fl.Value.String() == "true" {
			args = append(args, "-"+fl.Name)
		} else {
			args = append(args, "-"+fl.Name+" "+shellJoin([]string{fl.Value.String()}))
		}
	})
	f.command = strings.TrimSpace("bin/fleetbench " + strings.Join(args, " "))
	return f
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "?"
	}
	return strings.Join(fields[:3], " ")
}

// replaceSection puts report between the markers in path, or appends a section with them.
func replaceSection(path, report string) error {
	const start, end = "<!-- bench:start -->", "<!-- bench:end -->"
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(data)
	block := start + "\n" + report + "\n" + end
	i, j := strings.Index(text, start), strings.Index(text, end)
	if i >= 0 && j > i {
		text = text[:i] + block + text[j+len(end):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n## Fleet benchmark (issue 5)\n\n" + block + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// drawPlot draws, per case, how many times longer each contender took than FileSync.
func (b *bench) drawPlot(path string) error {
	if _, err := exec.LookPath("gnuplot"); err != nil {
		return fmt.Errorf("gnuplot is missing (package gnuplot-nox)")
	}
	var rows []string
	for _, c := range b.results {
		fs := "filesync"
		if c.id == "e" {
			fs = "push" // case e's target compares the one-way job
		}
		val := func(key string) string {
			r, ok := c.ratio(key, fs)
			if !ok {
				return "-"
			}
			return fmt.Sprintf("%.3f", r)
		}
		if _, ok := c.stat("filesync"); !ok {
			continue
		}
		rows = append(rows, fmt.Sprintf("\"(%s)\" %s %s %s", c.id, val("seed"), val("expert"), val("ref")))
	}
	if len(rows) == 0 {
		return fmt.Errorf("no case has results")
	}
	dat := filepath.Join(b.work, "ratios.dat")
	if err := os.WriteFile(dat, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	script := fmt.Sprintf(`set terminal pngcairo size 900,520 font "sans,11"
set output %q
set title "Wall time of each contender ÷ FileSync's (median; above 1: FileSync is faster)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [0.25:*]
set grid ytics
set ylabel "× FileSync's time"
set key below
set datafile missing "-"
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black"
plot %q using 2:xtic(1) title "(1) the seed's loop" lc rgb "#d62728", \
     '' using 3 title "(2) expert: parallel + ControlMaster" lc rgb "#1f77b4", \
     '' using 4 title "reference: one transfer (d), one rsync -a (e)" lc rgb "#7f7f7f", \
     '' using ($0-0.25):2:(sprintf("%%.1f", $2)) with labels offset 0,0.7 notitle, \
     '' using ($0):3:(sprintf("%%.1f", $3)) with labels offset 0,0.7 notitle, \
     '' using ($0+0.25):4:(sprintf("%%.2f", $4)) with labels offset 0,0.7 notitle
`, abs, dat)
	scriptPath := filepath.Join(b.work, "ratios.gp")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		return err
	}
	return b.run("gnuplot", scriptPath)
}

func newRNG(name string) *rand.ChaCha8 {
	var seed [32]byte
	copy(seed[:], name)
	return rand.NewChaCha8(seed)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func rateText(rate string) string {
	r := strings.ToLower(rate)
	if v, ok := strings.CutSuffix(r, "mbit"); ok {
		return v + " Mbit/s"
	}
	if v, ok := strings.CutSuffix(r, "gbit"); ok {
		return v + " Gbit/s"
	}
	return rate
}
