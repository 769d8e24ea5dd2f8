package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filesync/sync/testfleet"
)

func TestComputerCheck_ReportsReachabilityRsyncWritableAndFreeSpace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	reports, r := h.check()
	if r.code != 0 {
		t.Fatalf("computer check --json: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, n := range h.names() {
		rep, ok := reports[n]
		switch {
		case !ok:
			t.Errorf("computer check does not report %s: %s", n, r.stdout)
		case rep.Status != "ok":
			t.Errorf("%s: status %q (%s), want ok", n, rep.Status, rep.Error)
		case !strings.HasPrefix(rep.RsyncVersion, "rsync"):
			t.Errorf("%s: rsync_version %q, want rsync's version line", n, rep.RsyncVersion)
		case !rep.Writable:
			t.Errorf("%s: root %s reported not writable", n, rep.Root)
		case rep.FreeBytes <= 0:
			t.Errorf("%s: free_bytes %d, want > 0", n, rep.FreeBytes)
		}
	}

	h.computer("c2").Stop(t)
	reports, r = h.check()
	if r.code != 1 {
		t.Fatalf("computer check --json with c2 stopped: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if c2 := reports["c2"]; c2.Status != "unreachable" || !strings.Contains(c2.Error, "c2") {
		t.Errorf("stopped c2: status %q, error %q; want unreachable with an error naming c2", c2.Status, c2.Error)
	}
	for _, n := range []string{"here", "c1"} {
		if rep := reports[n]; rep.Status != "ok" || !rep.Writable {
			t.Errorf("%s: status %q (%s), writable %v; want ok while c2 is down", n, rep.Status, rep.Error, rep.Writable)
		}
	}
}

type checkReport struct {
	Computer       string `json:"computer"`
	Status         string `json:"status"`
	Error          string `json:"error"`
	RsyncVersion   string `json:"rsync_version"`
	Root           string `json:"root"`
	RootExists     bool   `json:"root_exists"`
	Writable       bool   `json:"writable"`
	FreeBytes      int64  `json:"free_bytes"`
	SessionStartMS int64  `json:"session_start_ms"`
}

// check runs computer check --json and returns the reports by computer.
func (h *harness) check() (map[string]checkReport, result) {
	h.t.Helper()
	r := h.cli("computer", "check", "--json")
	var list []checkReport
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		h.t.Fatalf("computer check --json: exit %d, stdout is not a JSON list (%v):\n%s\nstderr:\n%s", r.code, err, r.stdout, r.stderr)
	}
	byName := map[string]checkReport{}
	for _, rep := range list {
		byName[rep.Computer] = rep
	}
	return byName, r
}

// TestComputerAdd_WithoutTrustShowsFingerprintAndSyncRefuses: trust on first use, step by step.
func TestComputerAdd_WithoutTrustShowsFingerprintAndSyncRefuses(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	c2 := h.computer("c2")
	want := c2.Fingerprint(t)
	h.ok("computer", "rm", "c2")
	r := h.ok("computer", "add", "c2", "--host", c2.Host, "--port", fmt.Sprint(c2.Port), "--user", h.fleet.User,
		"--root", c2.Root, "--identity", h.fleet.ClientKey)
	if !strings.Contains(r.stdout+r.stderr, want) {
		t.Errorf("computer add without --trust does not show c2's fingerprint %s\nstdout:\n%s\nstderr:\n%s", want, r.stdout, r.stderr)
	}
	if fp := h.listed(t, "c2").Fingerprint; fp != "" {
		t.Errorf("computer add without --trust pinned %s", fp)
	}

	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/secret", "for trusted computers only", t0)
	res, r := h.syncJSON("sync")
	if r.code != 1 {
		t.Errorf("sync with c2 untrusted: exit %d, want 1", r.code)
	}
	status, reason := computerStatus(res, "c2")
	if hint := computerHint(res, "c2"); status != "not trusted" || !strings.Contains(hint, "filesync computer trust c2") {
		t.Errorf("c2: status %q, reason %q, hint %q; want not trusted, telling to run filesync computer trust c2", status, reason, hint)
	}
	if files := tree(t, c2.Root); len(files) != 0 {
		t.Errorf("files were written to the untrusted computer: %v", files)
	}

	wrong := h.computer("c1").Fingerprint(t)
	r = h.cli("computer", "trust", "c2", "--fingerprint", wrong)
	if r.code != 1 {
		t.Errorf("computer trust c2 --fingerprint <c1's>: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if fp := h.listed(t, "c2").Fingerprint; fp != "" {
		t.Errorf("computer trust with the wrong fingerprint pinned %s", fp)
	}

	r = h.ok("computer", "trust", "c2")
	if !strings.Contains(r.stdout, want) {
		t.Errorf("computer trust c2 does not show the fingerprint %s:\n%s", want, r.stdout)
	}
	if fp := h.listed(t, "c2").Fingerprint; fp != want {
		t.Errorf("after computer trust c2, computer list shows fingerprint %q, want %s", fp, want)
	}
	h.ok("sync")
	assertHas(t, "c2", tree(t, c2.Root), "data/proj/secret", "for trusted computers only")
}

func computerHint(res runResult, name string) string {
	for _, c := range res.Computers {
		if c.Name == name {
			return c.Hint
		}
	}
	return ""
}

func computerStatus(res runResult, name string) (status, reason string) {
	for _, c := range res.Computers {
		if c.Name == name {
			return c.Status, c.Reason
		}
	}
	return "", ""
}

// TestImportEnv_RegistersThisComputer: mlcomp's .env registers this computer as local.
func TestImportEnv_RegistersThisComputer(t *testing.T) {
	t.Parallel()
	h := newBareHarness(t)
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	if err := os.WriteFile(env, []byte("IP=127.0.0.1\nPORT=2222\n# comment\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "root")
	h.ok("computer", "import-env", env, "--name", "me", "--root", root)
	me := h.listed(t, "me")
	if !me.Local || me.Root != root || !me.Enabled {
		t.Errorf("import-env registered %+v; want an enabled local computer with root %s", me, root)
	}

	noPort := filepath.Join(dir, "noport.env")
	if err := os.WriteFile(noPort, []byte("IP=127.0.0.1\n# PORT=2222\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := h.state()
	r := h.cli("computer", "import-env", noPort, "--name", "other", "--root", root)
	if r.code != 2 {
		t.Errorf("import-env of a .env without PORT: exit %d, want 2\nstderr:\n%s", r.code, r.stderr)
	}
	checkOneSentence(t, r.stderr, "PORT")
	if after := h.state(); after != before {
		t.Errorf("import-env of a .env without PORT changed the state:\n%s\nwas:\n%s", after, before)
	}
}

// TestRelay_StagesThroughThisComputer: transfers between c1 and a relayed c2 go through a
// stage folder here, as two rsync commands.
func TestRelay_StagesThroughThisComputer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c2", "--relay")
	if !h.listed(t, "c2").Relay {
		t.Fatalf("computer edit c2 --relay did not set relay")
	}
	write(t, h.root("c1"), "data/proj/one.txt", "from c1", t0)
	write(t, h.root("c2"), "models/proj/two.txt", "from c2", t0)
	r := h.ok("sync", "-v")
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/one.txt", "from c1")
		assertHas(t, n, files, "models/proj/two.txt", "from c2")
	}

	stage := filepath.Join(h.getenv("XDG_CACHE_HOME"), "filesync", "stage")
	relayed := 0
	for _, line := range strings.Split(r.stderr, "\n") {
		_, cmd, ok := strings.Cut(line, "$ ")
		if !ok || !strings.HasPrefix(line, "[c1 → c2] ") && !strings.HasPrefix(line, "[c2 → c1] ") {
			continue
		}
		parts := strings.Split(cmd, " && ")
		if len(parts) != 2 {
			t.Errorf("a transfer between c1 and the relayed c2 runs %d commands, want 2 (into the stage, out of it):\n%s", len(parts), line)
			continue
		}
		for _, p := range parts {
			if !strings.HasPrefix(p, "rsync ") || !strings.Contains(p, stage) {
				t.Errorf("relay step %q is not an rsync through the stage %s", p, stage)
			}
		}
		relayed++
	}
	if relayed == 0 {
		t.Errorf("the log shows no transfer between c1 and c2; stderr:\n%s", r.stderr)
	}
}

// TestRelay_SourceWithoutTheFoldersSendsNothingAndSucceeds: a relayed computer that has
// none of the project's folders yet has nothing to send; that is no error, as it is for a
// direct transfer (rsync --ignore-missing-args).
func TestRelay_SourceWithoutTheFoldersSendsNothingAndSucceeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("computer", "edit", "c2", "--relay")
	write(t, h.root("c1"), "data/proj/one.txt", "from c1", t0)
	res, r := h.syncJSON("sync")
	if r.code != 0 || res.Status != "ok" {
		t.Errorf("sync with an empty relayed c2: exit %d, status %q (%s)\nstderr:\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	for _, n := range h.names() {
		assertHas(t, n, tree(t, h.root(n)), "data/proj/one.txt", "from c1")
	}
}

// TestPush_SendsFromOneComputerToAllOthers: with more than three computers the push goes
// through a relay tree, and still every computer ends with the sender's files.
func TestPush_SendsFromOneComputerToAllOthers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 4)
	h.ok("project", "add", "proj")
	write(t, h.root("c2"), "data/proj/from-c2.txt", "pushed", t0)
	write(t, h.root("c2"), "models/proj/m.bin", "model", t0)
	write(t, h.root("c3"), "data/proj/only-c3.txt", "stays", t0)
	res, r := h.syncJSON("push", "--project", "proj", "--from", "c2")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("push --from c2: exit %d, status %q (%s)\nstderr:\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	for _, n := range h.names() {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/from-c2.txt", "pushed")
		assertHas(t, n, files, "models/proj/m.bin", "model")
	}
	assertHas(t, "c3", tree(t, h.root("c3")), "data/proj/only-c3.txt", "stays")

	before := h.state()
	r = h.cli("push")
	if r.code != 2 {
		t.Errorf("push without --project: exit %d, want 2\nstderr:\n%s", r.code, r.stderr)
	}
	checkOneSentence(t, r.stderr, "project")
	if after := h.state(); after != before {
		t.Errorf("push without --project changed the state:\n%s\nwas:\n%s", after, before)
	}
}

type historyRun struct {
	ID        uint   `json:"id"`
	Trigger   string `json:"trigger"`
	Status    string `json:"status"`
	Transfers []struct {
		From, To string
		Argv     string `json:"argv"`
		Command  string `json:"command"`
	} `json:"transfers"`
}

// TestHistory_RecordsRunsWithTransfers: a sync is listed in the history, and its details
// show each transfer's command line.
func TestHistory_RecordsRunsWithTransfers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	write(t, h.root("c1"), "data/proj/a.txt", "a", t0)
	r := h.ok("sync", "--json")
	var res struct {
		RunID uint `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.RunID == 0 {
		t.Fatalf("sync --json: no run_id (%v):\n%s", err, r.stdout)
	}

	var list []historyRun
	r = h.ok("history", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("history --json is not a JSON list (%v):\n%s", err, r.stdout)
	}
	found := false
	for _, run := range list {
		if run.ID == res.RunID {
			found = true
			if run.Trigger != "sync" || run.Status != "ok" {
				t.Errorf("run %d: trigger %q, status %q; want sync, ok", run.ID, run.Trigger, run.Status)
			}
		}
	}
	if !found {
		t.Fatalf("history --json does not list run %d:\n%s", res.RunID, r.stdout)
	}

	id := fmt.Sprint(res.RunID)
	r = h.ok("history", id)
	if !strings.Contains(r.stdout, "$ rsync ") {
		t.Errorf("history %s does not show the transfers' rsync command lines:\n%s", id, r.stdout)
	}
	var run historyRun
	r = h.ok("history", id, "--json")
	if err := json.Unmarshal([]byte(r.stdout), &run); err != nil {
		t.Fatalf("history %s --json is not a JSON object (%v):\n%s", id, err, r.stdout)
	}
	if run.ID != res.RunID || len(run.Transfers) == 0 {
		t.Fatalf("history %s --json: run %d with %d transfers; want run %s with its transfers:\n%s", id, run.ID, len(run.Transfers), id, r.stdout)
	}
	for _, tr := range run.Transfers {
		if cmd := tr.Argv + tr.Command; !strings.Contains(cmd, "rsync") {
			t.Errorf("transfer %s → %s: command line %q lacks rsync", tr.From, tr.To, cmd)
		}
	}
}

// TestMirror_RefusesToDeleteMoreThanHalfUnlessForced: the mirror guard stops a push that
// would delete most of a receiver's files, and --force lets it through.
func TestMirror_RefusesToDeleteMoreThanHalfUnlessForced(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj", "--mode", "mirror")
	write(t, h.root("here"), "data/proj/keep.txt", "the only file", t0)
	for i := range 10 {
		write(t, h.root("c1"), fmt.Sprintf("data/proj/old%02d.txt", i), "old", t0)
	}
	c1Before := under(tree(t, h.root("c1")), "data/proj/")

	r := h.cli("push", "--project", "proj", "--from", "here")
	if r.code != 1 {
		t.Errorf("mirror push deleting 10 of 10 files: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "mirror would delete") {
		t.Errorf("the refusal does not say \"mirror would delete\"\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	for rel := range c1Before {
		if _, ok := tree(t, h.root("c1"))[rel]; !ok {
			t.Errorf("c1 lost %s although the mirror was refused", rel)
		}
	}

	h.ok("push", "--project", "proj", "--from", "here", "--force")
	got, want := under(tree(t, h.root("c1")), "data/proj/"), under(tree(t, h.root("here")), "data/proj/")
	if !maps.Equal(got, want) {
		t.Errorf("after the forced mirror c1's data/proj holds %v, want exactly here's %v", got, want)
	}
}

// TestMirror_RelayedReceiverIsGuardedToo: the guard counts the receiver's files, not the
// relay stage's, so asking again (with the stage now filled) is refused just the same.
func TestMirror_RelayedReceiverIsGuardedToo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj", "--mode", "mirror")
	h.ok("computer", "edit", "c2", "--relay")
	for i := range 10 {
		write(t, h.root("c1"), fmt.Sprintf("data/proj/new%02d.txt", i), "new", t0)
		write(t, h.root("c2"), fmt.Sprintf("data/proj/old%02d.txt", i), "old", t0)
	}
	c2Before := tree(t, h.root("c2"))
	for try := 1; try <= 2; try++ {
		r := h.cli("push", "--project", "proj", "--from", "c1")
		if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "mirror would delete") {
			t.Errorf("mirror push %d deleting all 10 files of the relayed c2: exit %d, want 1 with \"mirror would delete\"\nstdout:\n%s\nstderr:\n%s",
				try, r.code, r.stdout, r.stderr)
		}
		if got := tree(t, h.root("c2")); !maps.Equal(got, c2Before) {
			t.Fatalf("after refused mirror push %d, c2 holds %v, was %v", try, got, c2Before)
		}
	}
}

// under keeps the files of a tree below the folder prefix (ending in "/").
func under(files map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		if strings.HasPrefix(k, prefix) {
			out[k] = v
		}
	}
	return out
}

// TestSync_ProjectAndComputerEditsApply: an added ignore entry and a disabled computer
// take effect on the next sync.
func TestSync_ProjectAndComputerEditsApply(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.ok("project", "add", "proj")
	h.ok("project", "edit", "proj", "--ignore", "[*.log]")
	write(t, h.root("c1"), "data/proj/run.log", "noise", t0)
	write(t, h.root("c1"), "data/proj/sub/deep.log", "noise", t0)
	write(t, h.root("c1"), "data/proj/result.txt", "kept", t0)
	h.ok("sync")
	for _, n := range []string{"here", "c2"} {
		files := tree(t, h.root(n))
		assertHas(t, n, files, "data/proj/result.txt", "kept")
		assertLacks(t, n, files, "data/proj/run.log")
		assertLacks(t, n, files, "data/proj/sub/deep.log")
	}

	h.ok("computer", "edit", "c2", "--enabled=false")
	if h.listed(t, "c2").Enabled {
		t.Fatalf("computer edit c2 --enabled=false left c2 enabled")
	}
	c2Before := tree(t, h.root("c2"))
	write(t, h.root("here"), "data/proj/after.txt", "new", t0.Add(time.Minute))
	write(t, h.root("c2"), "models/proj/c2-only.txt", "c2", t0)
	c2Before["models/proj/c2-only.txt"] = "c2"
	res, r := h.syncJSON("sync")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("sync with c2 disabled: exit %d, status %q (%s)\nstderr:\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	assertHas(t, "c1", tree(t, h.root("c1")), "data/proj/after.txt", "new")
	assertLacks(t, "c1", tree(t, h.root("c1")), "models/proj/c2-only.txt")
	if got := tree(t, h.root("c2")); !maps.Equal(got, c2Before) {
		t.Errorf("the disabled c2 changed: %v, was %v", got, c2Before)
	}
	for _, tr := range res.Transfers {
		if tr.From == "c2" || tr.To == "c2" {
			t.Errorf("a transfer %s → %s touches the disabled c2", tr.From, tr.To)
		}
	}
}

// --- helpers shared by the tests above and input_test.go ---

// newBareHarness is a harness without ssh computers and with no computer registered.
func newBareHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{t: t, fleet: &testfleet.Fleet{}, here: filepath.Join(dir, "here")}
	h.env = append(os.Environ(),
		"FILESYNC_DB="+filepath.Join(dir, "db", "filesync.db"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"FILESYNC_RUNTIME_DIR="+filepath.Join(dir, "rt"),
		"LANG=C.UTF-8")
	return h
}

// forTest is h reporting to t, for subtests.
func (h *harness) forTest(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// getenv is the value of name in the CLI's environment.
func (h *harness) getenv(name string) string {
	for i := len(h.env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(h.env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

// state is everything the CLI has stored: computers, projects and history, as JSON.
func (h *harness) state() string {
	h.t.Helper()
	var b strings.Builder
	for _, args := range [][]string{{"computer", "list", "--json"}, {"project", "list", "--json"}, {"history", "--json"}} {
		r := h.ok(args...)
		fmt.Fprintf(&b, "$ filesync %s\n%s\n", strings.Join(args, " "), r.stdout)
	}
	return b.String()
}

type listedComputer struct {
	Name        string `json:"name"`
	Host        string `json:"host"`
	HostName    string `json:"hostname"`
	Port        int    `json:"port"`
	User        string `json:"user"`
	Root        string `json:"root"`
	Local       bool   `json:"local"`
	Enabled     bool   `json:"enabled"`
	Relay       bool   `json:"relay"`
	Fingerprint string `json:"fingerprint"`
}

// listed is the named computer as computer list --json shows it.
func (h *harness) listed(t *testing.T, name string) listedComputer {
	t.Helper()
	r := h.ok("computer", "list", "--json")
	var list []listedComputer
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("computer list --json is not a JSON list (%v):\n%s", err, r.stdout)
	}
	for _, c := range list {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("computer list --json does not list %s:\n%s", name, r.stdout)
	return listedComputer{}
}

// snapshot is every root's tree.
func snapshot(t *testing.T, h *harness) map[string]map[string]string {
	t.Helper()
	s := map[string]map[string]string{}
	for _, n := range h.names() {
		s[n] = tree(t, h.root(n))
	}
	return s
}
