package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// plot is a chart of median wall times (bars: min to max) against the number of computers.
type plot struct {
	title string // first line; the dataset and machine follow
	key   string // where the key goes (gnuplot's set key)
	logY  bool   // a logarithmic time axis: equal ratios, equal gaps
	sizes []int
	lines []line
}

// line is one measurement's curve.
type line struct {
	title, colour string
	dashed        bool
	points        []stats // one per plot size
}

// statusPlot is status's plot: each measurement of each fleet size.
func statusPlot(o options, results []*sizeResult) plot {
	p := plot{title: "filesync status and its floor (one rsync --list-only per computer, all at once)", key: "top left"}
	colours := []string{"#d62728", "#ff9896", "#1f77b4", "#aec7e8"}
	for _, r := range results {
		p.sizes = append(p.sizes, r.k)
	}
	for i, m := range measurements {
		l := line{title: m, colour: colours[i]}
		for _, r := range results {
			l.points = append(l.points, r.wall(m))
		}
		p.lines = append(p.lines, l)
	}
	return p
}

// drawPlot draws p with gnuplot into the PNG at path.
func (b *bench) drawPlot(path string, p plot) error {
	if _, err := exec.LookPath("gnuplot"); err != nil {
		return fmt.Errorf("gnuplot is missing (package gnuplot-nox)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	var plots []string
	for i, l := range p.lines {
		dat := filepath.Join(b.work, fmt.Sprintf("scaling%d.dat", i))
		if err := os.WriteFile(dat, []byte(l.rows(p.sizes)), 0o644); err != nil {
			return err
		}
		dash := 1
		if l.dashed {
			dash = 2
		}
		plots = append(plots, fmt.Sprintf("%q using 1:2:3:4 with yerrorlines title %q lc rgb %q lw 2 dt %d pt 7", dat, l.title, l.colour, dash))
	}
	script := fmt.Sprintf(`set terminal pngcairo size 880,600 font "sans,11"
set output %q
set title "%s\n%d projects × %s files per computer, loopback sshd on %s; median, bars min–max"
set xlabel "computers"
set logscale x 2
set xrange [1.6:%d]
set xtics (%s)
%s
set grid
set key %s
plot %s
`, abs, p.title, b.o.projects, thousands(int64(b.o.files+b.o.large)), fmt.Sprintf("%d cores", runtime.NumCPU()),
		p.sizes[len(p.sizes)-1]*5/4, xtics(p.sizes), p.yAxis(), p.key, strings.Join(plots, ", \\\n     "))
	scriptPath := filepath.Join(b.work, "scaling.gp")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		return err
	}
	_, _, err = output(os.Environ(), "gnuplot", scriptPath)
	return err
}

func (p plot) yAxis() string {
	if p.logY {
		return "set ylabel \"wall time (s, log scale)\"\nset logscale y 2\nset ytics (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64)"
	}
	return "set ylabel \"wall time (s)\"\nset yrange [0:*]"
}

// rows are l's data for gnuplot: size, median, min, max.
func (l line) rows(sizes []int) string {
	var w strings.Builder
	for i, s := range l.points {
		fmt.Fprintf(&w, "%d %.3f %.3f %.3f\n", sizes[i], s.median, s.min, s.max)
	}
	return w.String()
}

func xtics(sizes []int) string {
	var t []string
	for _, k := range sizes {
		t = append(t, fmt.Sprint(k))
	}
	return strings.Join(t, ", ")
}
