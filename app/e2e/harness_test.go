package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/testfiles"
	"filesync/sync/testfleet"
)

// binary is the filesync command built once for the whole package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "filesync-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "filesync")
	build := exec.Command("go", "build", "-o", binary, "filesync")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "setup: go build filesync:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// harness is one test's world: a fleet of sshd computers, this machine as the local
// computer "here", and a private database, cache and runtime folder for the CLI.
type harness struct {
	t     *testing.T
	fleet *testfleet.Fleet
	here  string // root folder of the local computer
	env   []string
}

// newHarness starts n ssh computers and registers them and "here" with the CLI, trusting
// their host keys.
func newHarness(t *testing.T, n int) *harness {
	t.Helper()
	f := testfleet.Start(t, n)
	dir := t.TempDir()
	runtime := shortDir(t)
	h := &harness{t: t, fleet: f, here: filepath.Join(dir, "here")}
	h.env = append(f.Env(),
		"FILESYNC_DB="+filepath.Join(dir, "db", "filesync.db"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"FILESYNC_RUNTIME_DIR="+runtime,
		"LANG=C.UTF-8")
	h.ok("computer", "add", "here", "--local", "--root", h.here)
	for _, c := range f.Computers {
		h.ok("computer", "add", c.Name, "--host", c.Host, "--port", fmt.Sprint(c.Port), "--user", f.User,
			"--root", c.Root, "--identity", f.ClientKey, "--trust")
	}
	return h
}

// shortDir is a temporary folder with a short path: ssh control socket paths are limited
// to about 104 bytes, and t.TempDir() paths can be long.
func shortDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fsrt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// root is the root folder of the named computer.
func (h *harness) root(name string) string {
	if name == "here" {
		return h.here
	}
	return h.computer(name).Root
}

func (h *harness) computer(name string) *testfleet.Computer {
	for _, c := range h.fleet.Computers {
		if c.Name == name {
			return c
		}
	}
	h.t.Fatalf("no test computer %s", name)
	return nil
}

// names lists every computer of the harness.
func (h *harness) names() []string {
	names := []string{"here"}
	for _, c := range h.fleet.Computers {
		names = append(names, c.Name)
	}
	return names
}

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the filesync binary.
func (h *harness) cli(args ...string) result {
	h.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = h.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		h.t.Fatalf("run filesync %q: %v", args, err)
	}
	return result{out.String(), errOut.String(), code}
}

// ok runs the CLI and fails the test unless it exits 0.
func (h *harness) ok(args ...string) result {
	h.t.Helper()
	r := h.cli(args...)
	if r.code != 0 {
		h.t.Fatalf("filesync %s: exit %d\nstdout:\n%s\nstderr:\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr, h.sshdLogs())
	}
	return r
}

func (h *harness) sshdLogs() string {
	var b strings.Builder
	for _, c := range h.fleet.Computers {
		fmt.Fprintf(&b, "\n--- sshd %s log tail:\n%s", c.Name, c.LogTail())
	}
	return b.String()
}

// syncJSON runs a sync-like command with --json and decodes its result.
func (h *harness) syncJSON(args ...string) (runResult, result) {
	h.t.Helper()
	r := h.cli(append(args, "--json")...)
	var res runResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		h.t.Fatalf("filesync %q: exit %d, stdout is not JSON (%v):\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return res, r
}

type runResult struct {
	Status    string `json:"status"`
	Summary   string `json:"summary"`
	Files     int64  `json:"files"`
	Computers []struct {
		Name, Status, Reason, Hint string
	} `json:"computers"`
	Transfers []struct {
		From, To string
		Error    string
		Changes  []struct{ Code, Path string }
	} `json:"transfers"`
}

// write creates a file under root with content and modification time.
func write(t testing.TB, root, rel, content string, mtime time.Time) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	testfiles.Write(t, p, content)
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// tree lists every regular file under root (relative, slash-separated) with its content.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// withoutVersions drops FileSync's own folder from a tree.
func withoutVersions(files map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		if !strings.HasPrefix(k, ".filesync/") {
			out[k] = v
		}
	}
	return out
}

func assertHas(t *testing.T, computer string, files map[string]string, rel, want string) {
	t.Helper()
	got, ok := files[rel]
	switch {
	case !ok:
		t.Errorf("%s lacks %s", computer, rel)
	case got != want:
		t.Errorf("%s: %s holds %q, want %q", computer, rel, got, want)
	}
}

func assertLacks(t *testing.T, computer string, files map[string]string, rel string) {
	t.Helper()
	if _, ok := files[rel]; ok {
		t.Errorf("%s holds %s, which should not have been copied there", computer, rel)
	}
}
