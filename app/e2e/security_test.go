package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filesync/sync/sshcmd"
	"filesync/sync/testfleet"
)

// The security tests: logins that must be refused, and the defaults that keep secrets,
// host keys and argv safe.

// TestSecurity_WrongUserIsRefused: a computer edited to log in as a user whose account
// cannot run commands (nobody) is refused with a message naming it, and gets nothing.
func TestSecurity_WrongUserIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/secret", "not for nobody", t0)
	h.ok("sync") // a working connection first: the refusal must not depend on there being none
	write(t, h.root("here"), "data/proj/secret2", "not for nobody either", t0)
	h.ok("computer", "edit", "c1", "--user", "nobody")

	res, r := h.runJSON("sync")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("sync as nobody: exit %d, status %q (%s); want 1, failed\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	status, reason := res.computer("c1")
	t.Logf("c1: %s: %s", status, reason)
	if status == "ok" || !strings.Contains(reason, "c1") || !strings.Contains(reason, "nobody") {
		t.Errorf("c1: status %q reason %q; want a refusal naming c1 and the user nobody", status, reason)
	}
	assertLacks(t, "c1", tree(t, h.root("c1")), "data/proj/secret2")
	if len(res.Transfers) != 0 {
		t.Errorf("transfers ran with a refused computer: %+v", res.Transfers)
	}
}

// TestSecurity_WrongKeyIsRefused: with no agent, a computer edited to log in with a key
// it does not authorize is refused — even right after a sync with the right key, while
// that sync's multiplexed connection is still open.
func TestSecurity_WrongKeyIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1)
	h.env = withoutEnv(h.env, "SSH_AUTH_SOCK", "SSH_AGENT_PID")
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/first", "with the right key", t0)
	h.ok("sync")
	assertHas(t, "c1", tree(t, h.root("c1")), "data/proj/first", "with the right key")

	stranger := testfleet.Keygen(t, t.TempDir(), "stranger", "not-authorized")
	h.ok("computer", "edit", "c1", "--identity", stranger)
	write(t, h.root("here"), "data/proj/second", "must not arrive", t0.Add(time.Minute))
	res, r := h.runJSON("sync")
	if r.code != 1 || res.Status != "failed" {
		t.Fatalf("sync with an unauthorized key: exit %d, status %q (%s); want 1, failed\n%s", r.code, res.Status, res.Summary, r.stderr)
	}
	status, reason := res.computer("c1")
	t.Logf("c1: %s: %s", status, reason)
	if status == "ok" || !strings.Contains(reason, "c1") || !strings.Contains(reason, "refused") {
		t.Errorf("c1: status %q reason %q; want a login refusal naming c1", status, reason)
	}
	assertLacks(t, "c1", tree(t, h.root("c1")), "data/proj/second")
}

// wrapperScript logs the parent's command name, then the program name and arguments, each
// NUL-terminated, as one record per process in $FS_ARGV_LOG/<pid>, then runs the real
// program. It uses only shell built-ins, so the wrappers start nothing of their own.
const wrapperScript = `#!/bin/sh
read -r parent < /proc/$PPID/comm || parent=unknown
{ printf '%%s\0' "$parent" "$PPID" %s "$@"; printf '\n'; } >> "$FS_ARGV_LOG/$$"
exec %s "$@"
`

// argvRecord is one program started while the wrappers were on PATH.
type argvRecord struct {
	pid, ppid int
	parent    string // command name of the process that started it
	argv      []string
}

// installRecorders puts recording wrappers for rsync, ssh and the shells first on PATH.
func installRecorders(t *testing.T, h *harness) (logDir string) {
	t.Helper()
	bin, logDir := t.TempDir(), t.TempDir()
	for name, real := range map[string]string{"rsync": "/usr/bin/rsync", "ssh": "/usr/bin/ssh",
		"sh": "/bin/sh", "bash": "/bin/bash", "dash": "/bin/dash"} {
		if _, err := os.Stat(real); err != nil {
			t.Fatalf("setup: %s: %v", real, err)
		}
		script := fmt.Sprintf(wrapperScript, name, real)
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := withoutEnv(h.env, "PATH", "FS_ARGV_LOG")
	h.env = append(env, "PATH="+bin+":"+os.Getenv("PATH"), "FS_ARGV_LOG="+logDir)
	return logDir
}

// readRecords reads every record the wrappers wrote.
func readRecords(t *testing.T, logDir string) []argvRecord {
	t.Helper()
	entries, err := os.ReadDir(logDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []argvRecord
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(logDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := strconv.Atoi(e.Name())
		for _, rec := range strings.Split(string(b), "\x00\n") {
			if rec == "" {
				continue
			}
			f := strings.Split(rec, "\x00")
			if len(f) < 3 {
				t.Fatalf("malformed argv record %q", rec)
			}
			ppid, _ := strconv.Atoi(f[1])
			out = append(out, argvRecord{pid: pid, ppid: ppid, parent: f[0], argv: f[2:]})
		}
	}
	return out
}

// TestSecurity_ArgvIsExactlyWhatIsShownAndNoShellRunsLocally: with recording wrappers for
// rsync, ssh and the shells first on PATH, a sync over three ssh computers, a local one
// whose root has "--delete" and "-rf" in it, and hostile project input shows that
//   - every rsync and ssh FileSync starts has exactly the argv its transfer shows, every
//     ssh rsync starts has exactly the argv in rsync's --rsh, and FileSync starts no shell
//     (besides those, it only probes computers, measures their free space, and asks
//     ssh -G, which connects nowhere, for its configuration);
//   - no path or name ever stands before "--" where it could be read as an option, and a
//     merge never passes --delete;
//   - --chmod appears only once the project asks for open permissions;
//   - known_hosts holds only the pinned filesync-<name> entries, and it and the database
//     are 0600 in 0700 folders.
func TestSecurity_ArgvIsExactlyWhatIsShownAndNoShellRunsLocally(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	logDir := installRecorders(t, h)
	h.ok("project", "add", "proj")
	dashRoot := filepath.Join(t.TempDir(), "--delete", "-rf")
	h.ok("computer", "add", "dash", "--local", "--root", dashRoot)
	for _, args := range [][]string{{"project", "add", "--", "-rf"}, {"project", "add", "p2", "--sync=--delete"}, {"project", "add", "p3", "--ignore=-rf"}} {
		if r := h.cli(args...); r.code != 2 {
			t.Errorf("filesync %q: exit %d, want 2 (refused)", args, r.code)
		}
	}
	write(t, h.root("c1"), "data/proj/-rf", "a file named -rf", t0)
	write(t, h.root("c2"), "data/proj/--delete", "a file named --delete", t0)
	write(t, h.root("here"), "models/proj/m.bin", "model", t0)
	big := strings.Repeat("x", 16<<20+1) // a checkpoint-sized file goes in the same, shown rsync
	write(t, h.root("c2"), "models/proj/--big.pt", big, t0)

	res, r := h.runJSON("sync", "-v")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("sync: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	for _, n := range append(h.names(), "dash") {
		root := dashRoot
		if n != "dash" {
			root = h.root(n)
		}
		files := tree(t, root)
		assertHas(t, n, files, "data/proj/-rf", "a file named -rf")
		assertHas(t, n, files, "data/proj/--delete", "a file named --delete")
		assertHas(t, n, files, "models/proj/--big.pt", big)
	}
	records := readRecords(t, logDir)
	checkArgv(t, res, listingsShown(r.stderr), records, false)
	transfers := 0
	for _, rec := range records {
		if rec.parent != "filesync" || rec.argv[0] != "rsync" ||
			!slices.ContainsFunc(rec.argv, func(a string) bool { return strings.HasPrefix(a, "--info=progress2") }) {
			continue
		}
		transfers++
		if !slices.Contains(rec.argv, "--delay-updates") {
			t.Errorf("a transfer does not put its files in place together (--delay-updates): %q", rec.argv)
		}
	}
	if transfers == 0 {
		t.Errorf("no transfer rsync was recorded")
	}

	// Open permissions only when asked for, and then shown like every other flag.
	if err := os.RemoveAll(logDir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.ok("project", "edit", "proj", "--open-permissions")
	write(t, h.root("here"), "models/proj/m2.bin", "model 2", t0)
	write(t, h.root("c1"), "data/proj/c1.txt", "from c1, pulled by c2", t0) // a sync sends only what changed
	res, r = h.runJSON("sync", "-v")
	if r.code != 0 || res.Status != "ok" {
		t.Fatalf("sync with open permissions: exit %d, %s\n%s", r.code, res.Summary, r.stderr)
	}
	checkArgv(t, res, listingsShown(r.stderr), readRecords(t, logDir), true)

	checkPrivateFiles(t, h)
}

// listingsShown are the listing commands the log shows ("$ rsync --list-only …"): after
// a complete sync, FileSync lists what every computer ended with.
func listingsShown(log string) []string {
	var cmds []string
	for _, line := range strings.Split(log, "\n") {
		if _, cmd, ok := strings.Cut(line, "$ "); ok && strings.HasPrefix(cmd, "rsync --list-only ") {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

// checkArgv checks the recorded programs against the transfers of res and the listings
// the log showed.
func checkArgv(t *testing.T, res detailedResult, listings []string, records []argvRecord, openPerms bool) {
	t.Helper()
	shown := map[string]bool{} // every command line the transfers and the log show
	for _, cmd := range listings {
		shown[cmd] = false
	}
	for _, tr := range res.Transfers {
		for _, cmd := range strings.Split(tr.Command, " && ") {
			shown[cmd] = false
		}
	}
	byPid := map[int]argvRecord{}
	for _, rec := range records {
		byPid[rec.pid] = rec
	}
	rsyncs, listed, pulls := 0, 0, 0
	for _, rec := range records {
		prog, argv := rec.argv[0], rec.argv
		switch {
		case prog == "sh" || prog == "bash" || prog == "dash":
			if rec.parent == "filesync" || rec.parent == "rsync" || rec.parent == "ssh" {
				t.Errorf("%s started a shell: %q", rec.parent, argv)
			}
		case rec.parent == "filesync" && prog == "ssh" && strings.Contains(argv[len(argv)-1], "filesync-probe"),
			rec.parent == "filesync" && prog == "ssh" && strings.Contains(argv[len(argv)-1], "filesync-space"):
			checkBeforeDashes(t, argv, 2) // a remote computer's probe or free-space measurement: one quoted command after "--"
		case rec.parent == "filesync" && slices.Equal(argv, []string{"rsync", "--version"}):
			// a local computer's probe
		case rec.parent == "filesync" && prog == "ssh" && slices.Contains(argv, "-G"):
			checkBeforeDashes(t, argv, 1) // ssh's configuration applied to a computer: connects nowhere
		case rec.parent == "filesync":
			line := sshcmd.Quote(argv)
			if _, ok := shown[line]; !ok {
				t.Errorf("FileSync ran a command no transfer shows:\n%s", line)
				continue
			}
			shown[line] = true
			if prog == "rsync" && slices.Contains(argv, "--list-only") {
				listed++
				checkListingArgv(t, argv)
			} else if prog == "rsync" {
				rsyncs++
				checkRsyncArgv(t, argv, openPerms)
			} else {
				pulls++
				checkBeforeDashes(t, argv, 2)
				if !slices.Contains(argv, "-A") {
					t.Errorf("a remote pull does not forward the agent: %q", argv)
				}
			}
		case rec.parent == "rsync" && prog == "ssh":
			parent, ok := byPid[rec.ppid]
			if !ok {
				t.Errorf("ssh started by an rsync that was not recorded: %q", argv)
				continue
			}
			want := rshWords(t, parent.argv)
			if len(argv) < len(want) || !slices.Equal(argv[:len(want)], want) {
				t.Errorf("rsync started ssh with %q, not with its --rsh %q", argv, want)
			}
		default:
			t.Errorf("unexpected program %q started by %s", argv, rec.parent)
		}
	}
	for line, ran := range shown {
		if !ran && strings.HasPrefix(line, "rsync ") || !ran && strings.HasPrefix(line, "ssh ") {
			t.Errorf("a transfer shows a command that never ran:\n%s", line)
		}
	}
	if rsyncs == 0 || listed == 0 || pulls == 0 {
		t.Errorf("recorded %d rsyncs, %d remote pulls and %d listings; the wrappers did not see all of FileSync's programs", rsyncs, pulls, listed)
	}
}

// checkListingArgv: a listing names its options before "--" and can write nothing.
func checkListingArgv(t *testing.T, argv []string) {
	t.Helper()
	sep := checkBeforeDashes(t, argv, -1)
	if !slices.Contains(argv[:max(sep, 0)], "--dry-run") || !strings.HasPrefix(argv[len(argv)-1], "/dev/null/") {
		t.Errorf("a listing could write: %q", argv)
	}
}

// checkRsyncArgv: options, then "--", then operands; never --delete in a merge; --chmod
// only with open permissions.
func checkRsyncArgv(t *testing.T, argv []string, openPerms bool) {
	t.Helper()
	sep := checkBeforeDashes(t, argv, -1)
	for _, a := range argv[:max(sep, 0)] {
		if a == "--delete" || strings.HasPrefix(a, "--delete-") {
			t.Errorf("a merge passes %s: %q", a, argv)
		}
	}
	hasChmod := slices.ContainsFunc(argv, func(a string) bool { return strings.HasPrefix(a, "--chmod") })
	if hasChmod != openPerms {
		t.Errorf("--chmod present %v, want %v (open permissions %v): %q", hasChmod, openPerms, openPerms, argv)
	}
}

// checkBeforeDashes wants a "--" with only options (and their values) before it, and
// operands after it (exactly want of them when want >= 0); it returns the index of "--".
func checkBeforeDashes(t *testing.T, argv []string, want int) int {
	t.Helper()
	sep := slices.Index(argv, "--")
	if sep < 0 {
		t.Errorf("no \"--\" before the operands: %q", argv)
		return -1
	}
	if want >= 0 && len(argv)-sep-1 != want {
		t.Errorf("%d operands after \"--\", want %d: %q", len(argv)-sep-1, want, argv)
	}
	takesValue := map[string]bool{"-p": true, "-o": true, "-i": true, "-F": true}
	for i := 1; i < sep; i++ {
		a := argv[i]
		switch {
		case takesValue[a]:
			i++ // its value
		case !strings.HasPrefix(a, "-") || a == "-rf" || a == "--delete":
			t.Errorf("argument %q stands before \"--\" as if it were an option: %q", a, argv)
		}
	}
	return sep
}

// rshWords splits the --rsh value of an rsync argv the way rsync does: on spaces, with
// single quotes in which a doubled quote is one quote.
func rshWords(t *testing.T, argv []string) []string {
	t.Helper()
	var rsh string
	for _, a := range argv {
		if v, ok := strings.CutPrefix(a, "--rsh="); ok {
			rsh = v
		}
	}
	if rsh == "" {
		t.Fatalf("rsync argv without --rsh: %q", argv)
	}
	var words []string
	var cur strings.Builder
	inQuote, inWord := false, false
	for i := 0; i < len(rsh); i++ {
		c := rsh[i]
		switch {
		case inQuote && c == '\'' && i+1 < len(rsh) && rsh[i+1] == '\'':
			cur.WriteByte('\'')
			i++
		case c == '\'':
			inQuote, inWord = !inQuote, true
		case c == ' ' && !inQuote:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// checkPrivateFiles: the database and known_hosts are 0600 in a 0700 folder, and
// known_hosts pins keys only under the filesync-<name> aliases of the ssh computers.
func checkPrivateFiles(t *testing.T, h *harness) {
	t.Helper()
	db := h.getenv("FILESYNC_DB")
	dir := filepath.Dir(db)
	knownHosts := filepath.Join(dir, "known_hosts")
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the database folder %s: %v, %v; want mode 0700", dir, fi.Mode().Perm(), err)
	}
	for _, p := range []string{db, knownHosts} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", p, fi.Mode().Perm(), err)
		}
	}
	b, err := os.ReadFile(knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		alias, _, _ := strings.Cut(line, " ")
		aliases[alias] = true
		if !strings.HasPrefix(alias, "filesync-c") {
			t.Errorf("known_hosts has an entry that is not a pinned filesync-<name> alias: %q", line)
		}
	}
	for _, c := range h.fleet.Computers {
		if !aliases["filesync-"+c.Name] {
			t.Errorf("known_hosts does not pin %s under filesync-%s:\n%s", c.Name, c.Name, b)
		}
	}
}

// TestSecurity_SecretsNeverLogged: the identity file's contents, a marked key comment,
// the agent socket's path and the environment never reach the log file, stderr or
// stdout — in successful syncs, a verbose one, a failing one, checks, tasks and history.
func TestSecurity_SecretsNeverLogged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	marker := "FSSECRET" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	key := testfleet.Keygen(t, t.TempDir(), "id_marked", marker+"-key-comment")
	h.fleet.Authorize(t, key+".pub")
	sockDir, err := os.MkdirTemp("", "fs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	sock := filepath.Join(sockDir, marker+".sock")
	if err := os.Symlink(h.fleet.AgentSock, sock); err != nil {
		t.Fatal(err)
	}
	env := withoutEnv(h.env, "SSH_AUTH_SOCK")
	h.env = append(env, "SSH_AUTH_SOCK="+sock, "FILESYNC_TEST_TOKEN="+marker+"-env-value")
	for _, c := range []string{"c1", "c2"} {
		h.ok("computer", "edit", c, "--identity", key)
	}
	h.ok("project", "add", "proj")
	write(t, h.root("here"), "data/proj/a", "a", t0)

	var outputs []string
	keep := func(r result) { outputs = append(outputs, r.stdout, r.stderr) }
	keep(h.ok("sync", "-v"))
	write(t, h.root("c1"), "data/proj/b", "b", t0)
	keep(h.ok("sync", "--json", "-v"))
	keep(h.ok("computer", "check"))
	keep(h.ok("run", "--project", "proj", "--computer", "c1", "-v", "--", "true"))
	h.computer("c2").Stop(t)
	keep(h.cli("sync", "-v"))
	keep(h.ok("history"))
	keep(h.ok("computer", "list", "--json"))
	logFile, err := os.ReadFile(filepath.Join(h.getenv("XDG_CACHE_HOME"), "filesync", "filesync.log"))
	if err != nil {
		t.Fatalf("the log file: %v", err)
	}
	outputs = append(outputs, string(logFile))
	if !strings.Contains(string(logFile), "$ rsync") {
		t.Fatalf("the log file does not hold the commands; is it the right file?\n%s", logFile)
	}

	secrets := []string{marker}
	keyText, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(keyText), "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	for _, out := range outputs {
		for _, s := range secrets {
			if i := strings.Index(out, s); i >= 0 {
				t.Errorf("a secret (%q) was logged: …%s…", s, out[max(0, i-80):min(len(out), i+len(s)+20)])
			}
		}
	}
}
