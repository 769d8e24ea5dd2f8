package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// computer is one line of a fleet.tsv written by bench/fleet.sh.
type computer struct {
	name, host string
	port       int
	root       string
	netns      string // "-" for a loopback computer
}

// fleet is a set of test computers started by bench/fleet.sh under dir.
type fleet struct {
	dir       string
	computers []computer
}

func (f *fleet) tsv() string { return filepath.Join(f.dir, "fleet.tsv") }

func readFleet(dir string) (*fleet, error) {
	file, err := os.Open(filepath.Join(dir, "fleet.tsv"))
	if err != nil {
		return nil, err
	}
	defer file.Close()
	f := &fleet{dir: dir}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 5 {
			return nil, fmt.Errorf("fleet.tsv: bad line %q", sc.Text())
		}
		port, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil, err
		}
		f.computers = append(f.computers, computer{parts[0], parts[1], port, parts[3], parts[4]})
	}
	return f, sc.Err()
}

// placeKey makes the fleet accept this run's key: fleet.sh generates a client key only
// when the folder has none.
func (b *bench) placeKey(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, suffix := range []string{"", ".pub"} {
		data, err := os.ReadFile(b.key + suffix)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "client_key"+suffix), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// startLoopback starts n sshd computers on FLEET_NET (127.0.0.0/8) under dir.
func (b *bench) startLoopback(dir string, n int, net string) (*fleet, error) {
	if err := b.placeKey(dir); err != nil {
		return nil, err
	}
	fleetSh := filepath.Join(b.repo, "bench", "fleet.sh")
	b.onCleanup(func() { _ = b.run(fleetSh, "stop", dir) })
	if err := b.runEnv([]string{"FLEET_NET=" + net}, fleetSh, "start", strconv.Itoa(n), dir); err != nil {
		return nil, err
	}
	return readFleet(dir)
}

// netnsLock is held while a run uses the namespaces, so two runs never share them.
const netnsLock = "/run/lock/filesync-bench-netns.lock"

// startNetns starts n computers in network namespaces; it returns why it cannot.
func (b *bench) startNetns(dir string, n int) (*fleet, error) {
	if err := netnsUsable(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(netnsLock), 0o755); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(netnsLock, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, errSkip("another benchmark run holds " + netnsLock + " and uses the namespaces")
	}
	b.onCleanup(func() { lock.Close() })
	if err := b.placeKey(dir); err != nil {
		return nil, err
	}
	fleetSh := filepath.Join(b.repo, "bench", "fleet.sh")
	// Whatever a crashed run left (we hold the lock, so no run is using it).
	if err := b.run(fleetSh, "netns-stop"); err != nil {
		return nil, err
	}
	b.onCleanup(func() {
		if err := b.run(fleetSh, "netns-stop", dir); err != nil {
			b.say("fleetbench: teardown: %v", err)
		}
	})
	if err := b.runEnv([]string{"FLEET_RATE=" + b.o.rate}, fleetSh, "netns-start", strconv.Itoa(n), dir); err != nil {
		return nil, errSkip("could not set up the namespaces: " + firstLine(err.Error()))
	}
	return readFleet(dir)
}

// netnsUsable says why this run cannot make network namespaces, if it cannot.
func netnsUsable() error {
	if os.Geteuid() != 0 {
		return errSkip("needs root: network namespaces, veth links and tc shaping need root (run make bench as root or with sudo)")
	}
	for _, tool := range []string{"ip", "tc"} {
		if _, err := exec.LookPath(tool); err != nil {
			return errSkip(tool + " is missing (package iproute2)")
		}
	}
	return nil
}

type skipError string

func (e skipError) Error() string { return string(e) }

func errSkip(reason string) error { return skipError(reason) }

func isSkip(err error) (string, bool) {
	var s skipError
	if errors.As(err, &s) {
		return string(s), true
	}
	return "", false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// startAgent runs an ssh-agent holding the key: FileSync forwards it for remote-to-remote
// transfers.
func (b *bench) startAgent() error {
	sock := filepath.Join(b.work, "agent.sock")
	out, err := b.output(nil, "ssh-agent", "-s", "-a", sock)
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`SSH_AGENT_PID=(\d+)`).FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("ssh-agent printed no pid: %s", out)
	}
	pid, _ := strconv.Atoi(string(m[1]))
	b.onCleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
	b.agentEnv = []string{"SSH_AUTH_SOCK=" + sock, "SSH_AGENT_PID=" + strconv.Itoa(pid)}
	return b.runEnv(b.agentEnv, "ssh-add", "-q", b.key)
}

// fileSync is one FileSync installation: its own database, cache and runtime folder.
type fileSync struct {
	b       *bench
	env     []string
	runtime string
	log     string
}

// newFileSync sets up FileSync's folders for one fleet; name keeps the runtime path short.
func (b *bench) newFileSync(name string) *fileSync {
	dir := filepath.Join(b.work, name, "filesync")
	runtime := filepath.Join(b.work, "rt-"+name)
	f := &fileSync{b: b, runtime: runtime, log: filepath.Join(dir, "cache", "filesync", "filesync.log")}
	f.env = []string{
		"FILESYNC_DB=" + filepath.Join(dir, "db", "filesync.db"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"FILESYNC_RUNTIME_DIR=" + runtime,
		"LANG=C.UTF-8",
	}
	b.onCleanup(func() { closeMasters(runtime) })
	return f
}

func (f *fileSync) cli(args ...string) error {
	env := append(append([]string{}, f.b.agentEnv...), f.env...)
	return f.b.runEnv(env, append([]string{f.b.bin}, args...)...)
}

// addComputers registers every computer of fl, pinning its host key.
func (f *fileSync) addComputers(fl *fleet) error {
	for _, c := range fl.computers {
		if err := f.cli("computer", "add", c.name, "--host", c.host, "--port", strconv.Itoa(c.port),
			"--user", currentUser(), "--root", c.root, "--identity", filepath.Join(fl.dir, "client_key"), "--trust"); err != nil {
			return err
		}
	}
	return nil
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		return "root"
	}
	return strings.TrimSpace(string(out))
}

// closeMasters ends every ssh ControlMaster whose socket is under dir, so the next run
// starts without open connections.
func closeMasters(dir string) {
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.Type()&os.ModeSocket == 0 {
			return nil
		}
		_ = exec.Command("ssh", "-o", "ControlPath="+path, "-O", "exit", "fleetbench").Run()
		_ = os.Remove(path)
		return nil
	})
}

// closeAllMasters closes the connections of every contender, FileSync's inner hops
// included: the test computers run as this user, so those sit under this home.
func (b *bench) closeAllMasters() {
	if home, err := os.UserHomeDir(); err == nil {
		closeMasters(filepath.Join(home, ".cache", "filesync", "hop"))
	}
	entries, _ := os.ReadDir(b.work)
	for _, e := range entries {
		if e.IsDir() && (strings.HasPrefix(e.Name(), "rt-") || strings.HasPrefix(e.Name(), "cm-")) {
			closeMasters(filepath.Join(b.work, e.Name()))
		}
	}
}
