package sshcmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filesync/sync/fleet"
)

var gpu1 = fleet.Computer{Name: "gpu1", Host: "127.0.0.5", Port: 2222, User: "alice", Root: "~/mlcomp"}

var baseConfig = Config{KnownHostsFile: "/home/me/.config/filesync/known_hosts", ConnectTimeout: 10 * time.Second}

// sshOptions collects the -o options of an ssh argv (name → values, in order) and fails
// on any -o whose value is not name=value.
func sshOptions(t *testing.T, argv []string) map[string][]string {
	t.Helper()
	opts := map[string][]string{}
	for i := 0; i < len(argv); i++ {
		if argv[i] != "-o" {
			continue
		}
		if i+1 == len(argv) {
			t.Fatalf("-o without a value at the end of %q", argv)
		}
		name, value, ok := strings.Cut(argv[i+1], "=")
		if !ok {
			t.Fatalf("-o %q is not name=value", argv[i+1])
		}
		opts[name] = append(opts[name], value)
		i++
	}
	return opts
}

// flagValue returns the argument after flag (e.g. -p, -i), or "" when flag is absent.
func flagValue(argv []string, flag string) string {
	i := slices.Index(argv, flag)
	if i < 0 || i+1 >= len(argv) {
		return ""
	}
	return argv[i+1]
}

func TestOptions_BatchModeTimeoutsAndKeepAlives(t *testing.T) {
	cases := []struct {
		name    string
		timeout time.Duration
		want    string
	}{
		{"configured", 10 * time.Second, "10"},
		{"rounded down", 7900 * time.Millisecond, "7"},
		{"zero becomes one", 0, "1"},
		{"below a second becomes one", 300 * time.Millisecond, "1"},
		{"negative becomes one", -time.Second, "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig
			cfg.ConnectTimeout = tc.timeout
			argv := Options(gpu1, cfg)
			opts := sshOptions(t, argv)
			want := map[string]string{
				"BatchMode": "yes", "ConnectTimeout": tc.want,
				"ServerAliveInterval": "15", "ServerAliveCountMax": "3",
			}
			for name, value := range want {
				if got := opts[name]; !slices.Equal(got, []string{value}) {
					t.Errorf("%s = %q, want [%s]", name, got, value)
				}
			}
			if got := flagValue(argv, "-p"); got != "2222" {
				t.Errorf("-p %q, want 2222", got)
			}
		})
	}
}

func TestOptions_PinsHostKeysUnderComputerAlias(t *testing.T) {
	opts := sshOptions(t, Options(gpu1, baseConfig))
	want := map[string]string{
		"StrictHostKeyChecking": "yes",
		"UserKnownHostsFile":    baseConfig.KnownHostsFile,
		"GlobalKnownHostsFile":  "/dev/null",
		"HostKeyAlias":          "filesync-gpu1",
		"CheckHostIP":           "no",
	}
	for name, value := range want {
		if got := opts[name]; !slices.Equal(got, []string{value}) {
			t.Errorf("%s = %q, want [%s]", name, got, value)
		}
	}
}

func TestOptions_InsecureSwitchSkipsHostKeyCheck(t *testing.T) {
	c := gpu1
	c.InsecureSkipHostKeyCheck = true
	opts := sshOptions(t, Options(c, baseConfig))
	if got := opts["StrictHostKeyChecking"]; !slices.Equal(got, []string{"no"}) {
		t.Errorf("StrictHostKeyChecking = %q, want [no]", got)
	}
	if got := opts["UserKnownHostsFile"]; !slices.Equal(got, []string{"/dev/null"}) {
		t.Errorf("UserKnownHostsFile = %q, want [/dev/null] (never write the seed's keys anywhere)", got)
	}
	if _, ok := opts["HostKeyAlias"]; ok {
		t.Errorf("insecure computer still has HostKeyAlias: %q", opts["HostKeyAlias"])
	}
}

func TestOptions_MultiplexingOnlyWithControlDir(t *testing.T) {
	cfg := baseConfig
	cfg.ControlDir = "/run/user/1000/filesync"
	opts := sshOptions(t, Options(gpu1, cfg))
	want := map[string]string{
		"ControlMaster":  "auto",
		"ControlPath":    "/run/user/1000/filesync/cm-%C",
		"ControlPersist": "60",
	}
	for name, value := range want {
		if got := opts[name]; !slices.Equal(got, []string{value}) {
			t.Errorf("%s = %q, want [%s]", name, got, value)
		}
	}
	opts = sshOptions(t, Options(gpu1, baseConfig))
	for name := range want {
		if got, ok := opts[name]; ok {
			t.Errorf("without ControlDir: %s = %q, want absent", name, got)
		}
	}
}

func TestOptions_IdentityOnlyWhenSet(t *testing.T) {
	c := gpu1
	c.Identity = "/home/me/.ssh/id_fleet"
	argv := Options(c, baseConfig)
	if got := flagValue(argv, "-i"); got != c.Identity {
		t.Errorf("-i %q, want %s", got, c.Identity)
	}
	if got := sshOptions(t, argv)["IdentitiesOnly"]; !slices.Equal(got, []string{"yes"}) {
		t.Errorf("IdentitiesOnly = %q, want [yes]", got)
	}
	argv = Options(gpu1, baseConfig)
	if slices.Contains(argv, "-i") {
		t.Errorf("no identity set, but argv has -i: %q", argv)
	}
	if _, ok := sshOptions(t, argv)["IdentitiesOnly"]; ok {
		t.Errorf("no identity set, but IdentitiesOnly given: %q", argv)
	}
}

// TestOptions_AcceptedByRealSSH asks the installed OpenSSH client to evaluate the options
// (ssh -G connects nowhere): every option is known to it and lands as intended.
func TestOptions_AcceptedByRealSSH(t *testing.T) {
	c := gpu1
	c.Identity = filepath.Join(t.TempDir(), "id_fleet") // ssh -G drops -i of a missing file
	if err := os.WriteFile(c.Identity, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := baseConfig
	cfg.ControlDir = t.TempDir()
	argv := append([]string{"-G"}, Options(c, cfg)...)
	argv = append(argv, "--", Destination(c))
	out, err := exec.Command("ssh", argv...).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh %q: %v\n%s", argv, err, out)
	}
	got := map[string]string{}
	var identities []string
	for _, line := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(line, " ")
		if k == "identityfile" {
			identities = append(identities, v)
		}
		if _, seen := got[k]; !seen {
			got[k] = v
		}
	}
	if !slices.Contains(identities, c.Identity) {
		t.Errorf("ssh -G: identity files %q lack %s", identities, c.Identity)
	}
	want := map[string]string{
		"user": "alice", "hostname": "127.0.0.5", "port": "2222",
		"batchmode": "yes", "connecttimeout": "10",
		"serveraliveinterval": "15", "serveralivecountmax": "3",
		"stricthostkeychecking": "true", "hostkeyalias": "filesync-gpu1",
		"userknownhostsfile": baseConfig.KnownHostsFile, "globalknownhostsfile": "/dev/null",
		"controlmaster": "auto", "controlpersist": "60",
		"identitiesonly": "yes",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("ssh -G: %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestDestination_UserAtHostOrHostAlone(t *testing.T) {
	cases := []struct {
		c    fleet.Computer
		want string
	}{
		{fleet.Computer{User: "alice", Host: "gpu1.lab"}, "alice@gpu1.lab"},
		{fleet.Computer{Host: "myalias"}, "myalias"},
		{fleet.Computer{User: "bob", Host: "fe80::1"}, "bob@fe80::1"},
	}
	for _, tc := range cases {
		if got := Destination(tc.c); got != tc.want {
			t.Errorf("Destination(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestCommand_QuotesRemoteArgvAfterDoubleDash(t *testing.T) {
	cases := []struct {
		name   string
		agent  bool
		remote []string
		want   string // the last argument: the remote command line
	}{
		{"plain", false, []string{"rsync", "--version"}, "rsync --version"},
		{"space", false, []string{"echo", "a b"}, "echo 'a b'"},
		{"hostile", true, []string{"sh", "-c", `mkdir -p -- "$1"`, "x", "it's; rm -rf ~"},
			`sh -c 'mkdir -p -- "$1"' x 'it'\''s; rm -rf ~'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			argv := Command(gpu1, baseConfig, tc.agent, tc.remote)
			opts := Options(gpu1, baseConfig)
			if argv[0] != "ssh" || !slices.Equal(argv[1:1+len(opts)], opts) {
				t.Fatalf("argv does not start with ssh and Options: %q", argv)
			}
			rest := argv[1+len(opts):]
			agentFlag := "-a"
			if tc.agent {
				agentFlag = "-A"
			}
			want := []string{agentFlag, "--", "alice@127.0.0.5", tc.want}
			if !slices.Equal(rest, want) {
				t.Errorf("argv ends with %q, want %q", rest, want)
			}
			if got := argv[len(argv)-1]; got != Quote(tc.remote) {
				t.Errorf("remote command %q is not Quote(remote) %q", got, Quote(tc.remote))
			}
		})
	}
}

// TestCommand_DestinationNeverReadAsOption: a host that looks like an option stays the
// destination, because it follows "--": the real ssh (asked with -G, which connects
// nowhere) either rejects it as a host name or shows it as the host name, and never
// takes it as a ProxyCommand.
func TestCommand_DestinationNeverReadAsOption(t *testing.T) {
	c := fleet.Computer{Name: "x", Host: "-oProxyCommand=touch pwned", Port: 22}
	argv := Command(c, baseConfig, false, []string{"true"})
	g := append([]string{"-G"}, argv[1:len(argv)-1]...)
	out, _ := exec.Command("ssh", g...).CombinedOutput()
	text := string(out)
	if strings.Contains(strings.ToLower(text), "proxycommand touch") {
		t.Errorf("the host was read as an option:\n%s", text)
	}
	if !strings.Contains(text, "hostname contains invalid characters") &&
		!strings.Contains(strings.ToLower(text), "hostname -oproxycommand=touch pwned") {
		t.Errorf("ssh -G did not treat the host as the destination:\n%s", text)
	}
}

// TestOptions_AgentSeparatesMultiplexedConnections: a master opened without an agent, or
// with another one, forwards no agent (or the wrong one) to the sessions that reuse it.
func TestOptions_AgentSeparatesMultiplexedConnections(t *testing.T) {
	paths := map[string]string{}
	for _, agent := range []string{"", "/tmp/ssh-a/agent.1", "/tmp/ssh-b/agent.2"} {
		cfg := baseConfig
		cfg.ControlDir = "/run/user/1000/filesync"
		cfg.AgentSock = agent
		path := sshOptions(t, Options(gpu1, cfg))["ControlPath"][0]
		if other, ok := paths[path]; ok {
			t.Errorf("agents %q and %q share the ControlPath %s", other, agent, path)
		}
		paths[path] = agent
		if !strings.HasSuffix(path, "-%C") || len(path) > len(cfg.ControlDir)+len("/cm-12345678-%C") {
			t.Errorf("ControlPath %s: want cm-<8 hex>-%%C, short enough for a socket path", path)
		}
	}
}
