package cli

import (
	"github.com/spf13/cobra"

	"filesync/app/autosync"
)

func newWatchCmd(a *appContext) *cobra.Command {
	var projects []string
	cmd := &cobra.Command{
		Use:   "watch [--project P]…",
		Short: "Push projects from this computer whenever their files change, and run their intervals, until stopped",
		Long: `Watches the sync folders of this computer (the one enabled local computer) and pushes a
project to every other computer within about a second of a change (100 ms of quiet, at most
5 s under a continuous stream of writes). Projects with an interval are synced across all
computers that often. Without --project: every project whose watch switch is on or that has
an interval. Settings changed meanwhile (in the window or with "filesync project edit") are
picked up within seconds. Stop with Ctrl+C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			return (&autosync.Service{Runs: b, Only: projects, Log: a.log}).Serve(cmd.Context())
		},
	}
	cmd.Flags().StringArrayVar(&projects, "project", nil, "watch this project (repeat for several)")
	return cmd
}
