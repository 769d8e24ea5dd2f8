package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/widgets/units"
)

// syncFlags are shared by sync and push.
type syncFlags struct {
	projects []string
	computer string
	dryRun   bool
	force    bool
	asJSON   bool
	timeout  int // seconds; 0 keeps the engine's default
}

// register adds the flags; projectHelp says what --project means for the command.
func (f *syncFlags) register(cmd *cobra.Command, projectHelp string) {
	cmd.Flags().StringArrayVar(&f.projects, "project", nil, projectHelp)
	cmd.Flags().BoolVarP(&f.dryRun, "dry-run", "n", false, "change nothing; list what would change on each computer")
	cmd.Flags().BoolVar(&f.force, "force", false, "let deletions (or a mirror) remove more than half of a computer's files, and fill a halted computer (missing or emptied folder) again from the others")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	cmd.Flags().IntVar(&f.timeout, "timeout", 0, "seconds without data moving after which a transfer fails and is retried (rsync --timeout; default 60)")
}

// request is the run the flags ask for; a negative --timeout is bad input.
func (f *syncFlags) request(kind service.Kind) (service.Request, error) {
	if f.timeout < 0 {
		return service.Request{}, badInput(fmt.Sprintf("timeout %d: give a number of seconds, or 0 for the default", f.timeout))
	}
	return service.Request{Kind: kind, Projects: f.projects, Force: f.force,
		IOTimeout: time.Duration(f.timeout) * time.Second}, nil
}

func newSyncCmd(a *appContext) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync [--project P]… [--computer X]",
		Short: "Sync all computers (every one ends with the union), or let one computer download from the others",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.request(service.SyncAll)
			if err != nil {
				return err
			}
			if f.computer != "" {
				req.Kind, req.Target = service.SyncComputer, f.computer
			}
			return a.run(cmd, req, f)
		},
	}
	f.register(cmd, "only this project (repeat for several; default all)")
	cmd.Flags().StringVar(&f.computer, "computer", "", "only this computer downloads everything from the others")
	return cmd
}

func newPushCmd(a *appContext) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "push --project P [--from X]",
		Short: "Send a project's folders from one computer to every other",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(f.projects) == 0 {
				return badInput("push needs --project: name the project to send")
			}
			req, err := f.request(service.Push)
			if err != nil {
				return err
			}
			req.Target = f.computer
			return a.run(cmd, req, f)
		},
	}
	f.register(cmd, "the project to send (required; repeat for several)")
	cmd.Flags().StringVar(&f.computer, "from", "", "the sending computer (default: this computer)")
	return cmd
}

// run performs req, or previews it with --dry-run, and prints the result; it returns
// errFailed when anything failed.
func (a *appContext) run(cmd *cobra.Command, req service.Request, f syncFlags) error {
	b, err := a.backend()
	if err != nil {
		return err
	}
	if f.dryRun {
		return a.preview(cmd, b, req, f.asJSON)
	}
	res, err := b.Sync(cmd.Context(), req)
	if err != nil {
		return err
	}
	return a.report(f.asJSON, func() any { return resultView(res) }, func() { a.printResult(res) }, res.Failed())
}

func (a *appContext) printResult(res service.Result) {
	fmt.Fprintf(a.stdout, "%s: %s; %d files, %s in %s\n", res.Status, res.Summary, res.Files, units.Bytes(res.Bytes), res.Duration.Round(time.Millisecond))
	a.printHints(res.Computers)
	a.printConflicts(res.Conflicts, res.Halts)
	for _, w := range res.StillWriting {
		fmt.Fprintf(a.stdout, "%s (project %s); the next sync takes it\n", w, w.Project)
	}
}

func (a *appContext) printHints(computers []service.ComputerResult) {
	for _, c := range computers {
		if hint := statusHint(c.Name, c.Status); hint != "" {
			fmt.Fprintf(a.stdout, "%s: %s\n", c.Name, hint)
		}
	}
}

type changeJSON struct {
	Code string `json:"code"`
	Path string `json:"path"`
}

type transferJSON struct {
	From       string       `json:"from"`
	To         string       `json:"to"`
	Folders    []string     `json:"folders"`
	Command    string       `json:"command"`
	ExitCode   int          `json:"exit_code"`
	Error      string       `json:"error,omitempty"`
	Bytes      int64        `json:"bytes"`
	Files      int64        `json:"files"`
	DurationMS int64        `json:"duration_ms"`
	Tries      int          `json:"tries"`
	Changes    []changeJSON `json:"changes"`
}

type computerJSON struct {
	Name   string         `json:"name"`
	Status service.Status `json:"status"`
	Reason string         `json:"reason,omitempty"`
	Hint   string         `json:"hint,omitempty"` // what to do about the status, as a command
}

type resultJSON struct {
	RunID      uint           `json:"run_id"`
	Status     service.Status `json:"status"`
	Summary    string         `json:"summary"`
	Bytes      int64          `json:"bytes"`
	Files      int64          `json:"files"`
	DurationMS int64          `json:"duration_ms"`
	Computers  []computerJSON `json:"computers"`
	Transfers  []transferJSON `json:"transfers"`
	Conflicts  []conflictJSON `json:"conflicts"`
	Halts      []haltJSON     `json:"halts"`
	// StillWriting are the files left for the next sync: they changed on their sender
	// between its listing and the transfer.
	StillWriting []stillWritingJSON `json:"still_writing"`
}

type stillWritingJSON struct {
	Computer string `json:"computer"`
	Project  string `json:"project"`
	Path     string `json:"path"`
}

func resultView(res service.Result) resultJSON {
	v := resultJSON{RunID: res.RunID, Status: res.Status, Summary: res.Summary, Bytes: res.Bytes, Files: res.Files,
		DurationMS: res.Duration.Milliseconds(), Computers: []computerJSON{}, Transfers: []transferJSON{},
		Conflicts: conflictsView(res.Conflicts), Halts: haltsView(res.Halts), StillWriting: []stillWritingJSON{}}
	for _, w := range res.StillWriting {
		v.StillWriting = append(v.StillWriting, stillWritingJSON{w.Computer, w.Project, w.Path})
	}
	for _, c := range res.Computers {
		v.Computers = append(v.Computers, computerJSON{c.Name, c.Status, c.Reason, statusHint(c.Name, c.Status)})
	}
	for _, t := range res.Transfers {
		tj := transferJSON{From: t.From, To: t.To, Folders: t.Folders, Command: t.Command, ExitCode: t.ExitCode, Error: t.Error,
			Bytes: t.Bytes, Files: t.Files, DurationMS: t.Duration.Milliseconds(), Tries: t.Tries, Changes: []changeJSON{}}
		for _, c := range t.Changes {
			tj.Changes = append(tj.Changes, changeJSON{c.Code, c.Path})
		}
		v.Transfers = append(v.Transfers, tj)
	}
	return v
}
