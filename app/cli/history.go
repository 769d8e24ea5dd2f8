package cli

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/data"
	"filesync/widgets/units"
)

func newHistoryCmd(a *appContext) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "history [RUN-ID]",
		Short: "List past runs, or show one run's transfers",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				return a.showRun(b, args[0], asJSON)
			}
			if limit < 1 {
				return badInput(fmt.Sprintf("limit %d: give a positive number of runs", limit))
			}
			list, err := b.Runs(limit)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(list)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tTRIGGER\tSTATUS\tSTARTED\tDURATION\tFILES\tBYTES\tSCOPE")
			for _, r := range list {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Trigger, r.Status, formatTime(&r.StartedAt),
					duration(r), r.Files, units.Bytes(r.Bytes), r.Scope)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&limit, "limit", 20, "how many runs to list, newest first")
	return cmd
}

func (a *appContext) showRun(b Backend, arg string, asJSON bool) error {
	id, err := strconv.ParseUint(arg, 10, 32)
	if err != nil {
		return badInput(fmt.Sprintf("run id %q: give the number from \"filesync history\"", arg))
	}
	run, err := b.RunDetail(uint(id))
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(run)
	}
	fmt.Fprintf(a.stdout, "run %d (%s): %s, %s, started %s, took %s\n", run.ID, run.Trigger, run.Status, run.Scope, formatTime(&run.StartedAt), duration(run))
	if run.Error != "" {
		fmt.Fprintln(a.stdout, run.Error)
	}
	a.printConflicts(service.StoredConflicts(run))
	for _, t := range run.Transfers {
		fmt.Fprintf(a.stdout, "\n%s → %s [%s]: exit %d, %d files, %s, %s\n$ %s\n", t.From, t.To, t.Folders, t.ExitCode, t.Files,
			units.Bytes(t.Bytes), (time.Duration(t.DurationMS) * time.Millisecond).String(), t.Argv)
		if t.Error != "" {
			fmt.Fprintln(a.stdout, "error: "+t.Error)
		}
		if t.OutputTail != "" {
			fmt.Fprintln(a.stdout, t.OutputTail)
		}
	}
	return nil
}

func duration(r data.Run) string {
	if r.EndedAt == nil {
		return "-"
	}
	return r.EndedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
}
