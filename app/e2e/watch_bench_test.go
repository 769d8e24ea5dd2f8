package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"filesync/sync/testfleet"
	"filesync/sync/watch"
)

// BenchmarkWatchLatency measures change-to-remote latency under "filesync watch": write a
// file on this computer, poll the two other computers' copies until both are complete,
// and write the next one a second after the last, as a user saving files would. It runs
// with computers whose shell starts at once ("clean") and with ones whose shell takes
// 0.5 s to start ("slow-shell"), as with conda or pyenv init in ~/.bashrc. Reports p50
// and p95 over the changes made (use -benchtime 20x).
func BenchmarkWatchLatency(b *testing.B) {
	for _, shell := range benchShells {
		for _, size := range []struct {
			name  string
			bytes int
		}{{"small", 1 << 10}, {"100MB", 100 << 20}} {
			b.Run(shell.name+"/"+size.name, func(b *testing.B) { benchWatch(b, size.bytes, shell.start) })
		}
	}
}

// benchShells are the computers' shell starts the watch benchmarks run with.
var benchShells = []struct {
	name  string
	start time.Duration
}{{"clean", 0}, {"slow-shell", 500 * time.Millisecond}}

// writeEvery is the spacing of the benchmark's writes.
const writeEvery = time.Second

// BenchmarkWatchFloor is what BenchmarkWatchLatency's small case cannot go below: the
// watch's quiet period, then one rsync per computer, in parallel, over ssh connections
// already open. Reports p50 and p95 (use -benchtime 20x).
func BenchmarkWatchFloor(b *testing.B) {
	for _, shell := range benchShells {
		b.Run(shell.name, func(b *testing.B) { benchFloor(b, shell.start) })
	}
}

func benchFloor(b *testing.B, shellStart time.Duration) {
	f := testfleet.Start(b, 2)
	controls := shortDir(b)
	shells := make([]string, len(f.Computers))
	for i, c := range f.Computers {
		c.SetShellStart(b, shellStart)
		shells[i] = fmt.Sprintf("ssh -p %d -i %s -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "+
			"-o LogLevel=ERROR -o ControlMaster=auto -o ControlPath=%s/cm-%%C -o ControlPersist=60", c.Port, f.ClientKey, controls)
		runB(b, "sh", "-c", shells[i]+" "+f.User+"@"+c.Host+" true")
	}
	here := b.TempDir()
	var latencies []time.Duration
	var last time.Time
	for i := 1; b.Loop(); i++ {
		time.Sleep(time.Until(last.Add(writeEvery)))
		name := fmt.Sprintf("change-%03d.bin", i)
		start := time.Now()
		last = start
		if err := writeAtomically(filepath.Join(here, name), bytes.Repeat([]byte("m"), 1<<10)); err != nil {
			b.Fatal(err)
		}
		time.Sleep(watch.DefaultQuiet)
		var wg sync.WaitGroup
		for j, c := range f.Computers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runB(b, "rsync", "-a", "-e", shells[j], filepath.Join(here, name), f.User+"@"+c.Host+":"+c.Root+"/")
			}()
		}
		wg.Wait()
		latencies = append(latencies, time.Since(start))
	}
	reportPercentiles(b, latencies)
}

// runB runs argv and fails b when it fails.
func runB(b *testing.B, argv ...string) {
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		b.Errorf("%v: %v\n%s", argv, err, out)
	}
}

func benchWatch(b *testing.B, size int, shellStart time.Duration) {
	f := testfleet.Start(b, 2)
	for _, c := range f.Computers {
		c.SetShellStart(b, shellStart)
	}
	env := benchEnv(b, f)
	here := filepath.Join(b.TempDir(), "here")
	benchCLI(b, env, "computer", "add", "here", "--local", "--root", here)
	for _, c := range f.Computers {
		benchCLI(b, env, "computer", "add", c.Name, "--host", c.Host, "--port", fmt.Sprint(c.Port), "--user", f.User,
			"--root", c.Root, "--identity", f.ClientKey, "--trust")
	}
	benchCLI(b, env, "project", "add", "proj", "--watch")
	startWatchProcess(b, env)
	content := bytes.Repeat([]byte("m"), size)
	var latencies []time.Duration
	i := 0
	var last time.Time
	sessions := sessionsStarted(f)
	for b.Loop() {
		i++
		time.Sleep(time.Until(last.Add(writeEvery)))
		name := fmt.Sprintf("data/proj/change-%03d.bin", i)
		copy(content, fmt.Sprintf("%08d", i))
		start := time.Now()
		last = start
		if err := writeAtomically(filepath.Join(here, name), content); err != nil {
			b.Fatal(err)
		}
		for _, c := range f.Computers {
			waitForCopy(b, filepath.Join(c.Root, name), int64(size))
		}
		latencies = append(latencies, time.Since(start))
	}
	b.ReportMetric(float64(sessionsStarted(f)-sessions)/float64(i), "sessions/write")
	reportPercentiles(b, latencies)
}

func reportPercentiles(b *testing.B, latencies []time.Duration) {
	slices.Sort(latencies)
	b.ReportMetric(percentile(latencies, 50).Seconds(), "p50-s")
	b.ReportMetric(percentile(latencies, 95).Seconds(), "p95-s")
}

// sessionsStarted counts the sessions every computer of f has started.
func sessionsStarted(f *testfleet.Fleet) int {
	n := 0
	for _, c := range f.Computers {
		n += c.SessionsStarted()
	}
	return n
}

// writeAtomically writes as training code usually does for checkpoints: a temporary name,
// then a rename.
func writeAtomically(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".part"
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func waitForCopy(b *testing.B, path string, size int64) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		if info, err := os.Stat(path); err == nil && info.Size() == size {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s never arrived", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, (len(sorted)*p+99)/100-1)]
}
