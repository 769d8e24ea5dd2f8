package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/widgets/units"
)

func newVersionsCmd(a *appContext) *cobra.Command {
	var (
		q      service.VersionQuery
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "versions [--project P] [--computer X] [--run ID] [PATH]",
		Short: "List the kept copies of overwritten and deleted files; restore or prune them",
		Long: `Every file a sync overwrites or deletes is kept on the computer that lost it, under
<root>/.filesync/versions/<YYYYMMDD-HHMMSS>-run<ID>/<path>. This lists them: one
rsync --list-only of each enabled computer's versions folder (and of the projects'
folders, to tell a deleted file from an overwritten one), newest first, with the space
the versions take on each computer.

Why a copy was kept: conflict (it lost a conflict: changed on several computers, another
copy won), deleted (the file is gone from that computer now) or overwritten.

Exit status: 0 when every computer was listed, 1 when one could not be, 2 on bad input.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				q.Path = args[0]
			}
			b, err := a.backend()
			if err != nil {
				return err
			}
			list, err := b.Versions(cmd.Context(), q)
			if err != nil {
				return err
			}
			return a.report(asJSON, func() any { return versionListView(list) }, func() { printVersions(a.stdout, list) }, list.Failed() > 0)
		},
	}
	cmd.Flags().StringVar(&q.Project, "project", "", "only the copies of this project's folders")
	cmd.Flags().StringVar(&q.Computer, "computer", "", "only this computer's copies")
	cmd.Flags().UintVar(&q.Run, "run", 0, "only the copies this run kept (its id in \"filesync history\")")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(newVersionsPruneCmd(a), newVersionsRestoreCmd(a))
	for _, c := range cmd.Commands() {
		c.Args = wrapArgs(c.Args)
	}
	return cmd
}

func printVersions(w io.Writer, list service.VersionList) {
	if len(list.Versions) == 0 {
		fmt.Fprintln(w, "no versions kept")
	} else {
		t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(t, "PATH\tCOMPUTER\tRUN\tKEPT\tSIZE\tWHY")
		for _, v := range list.Versions {
			fmt.Fprintf(t, "%s\t%s\t%d\t%s\t%s\t%s\n", v.Path, v.Computer, v.RunID, formatTime(&v.Time), units.Bytes(v.Size), v.Why)
		}
		t.Flush()
	}
	printSpace(w, list.Space)
}

// printSpace is the footer: the space versions take on each computer.
func printSpace(w io.Writer, space []service.VersionSpace) {
	for _, s := range space {
		if s.Err != "" {
			fmt.Fprintf(w, "%s: could not be listed: %s\n", s.Computer, s.Err)
			continue
		}
		fmt.Fprintf(w, "%s: %s in %s\n", s.Computer, units.Bytes(s.Bytes), units.Count(s.Files, "version"))
	}
}

type keptJSON struct {
	Path     string `json:"path"`
	Computer string `json:"computer"`
	Project  string `json:"project"`
	Run      uint   `json:"run"`
	Folder   string `json:"folder"` // where the copy lies, relative to the computer's root
	Kept     string `json:"kept"`   // when: the run's start, RFC 3339
	Size     int64  `json:"size"`
	MTime    string `json:"mtime"`
	Why      string `json:"why"`
	Reason   string `json:"reason,omitempty"` // why a prune removes it
}

type spaceJSON struct {
	Computer string `json:"computer"`
	Files    int    `json:"files"`
	Bytes    int64  `json:"bytes"`
	Error    string `json:"error,omitempty"`
}

type versionListJSON struct {
	Versions []keptJSON  `json:"versions"`
	Space    []spaceJSON `json:"space"`
}

func keptView(v service.KeptVersion) keptJSON {
	return keptJSON{Path: v.Path, Computer: v.Computer, Project: v.Project, Run: v.RunID, Folder: v.Location(),
		Kept: v.Time.UTC().Format(time.RFC3339), Size: v.Size, MTime: time.Unix(v.MTime, 0).UTC().Format(time.RFC3339), Why: string(v.Why)}
}

func spaceView(space []service.VersionSpace) []spaceJSON {
	out := []spaceJSON{}
	for _, s := range space {
		out = append(out, spaceJSON{s.Computer, s.Files, s.Bytes, s.Err})
	}
	return out
}

func versionListView(list service.VersionList) versionListJSON {
	v := versionListJSON{Versions: []keptJSON{}, Space: spaceView(list.Space)}
	for _, k := range list.Versions {
		v.Versions = append(v.Versions, keptView(k))
	}
	return v
}

func newVersionsPruneCmd(a *appContext) *cobra.Command {
	var (
		project string
		dryRun  bool
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "prune [--project P] [--dry-run]",
		Short: "Remove the kept copies that the projects' retention policies expire",
		Long: `Applies each project's retention policy ("filesync project edit P --keep-versions …
--versions-days N --versions-max-gb G") to the copies every enabled computer keeps of
its folders, and removes the expired ones with rsync, with the run folders they leave
empty. Each removal is logged. After every sync or push that transferred files this
happens by itself.

Exit status: 0 when every computer was pruned, 1 when one failed, 2 on bad input.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			report, err := b.PruneVersions(cmd.Context(), project, dryRun)
			if err != nil {
				return err
			}
			return a.report(asJSON, func() any { return pruneView(report) }, func() { printPrune(a.stdout, report) }, len(report.Errors) > 0)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "only this project's policy and copies")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be removed; remove nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printPrune(w io.Writer, r service.PruneReport) {
	verb := "removed"
	if r.DryRun {
		verb = "would remove"
	}
	t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range r.Removed {
		fmt.Fprintf(t, "%s\t%s\t%s\trun %d\t%s\t(%s)\n", verb, v.Path, v.Computer, v.RunID, formatTime(&v.Time), v.Reason)
	}
	t.Flush()
	fmt.Fprintf(w, "%s %s, %s\n", verb, units.Count(len(r.Removed), "version"), units.Bytes(r.Bytes()))
	printSpace(w, r.Space)
	for _, e := range r.Errors {
		fmt.Fprintln(w, "error: "+e)
	}
}

type pruneJSON struct {
	DryRun  bool        `json:"dry_run"`
	Removed []keptJSON  `json:"removed"`
	Folders []string    `json:"folders"`
	Space   []spaceJSON `json:"space"`
	Errors  []string    `json:"errors"`
}

func pruneView(r service.PruneReport) pruneJSON {
	v := pruneJSON{DryRun: r.DryRun, Removed: []keptJSON{}, Folders: orEmpty(r.Folders), Space: spaceView(r.Space), Errors: orEmpty(r.Errors)}
	for _, p := range r.Removed {
		k := keptView(p.KeptVersion)
		k.Reason = p.Reason
		v.Removed = append(v.Removed, k)
	}
	return v
}

func newVersionsRestoreCmd(a *appContext) *cobra.Command {
	var (
		req    service.RestoreRequest
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "restore --computer X --run ID PATH",
		Short: "Put a kept copy back on every enabled computer",
		Long: `Copies the version of PATH that run ID kept on computer X back to PATH, first on X,
then from X to every other enabled computer, as one run in the history. What it replaces
on each computer is kept in that run's versions folder, so a restore can be undone the
same way. The restored file gets the time of the restore, so that it is the newest copy
everywhere. "filesync versions PATH" lists the copies and their runs.

Exit status: 0 when every computer has the copy back, 1 when a transfer failed, 2 on
bad input (no such computer, or no such copy: then nothing is changed).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if req.Computer == "" || req.Run == 0 {
				return badInput("give the copy's --computer and --run, as \"filesync versions " + args[0] + "\" lists them")
			}
			req.Path = args[0]
			b, err := a.backend()
			if err != nil {
				return err
			}
			res, err := b.RestoreVersion(cmd.Context(), req)
			if err != nil {
				return err
			}
			return a.report(asJSON, func() any { return resultView(res) }, func() { a.printResult(res) }, res.Failed())
		},
	}
	cmd.Flags().StringVar(&req.Computer, "computer", "", "the computer that keeps the copy")
	cmd.Flags().UintVar(&req.Run, "run", 0, "the run that kept it (the RUN column of \"filesync versions\")")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run's result as JSON")
	return cmd
}
