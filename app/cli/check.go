package cli

import (
	"fmt"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/hostkeys"
	"filesync/sync/probe"
)

func newComputerCheckCmd(a *appContext) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [NAME…]",
		Short: "Check that computers are reachable, have rsync, and a writable root folder with free space",
		RunE: func(cmd *cobra.Command, args []string) error {
			cs, err := a.selectComputers(args)
			if err != nil {
				return err
			}
			r, err := a.runner()
			if err != nil {
				return err
			}
			if err := r.PinKnownHosts(); err != nil {
				return err
			}
			reports := make([]probe.Report, len(cs))
			var wg sync.WaitGroup
			for i, c := range cs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					reports[i] = probe.Check(cmd.Context(), runs.Computer(c), a.sshConfig(), nil)
					reports[i].Fingerprint = hostkeys.Fingerprint(c.HostKeys)
				}()
			}
			wg.Wait()
			if asJSON {
				err = a.printJSON(reports)
			} else {
				a.printReports(reports)
			}
			if err == nil && anyFailed(reports) {
				return errFailed
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// selectComputers returns the named computers, or all of them.
func (a *appContext) selectComputers(names []string) ([]data.Computer, error) {
	store, err := a.openStore()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		cs, err := store.Computers()
		if err == nil && len(cs) == 0 {
			return nil, badInput("there are no computers yet; add one with \"filesync computer add\"")
		}
		return cs, err
	}
	var cs []data.Computer
	for _, n := range names {
		c, err := store.Computer(n)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func anyFailed(reports []probe.Report) bool {
	for _, r := range reports {
		if r.Status != probe.Reachable || !r.Writable {
			return true
		}
	}
	return false
}

func (a *appContext) printReports(reports []probe.Report) {
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATUS\tRSYNC\tROOT\tWRITABLE\tFREE")
	for _, r := range reports {
		if r.Status != probe.Reachable {
			fmt.Fprintf(w, "%s\t%s\t-\t%s\t-\t-\n", r.Computer, r.Status, r.Root)
			continue
		}
		root := r.Root
		if !r.RootExists {
			root += " (created on first sync)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Computer, r.Status, rsyncVersion(r.RsyncVersion), root, yesNo(r.Writable), runs.Bytes(r.FreeBytes))
	}
	w.Flush()
	for _, r := range reports {
		if r.Error != "" {
			fmt.Fprintf(a.stdout, "%s\n", r.Error)
		}
	}
}

// rsyncVersion shortens "rsync  version 3.2.7  protocol version 31" to "3.2.7".
func rsyncVersion(line string) string {
	var v string
	if _, err := fmt.Sscanf(line, "rsync version %s", &v); err == nil {
		return v
	}
	return line
}
