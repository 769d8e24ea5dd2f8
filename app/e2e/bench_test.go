package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"filesync/sync/testfleet"
)

// benchFleet is 4 ssh computers × 2 projects (data and models folders each), with the same
// files everywhere, so every sync is a no-op: what remains is orchestration, ssh handshakes
// and rsync's file-list comparison.
func benchFleet(b *testing.B) *harness {
	b.Helper()
	f := testfleet.Start(b, 4)
	h := &harness{fleet: f}
	h.env = benchEnv(b, f)
	for _, c := range f.Computers {
		for _, p := range []string{"alpha", "beta"} {
			for _, dir := range []string{"data", "models"} {
				for i := 0; i < 50; i++ {
					writeB(b, c.Root, fmt.Sprintf("%s/%s/f%03d", dir, p, i), fmt.Sprintf("%s %s %d", dir, p, i))
				}
			}
		}
	}
	for _, c := range f.Computers {
		benchCLI(b, h.env, "computer", "add", c.Name, "--host", c.Host, "--port", fmt.Sprint(c.Port), "--user", f.User,
			"--root", c.Root, "--identity", f.ClientKey, "--trust")
	}
	benchCLI(b, h.env, "project", "add", "alpha")
	benchCLI(b, h.env, "project", "add", "beta")
	benchCLI(b, h.env, "sync")
	return h
}

// BenchmarkNoopSync_FileSync: `filesync sync` over the fleet.
func BenchmarkNoopSync_FileSync(b *testing.B) {
	h := benchFleet(b)
	b.ResetTimer()
	for b.Loop() {
		benchCLI(b, h.env, "sync")
	}
}

// BenchmarkNoopSync_SeedLoop: the seed's way — every computer pulls every folder from every
// other computer, one `rsync -vhru -e "ssh -p PORT -o StrictHostKeyChecking=no"` at a time,
// each with its own ssh handshake. All test computers share this machine's disk, so the
// pull "on" a computer runs here with that computer's root as the destination, as the seed
// ran it on the computer itself.
func BenchmarkNoopSync_SeedLoop(b *testing.B) {
	h := benchFleet(b)
	f := h.fleet
	b.ResetTimer()
	for b.Loop() {
		for _, dst := range f.Computers {
			for _, src := range f.Computers {
				if src == dst {
					continue
				}
				for _, folder := range []string{"data/alpha", "models/alpha", "data/beta", "models/beta"} {
					shell := fmt.Sprintf("ssh -p %d -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i %s", src.Port, f.ClientKey)
					cmd := exec.Command("rsync", "-vhru", "-e", shell,
						fmt.Sprintf("%s@%s:%s/%s/", f.User, src.Host, src.Root, folder),
						filepath.Join(dst.Root, folder)+"/", "--perms", "--chmod=777")
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("%v: %v\n%s", cmd.Args, err, out)
					}
				}
			}
		}
	}
}

func benchEnv(b *testing.B, f *testfleet.Fleet) []string {
	dir := b.TempDir()
	return append(f.Env(),
		"FILESYNC_DB="+filepath.Join(dir, "db", "filesync.db"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"FILESYNC_RUNTIME_DIR="+shortDir(b),
		"LANG=C.UTF-8")
}

func benchCLI(b *testing.B, env []string, args ...string) {
	b.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("filesync %v: %v\n%s", args, err, out)
	}
}

func writeB(b *testing.B, root, rel, content string) {
	b.Helper()
	write(b, root, rel, content, time.Now().Add(-time.Hour).Truncate(time.Second))
}
