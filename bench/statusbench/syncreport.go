package main

import (
	"fmt"
	"strings"
	"time"
)

// syncGoal is issue 14's target: a no-op Sync all within 1.5 × the listing floor.
const syncGoal = 1.5

func shellName(d time.Duration) string {
	if d == 0 {
		return "clean shell"
	}
	return fmt.Sprintf("shell start %v", d)
}

// count is the median of some runs' integer measure, with its range when the runs differ.
func (r *sizeResult) count(m string, of func(sample) float64) string {
	s := summarize(r.values(m, of))
	if s.min == s.max {
		return fmt.Sprintf("%.0f", s.median)
	}
	return fmt.Sprintf("%.0f (%.0f–%.0f)", s.median, s.min, s.max)
}

func sessions(s sample) float64  { return float64(s.sessions) }
func transfers(s sample) float64 { return float64(s.transfers) }

// sentPerChanged is the median of the 1 % runs' bytes sent ÷ bytes changed.
func (r *sizeResult) sentPerChanged() float64 {
	return summarize(r.values(syncChange, func(s sample) float64 { return float64(s.bytes) / float64(s.changed) })).median
}

func (r *sizeResult) syncRatio(m string) string {
	q := r.wall(m).median / r.wall(floorList).median
	if m != syncNoop {
		return fmt.Sprintf("%.2f×", q)
	}
	verdict := "met"
	if q > syncGoal {
		verdict = "not met"
	}
	return fmt.Sprintf("**%.2f×** (%s)", q, verdict)
}

// syncReport is the markdown of -action sync: what ran, then a table per shell start.
func (b *bench) syncReport(f runFacts, runs []shellRun) string {
	var w strings.Builder
	o := b.o
	b.reportHead(&w, f)
	w.WriteString("; every computer a copy of its own, the same on all. ")
	fmt.Fprintf(&w, "Per run and fleet size, over the ssh masters an untimed listing round opened: a no-op `filesync sync --json`; the floor, the very `rsync --list-only` commands status runs, one per computer, all at once; one bare no-op `rsync -a` of c1's folders to c2; then 1 %% of the small files rewritten on c1 (every hundredth, new random contents and size, new time) and `filesync sync --json`. Wall time: median of %d runs (min–max). Goal: a no-op ≤ %.1f× the floor.\n\n", o.runs, syncGoal)
	for _, sr := range runs {
		fmt.Fprintf(&w, "**%s**:\n\n", shellName(sr.shell))
		w.WriteString("| computers | floor, listings | Sync all, no-op | no-op ÷ floor | rsync -a c1 → c2 | sessions, no-op / floor | transfers, no-op | CPU s, no-op / floor | Sync all, 1 % | 1 % ÷ floor | sessions, 1 % | transfers, 1 % | bytes sent ÷ changed | load (1 min) |\n")
		w.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range sr.results {
			fmt.Fprintf(&w, "| %d | %s | %s | %s | %s | %s / %s | %s | %.2f / %.2f | %s | %s | %s | %s | %.2f | %s |\n", r.k,
				secs(r.wall(floorList)), secs(r.wall(syncNoop)), r.syncRatio(syncNoop), secs(r.wall(floorCopy)),
				r.count(syncNoop, sessions), r.count(floorList, sessions), r.count(syncNoop, transfers),
				r.cpu(syncNoop).median, r.cpu(floorList).median,
				secs(r.wall(syncChange)), r.syncRatio(syncChange), r.count(syncChange, sessions), r.count(syncChange, transfers),
				r.sentPerChanged(), r.loadRange())
		}
		w.WriteString("\n")
	}
	fmt.Fprintf(&w, "Sessions are the \"Starting session\" lines the fleet's sshds logged during the run (one per command over a connection). CPU is GNU time's user + system seconds of the command and the children it waited for (the local rsyncs and their ssh), median. Bytes sent are the transfers' `bytes` in sync --json (rsync's \"Total transferred file size\"); bytes changed the 1 %% files' new sizes (%s per run): the ideal is N−1.", "about "+thousands(int64(o.projects*o.files/100*o.fileSize))+" B")
	return w.String()
}

// syncPlot draws the no-op and the 1 % Sync all and the listing floor, one dash per shell.
func syncPlot(runs []shellRun) plot {
	p := plot{title: "Sync all planned from the listings, and its floor (one rsync --list-only per computer, all at once)", key: "below maxrows 3", logY: true}
	for _, r := range runs[0].results {
		p.sizes = append(p.sizes, r.k)
	}
	colours := map[string]string{syncNoop: "#d62728", syncChange: "#2ca02c", floorList: "#1f77b4"}
	for i, sr := range runs {
		for _, m := range []string{syncNoop, syncChange, floorList} {
			l := line{title: m + ", " + shellName(sr.shell), colour: colours[m], dashed: i > 0}
			for _, r := range sr.results {
				l.points = append(l.points, r.wall(m))
			}
			p.lines = append(p.lines, l)
		}
	}
	return p
}
