package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"

	"github.com/spf13/cobra"

	"filesync/app/logging"
	"filesync/app/paths"
)

// Version is set at build time (-ldflags "-X filesync/app/cli.Version=…").
var Version = "dev"

// Window opens the window on the app whose files are at p and returns the exit code
// when it closes; "filesync" without a sub-command calls it.
type Window func(p paths.Paths, log *logrus.Logger) int

// Execute runs the command line with args and returns the exit code.
func Execute(args []string, stdout, stderr io.Writer, window Window) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &appContext{stdout: stdout, stderr: stderr, window: window}
	defer a.close()
	root := newRoot(a)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.windowExit != 0 {
		return a.windowExit
	}
	if err != nil && !errors.Is(err, errFailed) {
		if a.log != nil {
			a.log.Error(message(err))
		} else {
			fmt.Fprintln(stderr, "filesync: "+message(err))
		}
	}
	return exitCode(err)
}

// Command returns the command tree without running it, so that packaging/man can
// generate the manual pages from the same help text (and Version) the binary prints.
func Command() *cobra.Command {
	return newRoot(&appContext{stdout: io.Discard, stderr: io.Discard})
}

func newRoot(a *appContext) *cobra.Command {
	root := &cobra.Command{
		Use:   "filesync",
		Short: "Keep project folders in sync across computers with rsync over ssh",
		Long: `FileSync keeps project folders identical across a fleet of computers
(workstations, lab servers, a NAS) by running rsync over ssh.

Computers have a root folder (default ~/mlcomp); projects list sync folders relative
to it, where "data" and "models" mean data/<project> and models/<project>.`,
		Version:           Version,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.setUp(cmd) },
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return badInput(fmt.Sprintf("unknown command %q; \"filesync --help\" lists the commands", args[0]))
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			if a.window == nil {
				return badInput("this build has no window; give a command (\"filesync --help\" lists them)")
			}
			a.windowExit = a.window(a.paths, a.log)
			return nil
		},
	}
	root.PersistentFlags().StringVar(&a.dbFlag, "db", "", "database file (default $FILESYNC_DB or the user config folder's filesync/filesync.db)")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "print every command and every line of rsync's output")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err.Error()) })
	root.AddCommand(newComputerCmd(a), newProjectCmd(a), newSyncCmd(a), newPushCmd(a), newStatusCmd(a), newRunCmd(a), newHistoryCmd(a), newWatchCmd(a), newVersionsCmd(a))
	for _, c := range root.Commands() {
		c.Args = wrapArgs(c.Args)
	}
	return root
}

// wrapArgs turns cobra's argument-count errors into bad-input errors (exit 2).
func wrapArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return badInput(err.Error())
		}
		return nil
	}
}

// setLogging is called once the flags are known.
func (a *appContext) setLogging(file string) {
	a.log, a.closeLog = logging.New(logging.Options{File: file, Verbose: a.verbose, Stderr: a.stderr})
}
