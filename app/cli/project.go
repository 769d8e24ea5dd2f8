package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"filesync/app/service"
	"filesync/data"
)

func newProjectCmd(a *appContext) *cobra.Command {
	cmd := &cobra.Command{Use: "project", Short: "Add, list, edit and remove projects"}
	cmd.AddCommand(newProjectAddCmd(a), newProjectListCmd(a), newProjectEditCmd(a), newProjectRmCmd(a))
	for _, c := range cmd.Commands() {
		c.Args = wrapArgs(c.Args)
	}
	return cmd
}

type projectFlags struct {
	sync, ignore, mode, deletes, name string
	noVersions, openPerms, versioning bool
	watch, noWatch                    bool
	interval                          int
	keep                              string
	keepDays                          int
	keepGB                            float64
}

func (f *projectFlags) register(fs *pflag.FlagSet, edit bool) {
	fs.StringVar(&f.sync, "sync", "", `sync folders: "[ data/folder1, models ]", comma-separated or one per line (default data, models)`)
	fs.StringVar(&f.ignore, "ignore", ignoreDefault(edit), "ignore entries, same syntax; a bare name or glob (__pycache__, *.tmp) applies at every depth; "+
		"a new project ignores the temporary names of training frameworks and editors")
	fs.StringVar(&f.mode, "mode", string(service.Merge), "merge (two-way, newest wins; --deletes says what happens to deleted files) or mirror (push makes exact copies, deleting extra files)")
	fs.StringVar(&f.deletes, "deletes", deletesDefault(edit), "propagate: a file deleted on one computer is removed from the others (into their versions folder); "+
		"keep: deleted files come back from the others, every computer keeps the union")
	fs.BoolVar(&f.noVersions, "no-versions", false, "do not keep overwritten files under <root>/.filesync/versions/")
	fs.BoolVar(&f.openPerms, "open-permissions", false, "make synced files readable and writable by everyone (the seed's --chmod=777)")
	fs.BoolVar(&f.watch, "watch", false, "push from this computer whenever the files change (run \"filesync watch\" or keep the window open)")
	fs.IntVar(&f.interval, "interval", 0, "sync the project across every computer every this many minutes (0 = never)")
	fs.StringVar(&f.keep, "keep-versions", string(service.KeepDays), "days: keep every overwritten or deleted copy for --versions-days; "+
		"staggered: every copy for an hour, the newest of each hour for a day, the newest of each day for --versions-days")
	fs.IntVar(&f.keepDays, "versions-days", service.DefaultDays, "remove kept copies older than this many days (0 = whatever their age)")
	fs.Float64Var(&f.keepGB, "versions-max-gb", 0, "keep at most this many GB of the project's copies per computer, removing the oldest first (0 = no cap)")
	if edit {
		fs.StringVar(&f.name, "name", "", "new name")
		fs.BoolVar(&f.versioning, "versions", true, "keep overwritten files under <root>/.filesync/versions/")
		fs.BoolVar(&f.noWatch, "no-watch", false, "stop pushing on every change (the same as --watch=false)")
	}
}

// ignoreDefault is what --ignore says when it is not given: the temporary names for a new
// project; an edit leaves the project's as they are.
func ignoreDefault(edit bool) string {
	if edit {
		return ""
	}
	return strings.Join(data.NewProject("").Ignore, ", ")
}

// deletesDefault is what --deletes says when it is not given: propagate for a new project;
// an edit leaves the project's as it is.
func deletesDefault(edit bool) string {
	if edit {
		return ""
	}
	return string(service.Propagate)
}

func (f *projectFlags) apply(fs *pflag.FlagSet, p *data.Project, all bool) error {
	set := func(name string) bool { return all || fs.Changed(name) }
	if set("sync") {
		list, err := service.ParseFolderList(f.sync)
		if err != nil {
			return badInput("sync folders: " + err.Error())
		}
		p.SyncFolders = list
	}
	if set("ignore") {
		list, err := service.ParseFolderList(f.ignore)
		if err != nil {
			return badInput("ignore entries: " + err.Error())
		}
		p.Ignore = list
	}
	if set("mode") {
		p.Mode = service.Mode(f.mode)
	}
	if set("deletes") {
		p.Deletes = service.Deletes(f.deletes)
	}
	if set("no-versions") {
		p.Versions = !f.noVersions
	}
	if fs.Lookup("versions") != nil && fs.Changed("versions") {
		p.Versions = f.versioning
	}
	if set("open-permissions") {
		p.OpenPermissions = f.openPerms
	}
	if set("watch") {
		p.Watch = f.watch
	}
	if fs.Lookup("no-watch") != nil && fs.Changed("no-watch") {
		if fs.Changed("watch") {
			return badInput("give --watch or --no-watch, not both")
		}
		p.Watch = !f.noWatch
	}
	if set("interval") {
		if f.interval < 0 {
			return badInput(fmt.Sprintf("interval %d: give a number of minutes, 0 to turn it off", f.interval))
		}
		p.IntervalMinutes = f.interval
	}
	if err := f.applyPolicy(set, p); err != nil {
		return err
	}
	if fs.Lookup("name") != nil && fs.Changed("name") {
		p.Name = f.name
	}
	return nil
}

// applyPolicy sets the parts of p's versions policy that the flags give.
func (f *projectFlags) applyPolicy(set func(string) bool, p *data.Project) error {
	pol := p.VersionPolicy()
	if set("keep-versions") {
		pol.Scheme = service.VersionScheme(f.keep)
	}
	if set("versions-days") {
		pol.Days = f.keepDays
	}
	if set("versions-max-gb") {
		pol.MaxGB = f.keepGB
	}
	if err := pol.Check(); err != nil {
		return badInput(err.Error())
	}
	p.SetVersionPolicy(pol)
	return nil
}

// saveProject checks p and stores it (as new when oldName is ""), then warns about ignore
// entries that match nothing and about mirror mode.
func (a *appContext) saveProject(oldName string, p *data.Project) error {
	b, err := a.backend()
	if err != nil {
		return err
	}
	res, err := b.SaveProject(oldName, p)
	if err != nil {
		return err
	}
	for _, u := range res.Unused {
		a.log.Warnf("ignore entry %q is inside no sync folder of %s, so it ignores nothing", u, p.Name)
	}
	if p.Mode == service.Mirror {
		a.log.Warnf("project %s mirrors: a push deletes files on the receivers that the sender lacks", p.Name)
	}
	return nil
}

func newProjectAddCmd(a *appContext) *cobra.Command {
	var f projectFlags
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a project",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := data.NewProject(args[0])
			if err := f.apply(cmd.Flags(), &p, true); err != nil {
				return err
			}
			if err := a.saveProject("", &p); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "added project %s: %s\n", p.Name, resolvedSummary(p))
			return nil
		},
	}
	f.register(cmd.Flags(), false)
	return cmd
}

func resolvedSummary(p data.Project) string {
	res, err := service.ResolveFolders(p)
	if err != nil {
		return err.Error()
	}
	if len(res.Folders) == 0 {
		return "no folders (every sync folder is ignored)"
	}
	paths := make([]string, len(res.Folders))
	for i, f := range res.Folders {
		paths[i] = f.Path
	}
	summary := strings.Join(paths, ", ")
	if ignored := service.IgnoredIn(p, res); len(ignored) > 0 {
		summary += "; ignoring " + strings.Join(ignored, ", ")
	}
	return summary
}

func newProjectListCmd(a *appContext) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List projects with their resolved folders",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			ps, err := b.Projects()
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(projectViews(ps))
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tMODE\tDELETES\tVERSIONS\tAUTOMATIC\tFOLDERS")
			for _, p := range ps {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Mode, p.Deletes, versionsText(p), automatic(p), resolvedSummary(p))
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// versionsText is what a project keeps: "no", or how long: "30 days".
func versionsText(p data.Project) string {
	if !p.Versions {
		return "no"
	}
	return p.VersionPolicy().String()
}

func automatic(p data.Project) string {
	var parts []string
	if p.Watch {
		parts = append(parts, "watch")
	}
	if p.IntervalMinutes > 0 {
		parts = append(parts, fmt.Sprintf("every %d min", p.IntervalMinutes))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// projectView is a project as `project list --json` prints it.
type projectView struct {
	Name            string   `json:"name"`
	SyncFolders     []string `json:"sync_folders"`
	Ignore          []string `json:"ignore"`
	Resolved        []string `json:"resolved_folders"`
	Excludes        []string `json:"excludes"`
	Mode            string   `json:"mode"`
	Deletes         string   `json:"deletes"`
	Versions        bool     `json:"versions"`
	VersionsKeep    string   `json:"versions_keep"`
	VersionsDays    int      `json:"versions_days"`
	VersionsMaxGB   float64  `json:"versions_max_gb"`
	OpenPermissions bool     `json:"open_permissions"`
	Watch           bool     `json:"watch"`
	IntervalMinutes int      `json:"interval_minutes"`
}

func projectViews(ps []data.Project) []projectView {
	views := make([]projectView, len(ps))
	for i, p := range ps {
		pol := p.VersionPolicy()
		v := projectView{Name: p.Name, VersionsKeep: string(pol.Scheme), VersionsDays: pol.Days, VersionsMaxGB: pol.MaxGB, SyncFolders: orEmpty(p.SyncFolders), Ignore: orEmpty(p.Ignore), Mode: string(p.Mode),
			Deletes: string(p.Deletes), Versions: p.Versions, OpenPermissions: p.OpenPermissions, Watch: p.Watch, IntervalMinutes: p.IntervalMinutes,
			Resolved: []string{}, Excludes: []string{}}
		if res, err := service.ResolveFolders(p); err == nil {
			for _, f := range res.Folders {
				v.Resolved = append(v.Resolved, f.Path)
				v.Excludes = append(v.Excludes, f.Excludes...)
			}
		}
		views[i] = v
	}
	return views
}

func newProjectEditCmd(a *appContext) *cobra.Command {
	var f projectFlags
	cmd := &cobra.Command{
		Use:   "edit NAME [flags]",
		Short: "Change a project (only the flags given)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			p, err := b.Project(args[0])
			if err != nil {
				return err
			}
			if err := f.apply(cmd.Flags(), &p, false); err != nil {
				return err
			}
			if err := a.saveProject(args[0], &p); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "updated project %s: %s\n", p.Name, resolvedSummary(p))
			return nil
		},
	}
	f.register(cmd.Flags(), true)
	return cmd
}

func newProjectRmCmd(a *appContext) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a project (its folders are not touched)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			if err := b.RemoveProject(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed project %s; no files were touched\n", args[0])
			return nil
		},
	}
}
