package cli

import (
	"cmp"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/widgets/units"
)

func newComputerCheckCmd(a *appContext) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [NAME…]",
		Short: "Check that computers are reachable, have rsync, and a writable root folder with free space",
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			reports, err := b.Check(cmd.Context(), args)
			if err != nil {
				return err
			}
			return a.report(asJSON, func() any { return reports }, func() { a.printReports(reports) }, anyFailed(reports))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func anyFailed(reports []service.CheckReport) bool {
	for _, r := range reports {
		if !service.CheckPassed(r) {
			return true
		}
	}
	return false
}

func (a *appContext) printReports(reports []service.CheckReport) {
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATUS\tRSYNC\tROOT\tWRITABLE\tFREE\tCOMMAND START")
	for _, r := range reports {
		if r.Status != service.StatusOK {
			fmt.Fprintf(w, "%s\t%s\t-\t%s\t-\t-\t-\n", r.Computer, r.Status, r.Root)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Computer, r.Status, service.RsyncVersion(r.RsyncVersion),
			r.Root+service.RootNote(r), yesNo(r.Writable), units.Bytes(r.FreeBytes), cmp.Or(service.SessionStartText(r), "-"))
	}
	w.Flush()
	for _, r := range reports {
		if r.Error != "" {
			fmt.Fprintln(a.stdout, r.Error)
		}
		if advice := service.SessionStartAdvice(r); advice != "" {
			fmt.Fprintln(a.stdout, advice)
		}
		if hint := statusHint(r.Computer, r.Status); hint != "" {
			fmt.Fprintf(a.stdout, "%s: %s\n", r.Computer, hint)
		}
	}
}
