package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/widgets/units"
)

// filesShown caps the files listed per cell by --files (and in --json with --files).
const filesShown = 50

func newStatusCmd(a *appContext) *cobra.Command {
	var (
		req    service.StatusRequest
		files  bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "status [--project P]… [--computer X] [--files] [--json]",
		Short: "Show what every computer lacks or holds newer, without syncing",
		Long: `Lists every enabled computer's project folders at once (one rsync --list-only each)
and compares them: for each computer and project, the files a Sync all would bring it
and the files whose newest copy it holds. Nothing is transferred, nothing is created,
and no run is recorded.

Exit status: 0 when everything is in sync, 1 when anything differs or a computer could
not be listed, 2 on bad input.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend()
			if err != nil {
				return err
			}
			st, err := b.Status(cmd.Context(), req)
			if err != nil {
				return err
			}
			return a.report(asJSON, func() any { return statusView(st, files) }, func() { printStatus(a.stdout, st, files) }, !st.InSync())
		},
	}
	cmd.Flags().StringArrayVar(&req.Projects, "project", nil, "only this project (repeat for several; default all)")
	cmd.Flags().StringVar(&req.Computer, "computer", "", "only this computer's row")
	cmd.Flags().BoolVar(&files, "files", false, fmt.Sprintf("list each cell's files (at most %d per cell) and where the newest copy is", filesShown))
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return cmd
}

func printStatus(w io.Writer, st service.FleetStatus, files bool) {
	t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "COMPUTER\t"+strings.Join(upper(st.Projects), "\t"))
	for _, c := range st.Computers {
		row := []string{c.Name}
		for _, cell := range cellsOf(st, c.Name) {
			row = append(row, cellText(cell))
		}
		fmt.Fprintln(t, strings.Join(row, "\t"))
	}
	t.Flush()
	if files {
		printCellFiles(w, st)
	}
	fmt.Fprintln(w, st.Summary())
	for _, c := range st.Cells {
		if c.State == service.CellHalted {
			fmt.Fprintf(w, "halted: %s\n", c.Reason)
		}
	}
	for _, c := range st.Computers {
		if c.Status != service.StatusOK {
			fmt.Fprintln(w, c.Reason) // it names the computer
			if hint := statusHint(c.Name, c.Status); hint != "" {
				fmt.Fprintf(w, "%s: %s\n", c.Name, hint)
			}
		}
	}
}

func upper(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToUpper(n)
	}
	return out
}

func cellsOf(st service.FleetStatus, computer string) []service.Cell {
	var out []service.Cell
	for _, c := range st.Cells {
		if c.Computer == computer {
			out = append(out, c)
		}
	}
	return out
}

// cellText is a cell in a few words: "3 files, 1.2 MB to receive; 2 newer here".
func cellText(c service.Cell) string {
	var parts []string
	switch c.State {
	case service.CellUnreachable:
		return "unreachable"
	case service.CellHalted:
		return "halted (see below)"
	case service.CellInSync:
		parts = append(parts, "in sync")
	}
	parts = append(parts, service.CellCounts(c)...)
	switch {
	case !c.Synced:
		parts = append(parts, "never synced")
	case c.Changed.Files > 0:
		parts = append(parts, fmt.Sprintf("%d changed here since the last sync", c.Changed.Files))
	}
	return strings.Join(parts, "; ")
}

func printCellFiles(w io.Writer, st service.FleetStatus) {
	for _, c := range st.Cells {
		if len(c.Files) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s / %s:\n", c.Computer, c.Project)
		t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range shownFiles(c.Files) {
			where := "newest on " + f.Newest
			switch {
			case f.Direction == service.Remove:
				where = "deleted on " + f.Newest
			case f.Conflict:
				where += " (a conflict: changed on several computers)"
			}
			fmt.Fprintf(t, "  %s\t%s\t%s\t%s\n", f.Direction, f.Path, units.Bytes(f.Size), where)
		}
		t.Flush()
		if more := len(c.Files) - filesShown; more > 0 {
			fmt.Fprintf(w, "  … and %d more (%d in all)\n", more, len(c.Files))
		}
	}
	fmt.Fprintln(w)
}

func shownFiles(fs []service.CellFile) []service.CellFile {
	return fs[:min(len(fs), filesShown)]
}

type countJSON struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

type cellFileJSON struct {
	Path      string `json:"path"`
	Direction string `json:"direction"`
	NewestOn  string `json:"newest_on"`
	Size      int64  `json:"size"`
	MTime     string `json:"mtime"`
	HeldHere  bool   `json:"held_here"`
	Conflict  bool   `json:"conflict,omitempty"`
}

type cellJSON struct {
	Computer  string            `json:"computer"`
	Project   string            `json:"project"`
	State     service.CellState `json:"state"`
	Reason    string            `json:"reason,omitempty"`
	Receive   countJSON         `json:"receive"`
	NewerHere countJSON         `json:"newer_here"`
	Synced    bool              `json:"synced"`
	Changed   countJSON         `json:"changed_since_sync"`
	Files     []cellFileJSON    `json:"files,omitempty"`
	FileCount int               `json:"file_count"`
}

type statusJSON struct {
	InSync    bool           `json:"in_sync"`
	TookMS    int64          `json:"took_ms"`
	Projects  []string       `json:"projects"`
	Computers []computerJSON `json:"computers"`
	Cells     []cellJSON     `json:"cells"`
}

func statusView(st service.FleetStatus, files bool) statusJSON {
	v := statusJSON{InSync: st.InSync(), TookMS: st.Took.Milliseconds(), Projects: orEmpty(st.Projects),
		Computers: []computerJSON{}, Cells: []cellJSON{}}
	for _, c := range st.Computers {
		v.Computers = append(v.Computers, computerJSON{c.Name, c.Status, c.Reason, statusHint(c.Name, c.Status)})
	}
	for _, c := range st.Cells {
		cj := cellJSON{Computer: c.Computer, Project: c.Project, State: c.State, Reason: c.Reason,
			Receive: countJSON(c.Receive), NewerHere: countJSON(c.NewerHere), Synced: c.Synced,
			Changed: countJSON(c.Changed), FileCount: len(c.Files)}
		if files {
			cj.Files = []cellFileJSON{}
			for _, f := range shownFiles(c.Files) {
				cj.Files = append(cj.Files, cellFileJSON{Path: f.Path, Direction: string(f.Direction), NewestOn: f.Newest,
					Size: f.Size, MTime: time.Unix(f.MTime, 0).UTC().Format(time.RFC3339), HeldHere: f.Held, Conflict: f.Conflict})
			}
		}
		v.Cells = append(v.Cells, cj)
	}
	return v
}
