package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/data"
)

// fileSync is one FileSync installation for one fleet size: its own database, cache and
// runtime folder (which holds its ssh masters' sockets).
type fileSync struct {
	bin     string
	env     []string
	db      string
	runtime string
}

func (b *bench) newFileSync(name string) *fileSync {
	dir := filepath.Join(b.work, "fs"+name)
	f := &fileSync{bin: b.bin, db: filepath.Join(dir, "db", "filesync.db"), runtime: filepath.Join(b.work, "rt"+name)}
	env := b.fleet.Env()
	if b.o.noAgent {
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "SSH_AUTH_SOCK=") })
	}
	f.env = append(env,
		"FILESYNC_DB="+f.db,
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"FILESYNC_RUNTIME_DIR="+f.runtime,
		"LANG=C.UTF-8")
	b.onCleanup(func() { closeMasters(f.runtime) })
	return f
}

// cli runs filesync with args and returns what it printed on stdout and stderr.
func (f *fileSync) cli(args ...string) (stdout, stderr []byte, err error) {
	return output(f.env, append([]string{f.bin}, args...)...)
}

// output runs argv and returns its output. Output goes through files, not pipes: an ssh
// master the command leaves behind must not hold them open.
func output(env []string, argv ...string) (stdout, stderr []byte, err error) {
	outFile, err := os.CreateTemp("", "statusbench-out")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(outFile.Name())
	defer outFile.Close()
	errFile, err := os.CreateTemp("", "statusbench-err")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(errFile.Name())
	defer errFile.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, outFile, errFile
	runErr := cmd.Run()
	stdout, _ = os.ReadFile(outFile.Name())
	stderr, _ = os.ReadFile(errFile.Name())
	if runErr != nil {
		return stdout, stderr, fmt.Errorf("%s: %w\n%s%s", strings.Join(argv, " "), runErr, tail(stdout), tail(stderr))
	}
	return stdout, stderr, nil
}

func tail(b []byte) string {
	if len(b) > 1500 {
		return "…" + string(b[len(b)-1500:])
	}
	return string(b)
}

// dbGrowth is what a Sync all added to a database that held only the fleet's settings.
type dbGrowth struct {
	before, after int64 // bytes of the database file (with its WAL), before and after
	listings      int   // agreed listings stored: one per computer and project
	paths         int   // the paths they hold
	blobBytes     int64 // their encoded bytes
	syncTook      time.Duration
}

// prepareSize sets up FileSync for the first k computers and runs a Sync all, measuring
// what it adds to the database; tag tells apart the installations of one size.
func (b *bench) prepareSize(k int, tag string) (*sizeResult, error) {
	say("statusbench: %d computers: adding them to a new database, then Sync all", k)
	f := b.newFileSync(fmt.Sprint(k) + tag)
	for _, c := range b.fleet.Computers[:k] {
		if _, _, err := f.cli("computer", "add", c.Name, "--host", c.Host, "--port", strconv.Itoa(c.Port),
			"--user", b.fleet.User, "--root", c.Root, "--identity", b.fleet.ClientKey, "--trust"); err != nil {
			return nil, err
		}
	}
	for i := range b.o.projects {
		if _, _, err := f.cli("project", "add", projectName(i)); err != nil {
			return nil, err
		}
	}
	// "computer add --trust" pins the key in the database only; status alone never
	// writes known_hosts, check does (and so does every run).
	if _, _, err := f.cli("computer", "check"); err != nil {
		return nil, err
	}
	r := &sizeResult{k: k, tag: tag, fs: f, runs: map[string][]sample{}}
	var err error
	if r.growth.before, err = dbSize(f.db); err != nil {
		return nil, err
	}
	start := time.Now()
	if _, _, err := f.cli("sync"); err != nil {
		return nil, err
	}
	r.growth.syncTook = time.Since(start)
	if r.growth.after, err = dbSize(f.db); err != nil {
		return nil, err
	}
	if err := r.growth.readAgreed(f.db); err != nil {
		return nil, err
	}
	if want := k * b.o.projects; r.growth.listings != want {
		return nil, fmt.Errorf("%d computers: Sync all stored %d agreed listings, want %d", k, r.growth.listings, want)
	}
	return r, nil
}

// dbSize is the database file's size with its write-ahead log, if any.
func dbSize(path string) (int64, error) {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		info, err := os.Stat(p)
		switch {
		case os.IsNotExist(err) && p != path:
			continue
		case err != nil:
			return 0, err
		}
		total += info.Size()
	}
	return total, nil
}

// readAgreed counts the agreed listings stored in the database at path.
func (g *dbGrowth) readAgreed(path string) error {
	log := logrus.New()
	log.SetOutput(io.Discard)
	store, err := data.Open(path, log)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := store.Agreed(nil)
	if err != nil {
		return err
	}
	for _, r := range rows {
		g.listings++
		g.paths += r.Files
		g.blobBytes += int64(len(r.Listing))
	}
	return nil
}

// closeMasters ends every ssh master whose socket is under dir, so that the next run
// starts without open connections.
func closeMasters(dir string) {
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.Type()&os.ModeSocket == 0 {
			return nil
		}
		_ = exec.Command("ssh", "-o", "ControlPath="+path, "-O", "exit", "statusbench").Run()
		_ = os.Remove(path)
		return nil
	})
}
