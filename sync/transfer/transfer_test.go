package transfer

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/process"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
	"filesync/sync/testfiles"
)

const srcKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILjh2cFM731H/mTd5JpdgHAA0HxNXPFs/e9mKBZcmkLh"

var (
	srcPC = fleet.Computer{Name: "src", Host: "127.0.0.1", Port: 22, User: "alice", Root: "~/mlcomp",
		Identity: "/home/me/.ssh/id_src", HostKeys: srcKeys}
	dstPC = fleet.Computer{Name: "dst", Host: "dst.lab", Port: 2200, User: "bob", Root: "/srv/ml",
		Identity: "/home/me/.ssh/id_dst"}
	testEnv = Env{SSH: sshcmd.Config{KnownHostsFile: "/app/known_hosts", ControlDir: "/run/fs", ConnectTimeout: 7 * time.Second},
		StageDir: "/var/stage"}
	dataP = []folders.Folder{{Path: "data/P", Excludes: []string{"/data/P/tmp"}}}
)

func local(name, root string) fleet.Computer {
	return fleet.Computer{Name: name, Local: true, Root: root}
}

func TestFor_PicksExecutorByWhereEndsAre(t *testing.T) {
	remote := func(name string, relay bool) fleet.Computer {
		return fleet.Computer{Name: name, Host: name + ".lab", Port: 22, Relay: relay}
	}
	localRelay := local("l", "/x")
	localRelay.Relay = true
	cases := []struct {
		name     string
		from, to fleet.Computer
		want     string
	}{
		{"both local", local("a", "/a"), local("b", "/b"), "transfer.Local"},
		{"push from here", local("a", "/a"), remote("b", false), "transfer.Local"},
		{"pull to here", remote("a", false), local("b", "/b"), "transfer.Local"},
		{"local end wins over relay", localRelay, remote("b", true), "transfer.Local"},
		{"relay source, local destination", remote("a", true), local("b", "/b"), "transfer.Local"},
		{"source asks for relay", remote("a", true), remote("b", false), "transfer.Relay"},
		{"destination asks for relay", remote("a", false), remote("b", true), "transfer.Relay"},
		{"both remote", remote("a", false), remote("b", false), "transfer.RemotePull"},
	}
	withAgent := testEnv
	withAgent.Agent = true
	for _, tc := range cases {
		got := fmt.Sprintf("%T", For(Job{From: tc.from, To: tc.to}, withAgent))
		if got != tc.want {
			t.Errorf("%s: For = %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := fmt.Sprintf("%T", For(Job{From: remote("a", false), To: remote("b", false)}, testEnv)); got != "transfer.Relay" {
		t.Errorf("both remote without an ssh agent: For = %s, want transfer.Relay (the destination could not log in to the source)", got)
	}
}

func TestBWLimit_PicksTighterNonZeroLimit(t *testing.T) {
	cases := []struct{ a, b, want int }{
		{0, 0, 0}, {0, 500, 500}, {800, 0, 800}, {800, 500, 500}, {100, 900, 100}, {300, 300, 300},
	}
	for _, tc := range cases {
		a, b := fleet.Computer{BWLimitKBps: tc.a}, fleet.Computer{BWLimitKBps: tc.b}
		if got := BWLimit(a, b); got != tc.want {
			t.Errorf("BWLimit(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLocalRoot_ExpandsTildeAndCleans(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cases := map[string]string{
		"~":             home,
		"~/":            home,
		"~/mlcomp":      filepath.Join(home, "mlcomp"),
		"~/a/../b/":     filepath.Join(home, "b"),
		"/srv/ml/":      "/srv/ml",
		"/srv//ml/./x":  "/srv/ml/x",
		"/with space/x": "/with space/x",
	}
	for in, want := range cases {
		got, err := LocalRoot(in)
		if err != nil || got != want {
			t.Errorf("LocalRoot(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// rsh returns the value of argv's --rsh= flag and the ssh argv it holds (split on spaces:
// none of the values used here needs quoting).
func rsh(t *testing.T, argv []string) (string, []string) {
	t.Helper()
	var found []string
	for _, a := range argv {
		if v, ok := strings.CutPrefix(a, "--rsh="); ok {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		t.Fatalf("argv has %d --rsh flags: %q", len(found), argv)
	}
	return found[0], splitRsh(found[0])
}

// splitRsh splits an --rsh value as rsync does (main.c, do_cmd): on spaces outside quotes;
// single or double quotes group, and a doubled quote inside stands for itself.
// (sync/rsync's tests check RemoteShell against the real rsync.)
func splitRsh(s string) []string {
	var args []string
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		var arg []byte
		var quote byte
		for ; i < len(s) && (s[i] != ' ' || quote != 0); i++ {
			c := s[i]
			switch {
			case quote == 0 && (c == '\'' || c == '"'):
				quote = c
				continue
			case c == quote && i+1 < len(s) && s[i+1] == quote:
				i++
			case c == quote:
				quote = 0
				continue
			}
			arg = append(arg, c)
		}
		args = append(args, string(arg))
	}
	return args
}

// pathsOf returns what follows "--" in an rsync argv.
func pathsOf(t *testing.T, argv []string) []string {
	t.Helper()
	i := slices.Index(argv, "--")
	if argv[0] != "rsync" || i < 0 {
		t.Fatalf("not an rsync argv with --: %q", argv)
	}
	return argv[i+1:]
}

func TestLocal_CommandsPutSSHArgvInRsh(t *testing.T) {
	here := local("here", "/home/me/mlcomp/")
	spaced := srcPC
	spaced.Identity = "/home/me/my keys/id"
	cases := []struct {
		name      string
		from, to  fleet.Computer
		remote    fleet.Computer
		wantPaths []string
	}{
		{"pull", srcPC, here, srcPC, []string{"alice@127.0.0.1:mlcomp/./data/P", "/home/me/mlcomp/"}},
		{"push", here, dstPC, dstPC, []string{"/home/me/mlcomp/./data/P", "bob@dst.lab:/srv/ml/"}},
		{"identity with a space", spaced, here, spaced, []string{"alice@127.0.0.1:mlcomp/./data/P", "/home/me/mlcomp/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmds, err := Local{testEnv}.Commands(Job{From: tc.from, To: tc.to, Folders: dataP, Options: rsync.Options{BWLimitKBps: 100}})
			if err != nil {
				t.Fatal(err)
			}
			if len(cmds) != 1 {
				t.Fatalf("%d commands, want 1", len(cmds))
			}
			argv := cmds[0]
			if got := pathsOf(t, argv); !slices.Equal(got, tc.wantPaths) {
				t.Errorf("paths %q, want %q", got, tc.wantPaths)
			}
			value, _ := rsh(t, argv)
			want := rsync.RemoteShell(append([]string{"ssh"}, sshcmd.Options(tc.remote, testEnv.SSH)...))
			if value != want {
				t.Errorf("--rsh=%s\nwant --rsh=%s", value, want)
			}
			for _, part := range []string{"-i " + tc.remote.Identity, "HostKeyAlias=filesync-" + tc.remote.Name, "ControlMaster=auto"} {
				if tc.remote.Identity == spaced.Identity && strings.HasPrefix(part, "-i ") {
					part = "-i '" + spaced.Identity + "'"
				}
				if !strings.Contains(value, part) {
					t.Errorf("--rsh=%s lacks %s", value, part)
				}
			}
			for _, flag := range []string{"--bwlimit=100", "--exclude=/data/P/tmp"} {
				if !slices.Contains(argv, flag) {
					t.Errorf("argv lacks %s: %q", flag, argv)
				}
			}
		})
	}
}

func TestLocal_CommandsBothLocalHaveNoRemoteShell(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cmds, err := Local{testEnv}.Commands(Job{From: local("a", "~/a"), To: local("b", "/mnt/b"), Folders: dataP})
	if err != nil {
		t.Fatal(err)
	}
	if got := withPrefixes(cmds[0], "--rsh", "-e"); len(got) > 0 {
		t.Errorf("local transfer has a remote shell: %q", got)
	}
	want := []string{filepath.Join(home, "a") + "/./data/P", "/mnt/b/"}
	if got := pathsOf(t, cmds[0]); !slices.Equal(got, want) {
		t.Errorf("paths %q, want %q", got, want)
	}
}

func TestLocal_CommandsRefuseTwoRemoteEnds(t *testing.T) {
	if _, err := (Local{testEnv}).Commands(Job{From: srcPC, To: dstPC, Folders: dataP}); err == nil {
		t.Error("Local accepted a transfer between two remote computers")
	}
}

func withPrefixes(argv []string, prefixes ...string) []string {
	var out []string
	for _, a := range argv {
		for _, p := range prefixes {
			if strings.HasPrefix(a, p) {
				out = append(out, a)
			}
		}
	}
	return out
}

// unquote splits a remote command line as the remote login shell would (a real sh).
func unquote(t *testing.T, line string) []string {
	t.Helper()
	out, err := exec.Command("sh", "-c", `printf '%s\0' `+line).Output()
	if err != nil {
		t.Fatalf("sh could not split %q: %v", line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

var hopFilePattern = regexp.MustCompile(`^\.cache/filesync/hop/known_hosts-src-[0-9a-f]{12}$`)

// TestRemotePull_RunsOnDestinationWithPinnedInnerHop checks the one ssh command of a
// remote-to-remote transfer: ssh to the destination with the agent forwarded, running
// (after the remote shell splits the quoted line back) the hop script, then an rsync that
// pulls from the source through an inner ssh pinned to the source's keys.
func TestRemotePull_RunsOnDestinationWithPinnedInnerHop(t *testing.T) {
	job := Job{From: srcPC, To: dstPC, Folders: dataP, Options: rsync.Options{Mode: fleet.Mirror, RunVersions: "r9"}}
	cmds, err := RemotePull{testEnv}.Commands(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 1 {
		t.Fatalf("%d commands, want 1", len(cmds))
	}
	outer := cmds[0]
	head := append(append([]string{"ssh"}, sshcmd.Options(dstPC, testEnv.SSH)...), "-A", "--", "bob@dst.lab")
	if !slices.Equal(outer[:len(outer)-1], head) {
		t.Fatalf("outer ssh\n got %q\nwant %q", outer[:len(outer)-1], head)
	}
	if !slices.Contains(outer, "/home/me/.ssh/id_dst") {
		t.Errorf("the outer ssh should use the destination's identity: %q", outer)
	}

	inner := unquote(t, outer[len(outer)-1])
	if len(inner) < 7 || !slices.Equal(inner[:4], []string{"sh", "-c", hopScript, "filesync-hop"}) {
		t.Fatalf("remote command does not start with the hop script: %q", inner)
	}
	hop := inner[4]
	if !hopFilePattern.MatchString(hop) {
		t.Errorf("hop file %q does not match %s", hop, hopFilePattern)
	}
	if inner[5] != "1" {
		t.Errorf("the hop reads %s lines of keys, want 1 (one key pinned)", inner[5])
	}
	rsyncArgv := inner[6:]
	if got := pathsOf(t, rsyncArgv); !slices.Equal(got, []string{"alice@127.0.0.1:mlcomp/./data/P", "/srv/ml/"}) {
		t.Errorf("inner rsync paths %q", got)
	}
	for _, flag := range []string{"--delete", "--backup-dir=.filesync/versions/r9", "--exclude=/data/P/tmp"} {
		if !slices.Contains(rsyncArgv, flag) {
			t.Errorf("inner rsync lacks %s: %q", flag, rsyncArgv)
		}
	}

	value, innerSSH, opts := innerSSHOf(t, rsyncArgv)
	want := map[string]string{
		"StrictHostKeyChecking": "yes", "HostKeyAlias": "filesync-src", "GlobalKnownHostsFile": "/dev/null",
		"UserKnownHostsFile": "~/" + hop, "ConnectTimeout": "7", "BatchMode": "yes",
		"ControlMaster": "auto", "ControlPersist": "10",
	}
	for k, v := range want {
		if opts[k] != v {
			t.Errorf("inner ssh %s = %q, want %q (argv %q)", k, opts[k], v, innerSSH)
		}
	}
	// relative to the hop folder the wrapper runs ssh in: short whatever the home
	if !hopControlPattern.MatchString(opts["ControlPath"]) {
		t.Errorf("inner ssh ControlPath = %q, want a match of %s", opts["ControlPath"], hopControlPattern)
	}
	if _, ok := opts["IdentitiesOnly"]; ok {
		t.Errorf("inner ssh has IdentitiesOnly: %q", innerSSH)
	}
	if slices.Contains(innerSSH, "-i") || strings.Contains(value, "id_src") {
		t.Errorf("inner ssh names an identity file of this computer: %q", innerSSH)
	}
	if srcPC.Identity != "/home/me/.ssh/id_src" {
		t.Errorf("Commands changed the caller's computer")
	}
}

var hopControlPattern = regexp.MustCompile(`^cm-[0-9a-f]{8}-%C$`)

// innerSSHOf returns the inner hop's --rsh value, its ssh argv after the hop wrapper and
// its -o options.
func innerSSHOf(t *testing.T, rsyncArgv []string) (string, []string, map[string]string) {
	t.Helper()
	value, innerShell := rsh(t, rsyncArgv)
	if len(innerShell) < 5 || !slices.Equal(innerShell[:4], []string{"sh", "-c", hopSSH, "filesync-hop-ssh"}) {
		t.Fatalf("inner shell %q does not run ssh through the hop wrapper", innerShell)
	}
	innerSSH := innerShell[4:]
	opts := map[string]string{}
	for i := 0; i+1 < len(innerSSH); i++ {
		if innerSSH[i] == "-o" {
			k, v, _ := strings.Cut(innerSSH[i+1], "=")
			opts[k] = v
		}
	}
	return value, innerSSH, opts
}

// TestRemotePull_HopSocketPerDestination: two computers that share a home folder and a
// host name (containers, network namespaces) pulling from the same source must not share
// the inner hop's connection, or one's data would cross the other's link; one destination
// keeps one name, so its next run reuses the connection.
func TestRemotePull_HopSocketPerDestination(t *testing.T) {
	controlPath := func(to fleet.Computer) string {
		cmds, err := RemotePull{testEnv}.Commands(Job{From: srcPC, To: to, Folders: dataP})
		if err != nil {
			t.Fatal(err)
		}
		outer := cmds[0]
		inner := unquote(t, outer[len(outer)-1])
		_, _, opts := innerSSHOf(t, inner[5:])
		return opts["ControlPath"]
	}
	other := dstPC
	other.Name, other.Host = "dst2", "dst2.lab"
	first, again, second := controlPath(dstPC), controlPath(dstPC), controlPath(other)
	if first != again {
		t.Errorf("one destination, two socket names: %q and %q", first, again)
	}
	if first == second {
		t.Errorf("%s and %s share the hop socket %q", dstPC.Name, other.Name, first)
	}
}

func TestRemotePull_HopFileChangesWithSourceKeys(t *testing.T) {
	hopOf := func(from fleet.Computer) string {
		cmds, err := RemotePull{testEnv}.Commands(Job{From: from, To: dstPC, Folders: dataP})
		if err != nil {
			t.Fatal(err)
		}
		return unquote(t, cmds[0][len(cmds[0])-1])[4]
	}
	same := srcPC
	same.Identity = "/elsewhere"
	rekeyed := srcPC
	rekeyed.HostKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKeyOth"
	moved := srcPC
	moved.Host = "127.0.0.2"
	base := hopOf(srcPC)
	if hopOf(same) != base {
		t.Errorf("hop file changed with the identity")
	}
	if hopOf(rekeyed) == base || hopOf(moved) == base {
		t.Errorf("hop file did not change with the keys or the host")
	}
}

func TestRemotePull_InsecureSourceSkipsInnerHostKeyCheck(t *testing.T) {
	from := srcPC
	from.InsecureSkipHostKeyCheck = true
	cmds, err := RemotePull{testEnv}.Commands(Job{From: from, To: dstPC, Folders: dataP})
	if err != nil {
		t.Fatal(err)
	}
	value, _ := rsh(t, unquote(t, cmds[0][len(cmds[0])-1]))
	if !strings.Contains(value, "StrictHostKeyChecking=no") || strings.Contains(value, "StrictHostKeyChecking=yes") {
		t.Errorf("inner --rsh=%s", value)
	}
}

// TestRemotePull_HopScriptWritesKeysPrivatelyThenRunsCommand runs the hop script of a real
// Commands output here, with a command that prints the hop file and then the rest of its
// stdin in place of the rsync: the keys go to the file, the file list to the command.
func TestRemotePull_HopScriptWritesKeysPrivatelyThenRunsCommand(t *testing.T) {
	cmds, err := RemotePull{testEnv}.Commands(Job{From: srcPC, To: dstPC, Folders: dataP})
	if err != nil {
		t.Fatal(err)
	}
	inner := unquote(t, cmds[0][len(cmds[0])-1])
	hop := inner[4]
	home := t.TempDir()
	keys := "filesync-src " + srcKeys + "\n"
	list := "data/P/a\x00data/P/b c\x00"
	for round := 0; round < 2; round++ { // the second run replaces the file
		argv := append(slices.Clone(inner[:6]), "sh", "-c", `cat "$0"; echo ---; cat`, hop)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir, cmd.Stdin = home, strings.NewReader(keys+list)
		out, err := cmd.CombinedOutput()
		if want := keys + "---\n" + list; err != nil || string(out) != want {
			t.Fatalf("hop script: %v, output %q, want %q", err, out, want)
		}
	}
	info, err := os.Stat(filepath.Join(home, hop))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("hop file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(filepath.Join(home, hop)))
	if len(entries) != 1 {
		t.Errorf("leftovers next to the hop file: %v", entries)
	}
}

// TestRemotePull_HopSSHRunsSSHInTheHopFolder runs the inner --rsh as rsync would on the
// destination, with an "ssh" that prints where it runs and what it got: the relative
// ControlPath must resolve in the hop folder, and every argument must arrive unchanged.
func TestRemotePull_HopSSHRunsSSHInTheHopFolder(t *testing.T) {
	cmds, err := RemotePull{testEnv}.Commands(Job{From: srcPC, To: dstPC, Folders: dataP})
	if err != nil {
		t.Fatal(err)
	}
	_, shell := rsh(t, unquote(t, cmds[0][len(cmds[0])-1])[5:])
	home, bin := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, hopKnownHosts), 0o700); err != nil {
		t.Fatal(err)
	}
	fake := "#!/bin/sh\npwd\nprintf '%s\\n' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	added := []string{"alice@127.0.0.1", "rsync", "--server", "a b"} // what rsync appends
	cmd := exec.Command(shell[0], append(shell[1:], added...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "PATH="+bin+":"+os.Getenv("PATH"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hop ssh: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if want := filepath.Join(home, hopKnownHosts); lines[0] != want {
		t.Errorf("ssh ran in %s, want %s", lines[0], want)
	}
	if want := append(slices.Clone(shell[4:]), added...); !slices.Equal(lines[1:], want) {
		t.Errorf("ssh got\n %q\nwant\n %q", lines[1:], want)
	}
}

func TestRelay_CommandsStageThenSend(t *testing.T) {
	job := Job{From: srcPC, To: dstPC, Folders: dataP, Options: rsync.Options{RunVersions: "r3", DryRun: true}}
	cmds, err := Relay{testEnv}.Commands(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 2 {
		t.Fatalf("%d commands, want 2", len(cmds))
	}
	in, out := cmds[0], cmds[1]
	stage := "/var/stage/run-src-dst-0297aa59af22" // a stage of this job's own
	if got := pathsOf(t, in); !slices.Equal(got, []string{"alice@127.0.0.1:mlcomp/./data/P", stage + "/"}) {
		t.Errorf("into the stage: paths %q", got)
	}
	for _, flag := range []string{"--delete", "--delete-delay"} {
		if !slices.Contains(in, flag) {
			t.Errorf("into the stage lacks %s: %q", flag, in)
		}
	}
	// Staging is filled even in a dry run, and lists no changes: only the destination's
	// changes are reported (and counted by the mirror guard).
	if got := withPrefixes(in, "--backup", "--dry-run", "--update", "--itemize-changes"); len(got) > 0 {
		t.Errorf("into the stage has %q", got)
	}
	if v, _ := rsh(t, in); !strings.Contains(v, "HostKeyAlias=filesync-src") {
		t.Errorf("into the stage: --rsh=%s", v)
	}
	if got := pathsOf(t, out); !slices.Equal(got, []string{stage + "/./data/P", "bob@dst.lab:/srv/ml/"}) {
		t.Errorf("out of the stage: paths %q", got)
	}
	for _, flag := range []string{"--update", "--backup", "--backup-dir=.filesync/versions/r3", "--dry-run", "--itemize-changes"} {
		if !slices.Contains(out, flag) {
			t.Errorf("out of the stage lacks %s: %q", flag, out)
		}
	}
	if slices.Contains(out, "--delete") {
		t.Errorf("a merge out of the stage deletes: %q", out)
	}
	if v, _ := rsh(t, out); !strings.Contains(v, "HostKeyAlias=filesync-dst") {
		t.Errorf("out of the stage: --rsh=%s", v)
	}
	if job.Options.Mode != "" || job.Options.RunVersions != "r3" {
		t.Errorf("Commands changed the caller's job: %+v", job.Options)
	}

	// The mirror guard's dry run lists unchanged files (-ii) of the destination only.
	job.Options.ItemizeUnchanged = true
	cmds, err = Relay{testEnv}.Commands(job)
	if err != nil {
		t.Fatal(err)
	}
	if n, m := countOf(cmds[0], "--itemize-changes"), countOf(cmds[1], "--itemize-changes"); n != 0 || m != 2 {
		t.Errorf("--itemize-changes %d times into the stage, %d times out; want 0 and 2", n, m)
	}
}

func countOf(argv []string, s string) int {
	n := 0
	for _, a := range argv {
		if a == s {
			n++
		}
	}
	return n
}

type lines struct{ all []string }

func (l *lines) out(s process.Stream, line string) { l.all = append(l.all, string(s)+": "+line) }

func TestLocal_RunCopiesFoldersBetweenTempFolders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	testfiles.Write(t, filepath.Join(a, "data/P/x.txt"), "x")
	testfiles.Write(t, filepath.Join(a, "data/P/sub dir/y.txt"), "y")
	testfiles.Write(t, filepath.Join(a, "data/P/tmp/skip"), "excluded")
	job := Job{From: local("a", a), To: local("b", b), Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second}}
	var out lines
	code, err := For(job, Env{}).Run(context.Background(), job, out.out)
	if err != nil || code != 0 {
		t.Fatalf("Run = %d, %v\n%s", code, err, strings.Join(out.all, "\n"))
	}
	if testfiles.Read(t, filepath.Join(b, "data/P/x.txt")) != "x" || testfiles.Read(t, filepath.Join(b, "data/P/sub dir/y.txt")) != "y" {
		t.Errorf("files did not arrive")
	}
	if _, err := os.Stat(filepath.Join(b, "data/P/tmp")); err == nil {
		t.Errorf("excluded folder was copied")
	}
	if !slices.Contains(out.all, "stdout: >f+++++++++ data/P/x.txt") {
		t.Errorf("output lacks the itemized change:\n%s", strings.Join(out.all, "\n"))
	}
}

// TestLocal_RunSendsBigAndSmallFilesInOneRsync: files over 16 MiB (one with a newline, a
// backslash-hash and a non-ASCII letter in its name) arrive with the small ones in the one
// rsync the job shows, and, put in place, leave no partial folder behind; a partial file
// waiting in a source's .filesync-partial is never sent as data.
func TestLocal_RunSendsBigAndSmallFilesInOneRsync(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	big := strings.Repeat("b", 16<<20+1)
	names := []string{"data/P/ckpt one.pt", "data/P/sub/we\nird\\#123\u00e9.pt"}
	for _, n := range names {
		testfiles.Write(t, filepath.Join(a, n), big)
	}
	testfiles.Write(t, filepath.Join(a, "data/P/small.txt"), "s")
	testfiles.Write(t, filepath.Join(a, "data/P/"+rsync.PartialDir+"/half.pt"), "half")
	job := Job{From: local("a", a), To: local("b", b), Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second}}
	real, err := exec.LookPath("rsync")
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "calls")
	fakeProgram(t, "rsync", `echo "$*" >> '`+log+`'; exec '`+real+`' "$@"`+"\n")
	var out lines
	// LC_ALL=C: rsync escapes the non-ASCII bytes too
	code, err := For(job, Env{ProcEnv: append(os.Environ(), "LC_ALL=C")}).Run(context.Background(), job, out.out)
	if err != nil || code != 0 {
		t.Fatalf("Run = %d, %v\n%s", code, err, strings.Join(out.all, "\n"))
	}
	for _, n := range append(names, "data/P/small.txt") {
		if got, err := os.ReadFile(filepath.Join(b, n)); err != nil || len(got) != len(testfiles.Read(t, filepath.Join(a, n))) {
			t.Errorf("%q did not arrive whole: %v", n, err)
		}
	}
	for _, dir := range []string{"data/P", "data/P/sub"} {
		if _, err := os.Stat(filepath.Join(b, dir, rsync.PartialDir)); err == nil {
			t.Errorf("%s/%s is on the destination: the source's partial folder was copied, or the destination's left behind", dir, rsync.PartialDir)
		}
	}
	if calls := strings.Split(strings.TrimSpace(testfiles.Read(t, log)), "\n"); len(calls) != 1 {
		t.Errorf("rsync ran %d times, want once:\n%s", len(calls), strings.Join(calls, "\n"))
	}
}

// fakeSSH puts an "ssh" first on PATH that runs the remote rsync here, so that a job
// with a remote end runs as rsync runs against a remote computer (no --whole-file default,
// so a partial file is resumed, not sent again) without an sshd. It relies on
// --protect-args, which sends every path through the protocol, not on the command line.
func fakeSSH(t *testing.T) {
	fakeProgram(t, "ssh", `while [ "$1" != rsync ]; do shift; done; exec sh -c "$*"`+"\n")
}

// TestRun_InterruptedTransferLeavesNoFileUnderItsNameAndResumes stops a push half way
// through a big file: neither it nor a small file already sent is under its final name
// (both wait in the partial folder), and the next try sends only the rest of the big file
// (rsync matches the partial data) and puts both in place.
func TestRun_InterruptedTransferLeavesNoFileUnderItsNameAndResumes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	fakeSSH(t)
	big := strings.Repeat("0123456789abcdef", 1<<20) // 16 MiB
	testfiles.Write(t, filepath.Join(a, "data/P/big.pt"), big)
	testfiles.Write(t, filepath.Join(a, "data/P/a.txt"), "small")
	to := fleet.Computer{Name: "b", Host: "b.lab", Port: 22, User: "u", Root: b, InsecureSkipHostKeyCheck: true}
	job := Job{From: local("a", a), To: to, Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second, BWLimitKBps: 4096}}
	partial := filepath.Join(b, "data/P", rsync.PartialDir, "big.pt")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // stops the try once 4 MiB of the big file arrived
		defer cancel()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			tmp, _ := filepath.Glob(filepath.Join(b, "data/P/.big.pt.*"))
			if info, err := os.Stat(append(tmp, "")[0]); err == nil && info.Size() > 4<<20 {
				return
			}
		}
	}()
	var out lines
	if code, err := (Local{}).Run(ctx, job, out.out); err == nil {
		t.Fatalf("the interrupted try succeeded (exit %d):\n%s", code, strings.Join(out.all, "\n"))
	}
	for _, n := range []string{"data/P/big.pt", "data/P/a.txt"} {
		if _, err := os.Stat(filepath.Join(b, n)); err == nil {
			t.Errorf("%s is under its final name after the interrupted try", n)
		}
	}
	if info, err := os.Stat(partial); err != nil || info.Size() == 0 || info.Size() >= int64(len(big)) {
		t.Fatalf("partial file after the interrupted try: %v, %v; want part of %d bytes\n%s", info, err, len(big), strings.Join(out.all, "\n"))
	}

	job.Options.BWLimitKBps = 0
	out = lines{}
	if code, err := (Local{}).Run(context.Background(), job, out.out); err != nil || code != 0 {
		t.Fatalf("second try = %d, %v\n%s", code, err, strings.Join(out.all, "\n"))
	}
	var matched string
	for _, l := range out.all {
		if m, ok := strings.CutPrefix(l, "stdout: Matched data: "); ok {
			matched = m
		}
	}
	if matched == "" || strings.HasPrefix(matched, "0 ") {
		t.Errorf("the second try matched %q of the partial file, want its bytes:\n%s", matched, strings.Join(out.all, "\n"))
	}
	if testfiles.Read(t, filepath.Join(b, "data/P/big.pt")) != big || testfiles.Read(t, filepath.Join(b, "data/P/a.txt")) != "small" {
		t.Errorf("the files did not arrive whole")
	}
	if _, err := os.Stat(filepath.Dir(partial)); err == nil {
		t.Errorf("the partial folder is left after the files were put in place")
	}
}

// TestRun_PutsUpdatedFilesInPlaceTogether: a reader of the destination sees none of a
// checkpoint's new files or all of them, never some shards without the others: a poller
// reads the folder every 2 ms while a push of two shards over 16 MiB and two tiny files
// (".metadata" first in rsync's order) lasts about two seconds. rsync renames the files
// into place one after another at the end, so a look taken inside those microseconds may
// see part of them; a mix seen over 100 ms is files put in place as they arrive.
func TestRun_PutsUpdatedFilesInPlaceTogether(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	fakeSSH(t)
	shard := strings.Repeat("s", 16<<20+1)
	files := map[string]string{".metadata": "{}", "a.txt": "a", "shard-1.bin": shard, "shard-2.bin": shard}
	for n, content := range files {
		testfiles.Write(t, filepath.Join(a, "data/P", n), content)
	}
	to := fleet.Computer{Name: "b", Host: "b.lab", Port: 22, User: "u", Root: b, InsecureSkipHostKeyCheck: true}
	job := Job{From: local("a", a), To: to, Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second, BWLimitKBps: 16 << 10}}

	type look struct {
		at      time.Time
		present int
	}
	var looks []look
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			// one getdents of a small folder: a consistent view between two renames
			names, _ := os.ReadDir(filepath.Join(b, "data/P"))
			present := 0
			for _, e := range names {
				if _, ok := files[e.Name()]; ok {
					present++
				}
			}
			looks = append(looks, look{time.Now(), present})
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var out lines
	code, err := (Local{}).Run(context.Background(), job, out.out)
	took := time.Since(start)
	close(stop)
	<-stopped
	if err != nil || code != 0 {
		t.Fatalf("Run = %d, %v\n%s", code, err, strings.Join(out.all, "\n"))
	}
	if took < time.Second || looks[0].present != 0 || looks[len(looks)-1].present != len(files) {
		t.Fatalf("the poller did not see the transfer (%s, first look %d files, last %d): no proof either way",
			took, looks[0].present, looks[len(looks)-1].present)
	}
	var mixed []look
	for _, l := range looks {
		if l.present > 0 && l.present < len(files) {
			mixed = append(mixed, l)
		}
	}
	if len(mixed) > 0 && mixed[len(mixed)-1].at.Sub(mixed[0].at) > 100*time.Millisecond {
		t.Errorf("%d of %d looks over %s saw some of the %d new files but not all (the first saw %d, after %s): files were put in place as they arrived",
			len(mixed), len(looks), mixed[len(mixed)-1].at.Sub(mixed[0].at).Round(time.Millisecond), len(files), mixed[0].present,
			mixed[0].at.Sub(start).Round(time.Millisecond))
	}
	t.Logf("%d looks over %s, %d of them mixed", len(looks), took.Round(time.Millisecond), len(mixed))
}

// TestRelay_RunStagesThenSends runs a relay between two folders of this machine (the
// executor does not care that neither end is remote): the destination gets the files
// through a stage of the job's own, removed at its end; what an earlier version left in
// the stage folder never reaches the destination.
func TestRelay_RunStagesThenSends(t *testing.T) {
	a, b, stage := t.TempDir(), t.TempDir(), t.TempDir()
	testfiles.Write(t, filepath.Join(a, "data/P/x.txt"), "x")
	testfiles.Write(t, filepath.Join(stage, "a/data/P/stale.txt"), "left from an earlier run")
	job := Job{From: local("a", a), To: local("b", b), Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second}}
	var out lines
	code, err := Relay{Env{StageDir: stage}}.Run(context.Background(), job, out.out)
	if err != nil || code != 0 {
		t.Fatalf("Run = %d, %v\n%s", code, err, strings.Join(out.all, "\n"))
	}
	cmds, _ := Relay{Env{StageDir: stage}}.Commands(job)
	if testfiles.Read(t, filepath.Join(b, "data/P/x.txt")) != "x" || len(cmds) != 2 || !strings.HasPrefix(pathsOf(t, cmds[1])[0], stage+"/run-a-b-") {
		t.Errorf("files did not go through a stage of the job's own: %q", cmds)
	}
	if entries, _ := os.ReadDir(stage); len(entries) != 1 || entries[0].Name() != "a" {
		t.Errorf("the stage folder holds %v after the job, want only what was there before", entries)
	}
	if _, err := os.Stat(filepath.Join(b, "data/P/stale.txt")); err == nil {
		t.Errorf("a stale stage file reached the destination")
	}
	if onward := "onward: sending the stage on to b"; !slices.Contains(out.all, onward) {
		t.Errorf("output %q does not announce the second step %q", out.all, onward)
	}
}

// fakeProgram puts an executable script named name first on PATH for this test.
func fakeProgram(t *testing.T, name, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestRelay_RunStopsWhenStagingFails(t *testing.T) {
	log := filepath.Join(t.TempDir(), "calls")
	fakeProgram(t, "rsync", `echo "$*" >> '`+log+`'; echo "rsync error: fake failure (code 23)" >&2; exit 23`+"\n")
	job := Job{From: srcPC, To: dstPC, Folders: dataP, Options: rsync.Options{Timeout: 10 * time.Second}}
	var out lines
	code, err := Relay{Env{StageDir: t.TempDir()}}.Run(context.Background(), job, out.out)
	if err == nil || code != 23 {
		t.Fatalf("Run = %d, %v; want the staging rsync's exit 23", code, err)
	}
	calls := strings.Split(strings.TrimSpace(testfiles.Read(t, log)), "\n")
	if len(calls) != 1 || !strings.Contains(calls[0], "alice@127.0.0.1:mlcomp/./data/P") {
		t.Errorf("rsync ran %d times (%q); want only the staging step", len(calls), calls)
	}
	if !slices.Contains(out.all, "stderr: rsync error: fake failure (code 23)") {
		t.Errorf("output %q lacks rsync's error", out.all)
	}
}

// TestRemotePull_RunHandsPinnedKeysOnStdin runs RemotePull with a fake ssh that records
// its standard input: the hop script on the destination receives the source's pinned keys
// as known_hosts lines under the source's alias (nothing for an insecure source).
func TestRemotePull_RunHandsPinnedKeysOnStdin(t *testing.T) {
	cases := []struct {
		name     string
		insecure bool
		want     string
	}{
		{"pinned", false, "filesync-src " + srcKeys + "\n"},
		{"insecure", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdin := filepath.Join(t.TempDir(), "stdin")
			fakeProgram(t, "ssh", "cat > '"+stdin+"'\n")
			from := srcPC
			from.InsecureSkipHostKeyCheck = tc.insecure
			code, err := RemotePull{testEnv}.Run(context.Background(), Job{From: from, To: dstPC, Folders: dataP}, func(process.Stream, string) {})
			if err != nil || code != 0 {
				t.Fatalf("Run = %d, %v", code, err)
			}
			if got := testfiles.Read(t, stdin); got != tc.want {
				t.Errorf("ssh got stdin %q, want %q", got, tc.want)
			}
		})
	}
	from := srcPC
	from.HostKeys = "garbage"
	if _, err := (RemotePull{testEnv}).Run(context.Background(), Job{From: from, To: dstPC, Folders: dataP}, nil); err == nil {
		t.Errorf("unparsable pinned keys gave no error")
	}
}

func TestRemoveOldStages_RemovesOnlyStagesNotWrittenForADay(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	testfiles.Write(t, filepath.Join(dir, "c1/data/P/x"), "a copy an earlier version kept")
	testfiles.Write(t, filepath.Join(dir, "run-c1-c2-0123/data/P/x"), "a stage in use")
	if err := os.Chtimes(filepath.Join(dir, "c1"), now.Add(-48*time.Hour), now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := RemoveOldStages(dir, now); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "run-c1-c2-0123" {
		t.Errorf("left %v, want only the stage in use", entries)
	}
	if err := RemoveOldStages(filepath.Join(dir, "missing"), now); err != nil {
		t.Errorf("a missing stage folder: %v", err)
	}
}
