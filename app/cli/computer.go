package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"filesync/app/service"
	"filesync/data"
)

func newComputerCmd(a *appContext) *cobra.Command {
	cmd := &cobra.Command{Use: "computer", Short: "Add, list, edit, remove, check and trust computers"}
	cmd.AddCommand(newComputerAddCmd(a), newComputerListCmd(a), newComputerEditCmd(a),
		newComputerRmCmd(a), newComputerCheckCmd(a), newComputerTrustCmd(a), newComputerImportEnvCmd(a))
	for _, c := range cmd.Commands() {
		c.Args = wrapArgs(c.Args)
	}
	return cmd
}

// computerFlags are the fields a user can set on add and edit.
type computerFlags struct {
	host, user, root, identity, name string
	port, bwlimit                    int
	local, relay, enabled, insecure  bool
	receiveOnly                      bool
	trust                            bool
}

func (f *computerFlags) register(fs *pflag.FlagSet, edit bool) {
	fs.StringVar(&f.host, "host", "", "IP address, DNS name or ~/.ssh/config alias")
	fs.IntVar(&f.port, "port", 0, "SSH port (default: the host's Port in ~/.ssh/config, else 22)")
	fs.StringVar(&f.user, "user", "", "login name on the computer (default: the host's User in ~/.ssh/config, else yours)")
	fs.StringVar(&f.root, "root", service.DefaultRoot, "root folder: absolute or starting with ~/")
	fs.StringVar(&f.identity, "identity", "", "ssh private key file to log in with (default: ssh's, with the host's IdentityFile in ~/.ssh/config)")
	fs.IntVar(&f.bwlimit, "bwlimit", 0, "bandwidth limit in KB/s for transfers touching this computer (0 = unlimited)")
	fs.BoolVar(&f.local, "local", false, "a folder on this machine (this computer, a mounted disk or NAS), reached without ssh")
	fs.BoolVar(&f.relay, "relay", false, "stage transfers to and from other remote computers through this machine (when they cannot reach each other)")
	fs.BoolVar(&f.enabled, "enabled", true, "take part in syncs")
	fs.BoolVar(&f.receiveOnly, "receive-only", false, "this computer gets every project but is never copied from (a backup disk)")
	fs.BoolVar(&f.insecure, "insecure-skip-host-key-check", false, "do not check the host key (the seed's StrictHostKeyChecking=no; unsafe)")
	if edit {
		fs.StringVar(&f.name, "name", "", "new name")
	} else {
		fs.BoolVar(&f.trust, "trust", false, "pin the host key fetched now (trust on first use)")
	}
}

// apply copies the flags the user set onto c (all of them on add). A port given must be
// one: 0 only stands for "not given", when ssh's configuration decides.
func (f *computerFlags) apply(fs *pflag.FlagSet, c *data.Computer, all bool) error {
	if fs.Changed("port") && f.port == 0 {
		return service.BadInput(&service.FieldError{Field: "port", Value: "0",
			Reason: "must be between 1 and 65535; leave --port out to take it from ~/.ssh/config"}, service.Hint{})
	}
	set := func(name string) bool { return all || fs.Changed(name) }
	if set("host") {
		c.Host = f.host
	}
	if set("port") {
		c.Port = f.port
	}
	if set("user") {
		c.User = f.user
	}
	if set("root") {
		c.Root = f.root
	}
	if set("identity") {
		c.Identity = f.identity
	}
	if set("bwlimit") {
		c.BWLimitKBps = f.bwlimit
	}
	if set("local") {
		c.Local = f.local
	}
	if set("relay") {
		c.Relay = f.relay
	}
	if set("enabled") {
		c.Enabled = f.enabled
	}
	if set("receive-only") {
		c.SyncWithOthers = !f.receiveOnly
	}
	if set("insecure-skip-host-key-check") {
		c.InsecureSkipHostKeyCheck = f.insecure
	}
	if fs.Lookup("name") != nil && fs.Changed("name") {
		c.Name = f.name
	}
	return nil
}

func newComputerAddCmd(a *appContext) *cobra.Command {
	var f computerFlags
	cmd := &cobra.Command{
		Use:   "add NAME (--host HOST | --local)",
		Short: "Add a computer",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := data.NewComputer(args[0])
			if err := f.apply(cmd.Flags(), &c, true); err != nil {
				return err
			}
			c, err := service.PrepareComputer(c, cmd.Flags().Changed("host"))
			if err != nil {
				return err
			}
			return a.addComputer(cmd.Context(), &c, f.trust)
		},
	}
	f.register(cmd.Flags(), false)
	return cmd
}

func (a *appContext) addComputer(ctx context.Context, c *data.Computer, trust bool) error {
	b, err := a.backend()
	if err != nil {
		return err
	}
	if err := b.CheckNewComputer(*c); err != nil {
		return err
	}
	if !c.Local && !c.InsecureSkipHostKeyCheck {
		key, err := a.fetchKey(ctx, b, *c)
		switch {
		case err != nil && trust:
			return fmt.Errorf("%w; nothing was added", err)
		case err != nil:
			a.log.Warnf("%v; add it anyway and trust it later with \"filesync computer trust %s\"", err, c.Name)
		case trust:
			c.HostKeys = key.Keys
		default:
			a.log.Warnf("%s is not trusted yet; check the fingerprint, then run \"filesync computer trust %s\"", c.Name, c.Name)
		}
	}
	if err := b.AddComputer(c); err != nil {
		return err
	}
	end, _ := b.Endpoint(ctx, *c)
	fmt.Fprintf(a.stdout, "added computer %s (%s, root %s)%s\n", c.Name, end.Address, c.Root, trustNote(*c))
	return nil
}

func trustNote(c data.Computer) string {
	if c.HostKeys == "" {
		return ""
	}
	return "; host key pinned: " + service.Fingerprint(c.HostKeys)
}

// fetchKey asks the computer for its host key and shows its fingerprint.
func (a *appContext) fetchKey(ctx context.Context, b Backend, c data.Computer) (service.HostKey, error) {
	key, err := b.ScanHostKey(ctx, c)
	if err != nil {
		return key, err
	}
	fmt.Fprintf(a.stdout, "%s offers host key %s\n", c.Name, key.Fingerprint)
	return key, nil
}

func newComputerListCmd(a *appContext) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List computers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			cs, err := b.Computers()
			if err != nil {
				return err
			}
			ends := a.endpoints(cmd.Context(), b, cs)
			if asJSON {
				return a.printJSON(computerViews(cs, ends))
			}
			a.printComputers(cs, ends)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// endpoints are where ssh takes each computer; a computer ssh cannot resolve is shown as
// stored, with a warning.
func (a *appContext) endpoints(ctx context.Context, b Backend, cs []data.Computer) []service.Endpoint {
	ends := make([]service.Endpoint, len(cs))
	for i, c := range cs {
		end, err := b.Endpoint(ctx, c)
		if err != nil {
			a.log.Warn(err)
		}
		ends[i] = end
	}
	return ends
}

// computerView is a computer as `computer list --json` prints it: the host as given, and
// the host name, port and user that ssh's configuration makes of it.
type computerView struct {
	Name        string     `json:"name"`
	Host        string     `json:"host,omitempty"`
	HostName    string     `json:"hostname,omitempty"`
	Port        int        `json:"port,omitempty"`
	User        string     `json:"user,omitempty"`
	Root        string     `json:"root"`
	Local       bool       `json:"local"`
	Enabled     bool       `json:"enabled"`
	Relay       bool       `json:"relay"`
	ReceiveOnly bool       `json:"receive_only"`
	BWLimitKBps int        `json:"bwlimit_kbps"`
	Fingerprint string     `json:"fingerprint,omitempty"`
	Insecure    bool       `json:"insecure_skip_host_key_check"`
	LastSyncAt  *time.Time `json:"last_sync_at,omitempty"`
	LastStatus  string     `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Hint        string     `json:"hint,omitempty"` // what to do about the last status, as a command
}

func computerViews(cs []data.Computer, ends []service.Endpoint) []computerView {
	views := make([]computerView, len(cs))
	for i, c := range cs {
		views[i] = computerView{
			Name: c.Name, Host: c.Host, HostName: ends[i].HostName, Port: ends[i].Port, User: ends[i].User, Root: c.Root, Local: c.Local,
			Enabled: c.Enabled, Relay: c.Relay, ReceiveOnly: !c.SyncWithOthers, BWLimitKBps: c.BWLimitKBps, Fingerprint: service.Fingerprint(c.HostKeys),
			Insecure: c.InsecureSkipHostKeyCheck, LastSyncAt: c.LastSyncAt, LastStatus: string(c.LastStatus), LastError: c.LastError,
			Hint: statusHint(c.Name, c.LastStatus),
		}
	}
	return views
}

func (a *appContext) printComputers(cs []data.Computer, ends []service.Endpoint) {
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tADDRESS\tROOT\tENABLED\tSTATUS\tLAST SYNC\tHOST KEY")
	for i, c := range cs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, ends[i].Address, c.Root,
			yesNo(c.Enabled), orDash(string(c.LastStatus)), formatTime(c.LastSyncAt), keyState(c))
	}
	w.Flush()
}

func keyState(c data.Computer) string {
	switch {
	case c.Local:
		return "-"
	case c.InsecureSkipHostKeyCheck:
		return "NOT CHECKED (insecure)"
	case c.HostKeys == "":
		return "not trusted yet"
	}
	return service.Fingerprint(c.HostKeys)
}

func newComputerEditCmd(a *appContext) *cobra.Command {
	var f computerFlags
	cmd := &cobra.Command{
		Use:   "edit NAME [flags]",
		Short: "Change a computer's fields (only the flags given)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			c, err := b.Computer(args[0])
			if err != nil {
				return err
			}
			if err := f.apply(cmd.Flags(), &c, false); err != nil {
				return err
			}
			if c, err = service.PrepareComputer(c, cmd.Flags().Changed("host")); err != nil {
				return err
			}
			if err := b.UpdateComputer(args[0], &c); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "updated computer %s\n", c.Name)
			return nil
		},
	}
	f.register(cmd.Flags(), true)
	return cmd
}

func newComputerRmCmd(a *appContext) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a computer from the fleet (its files are not touched)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			if err := b.RemoveComputer(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed computer %s; no files were touched\n", args[0])
			return nil
		},
	}
}

func newComputerTrustCmd(a *appContext) *cobra.Command {
	var expect string
	cmd := &cobra.Command{
		Use:   "trust NAME",
		Short: "Fetch the computer's host key, show its fingerprint and pin it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.trust(cmd.Context(), args[0], expect)
		},
	}
	cmd.Flags().StringVar(&expect, "fingerprint", "", "pin only if the offered key has this SHA256 fingerprint")
	return cmd
}

func (a *appContext) trust(ctx context.Context, name, expect string) error {
	b, err := a.backend()
	if err != nil {
		return err
	}
	c, err := b.Computer(name)
	if err != nil {
		return err
	}
	key, err := a.fetchKey(ctx, b, c)
	if err != nil {
		return err
	}
	if expect != "" && expect != key.Fingerprint {
		return fmt.Errorf("%s offers %s, not the expected %s; nothing was pinned", name, key.Fingerprint, expect)
	}
	switch {
	case key.Changed():
		a.log.Warnf("%s: host key changed: was %s, now %s; pinning the new key as asked", name, key.Pinned, key.Fingerprint)
	case key.Pinned != "":
		fmt.Fprintf(a.stdout, "%s: host key unchanged (%s)\n", name, key.Fingerprint)
	}
	if err := b.Trust(name, key.Keys); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "trusted %s: %s\n", name, key.Fingerprint)
	return nil
}

func newComputerImportEnvCmd(a *appContext) *cobra.Command {
	var name, root string
	cmd := &cobra.Command{
		Use:   "import-env [FILE]",
		Short: "Register this computer from mlcomp's ~/mlcomp/configs/.env (IP, PORT)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := service.DefaultEnvFile()
			if len(args) == 1 {
				file = args[0]
			}
			c, err := service.ComputerFromEnv(file, name, root)
			if err != nil {
				return err
			}
			return a.addComputer(cmd.Context(), &c, false)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of this computer (default: the host name)")
	cmd.Flags().StringVar(&root, "root", service.DefaultRoot, "root folder of this computer")
	return cmd
}
