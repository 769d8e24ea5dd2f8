package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// drawPlot draws, with gnuplot, each measurement's median wall time (bars: min to max)
// against the number of computers.
func (b *bench) drawPlot(path string, results []*sizeResult) error {
	if _, err := exec.LookPath("gnuplot"); err != nil {
		return fmt.Errorf("gnuplot is missing (package gnuplot-nox)")
	}
	var rows strings.Builder
	for _, r := range results {
		fmt.Fprintf(&rows, "%d", r.k)
		for _, m := range measurements {
			s := r.wall(m)
			fmt.Fprintf(&rows, " %.3f %.3f %.3f", s.median, s.min, s.max)
		}
		rows.WriteString("\n")
	}
	dat := filepath.Join(b.work, "scaling.dat")
	if err := os.WriteFile(dat, []byte(rows.String()), 0o644); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// columns: k, then median, min, max of each measurement in the order of measurements
	var plots []string
	colours := []string{"#d62728", "#ff9896", "#1f77b4", "#aec7e8"}
	for i, m := range measurements {
		c := 2 + 3*i
		plots = append(plots, fmt.Sprintf("%q using 1:%d:%d:%d with yerrorlines title %q lc rgb %q lw 2 pt 7", dat, c, c+1, c+2, m, colours[i]))
	}
	script := fmt.Sprintf(`set terminal pngcairo size 820,500 font "sans,11"
set output %q
set title "filesync status and its floor (one rsync --list-only per computer, all at once)\n%d projects × %s files per computer, loopback sshd on %s; median, bars min–max"
set xlabel "computers"
set ylabel "wall time (s)"
set logscale x 2
set xrange [1.6:%d]
set xtics (%s)
set grid
set key top left
plot %s
`, abs, b.o.projects, thousands(int64(b.o.files+b.o.large)), fmt.Sprintf("%d cores", runtime.NumCPU()),
		results[len(results)-1].k*5/4, xtics(results), strings.Join(plots, ", \\\n     "))
	scriptPath := filepath.Join(b.work, "scaling.gp")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		return err
	}
	_, _, err = output(os.Environ(), "gnuplot", scriptPath)
	return err
}

func xtics(results []*sizeResult) string {
	var t []string
	for _, r := range results {
		t = append(t, fmt.Sprint(r.k))
	}
	return strings.Join(t, ", ")
}
