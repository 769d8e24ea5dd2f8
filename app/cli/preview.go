package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"filesync/app/service"
	"filesync/widgets/units"
)

// changesShown caps the changes listed per destination in a dry run's text; --json has all.
const changesShown = 200

func (a *appContext) preview(cmd *cobra.Command, b Backend, req service.Request, asJSON bool) error {
	p, err := b.Preview(cmd.Context(), req)
	if err != nil {
		return err
	}
	return a.report(asJSON, func() any { return previewView(p) }, func() { a.printPreview(p) }, p.Failed())
}

func (a *appContext) printPreview(p service.Preview) {
	for _, d := range p.Deliveries {
		a.printDelivery(d)
	}
	for _, c := range p.Computers {
		if c.Status != service.StatusOK {
			fmt.Fprintf(a.stdout, "cannot take part: %s\n", c.Reason)
		}
	}
	if p.Problem != "" {
		fmt.Fprintf(a.stdout, "nothing can be planned: %s\n", p.Problem)
	}
	a.printConflicts(p.Conflicts, p.Halts)
	files, bytes, deletes := p.Totals()
	fmt.Fprintf(a.stdout, "dry run, nothing changed: %s (%s) to send, %s; planned in %s\n",
		units.Count(files, "file"), units.Bytes(bytes), units.Count(deletes, "deletion"), p.Took.Round(10*time.Millisecond))
	a.printHints(p.Computers)
}

func (a *appContext) printDelivery(d service.Delivery) {
	if len(d.Changes) == 0 {
		fmt.Fprintf(a.stdout, "%s: nothing to change\n", d.To)
		return
	}
	fmt.Fprintf(a.stdout, "%s ← %s (%s), %s\n", d.To, units.Count(d.Files, "file"), units.Bytes(d.Bytes), units.Count(d.Deletes, "deletion"))
	for _, c := range d.Changes[:min(len(d.Changes), changesShown)] {
		switch {
		case c.Folder:
			fmt.Fprintf(a.stdout, "  - %s/ (a folder of %s, into versions)\n", c.Path, units.Count(c.Files, "file"))
		case c.Delete:
			fmt.Fprintf(a.stdout, "  - %s (into versions)\n", c.Path)
		case c.Overwrites:
			fmt.Fprintf(a.stdout, "  + %s (%s, from %s; this computer's conflicting copy goes into versions)\n", c.Path, units.Bytes(c.Size), c.From)
		default:
			fmt.Fprintf(a.stdout, "  + %s (%s, from %s)\n", c.Path, units.Bytes(c.Size), c.From)
		}
	}
	if more := len(d.Changes) - changesShown; more > 0 {
		fmt.Fprintf(a.stdout, "  … and %d more (--json lists all)\n", more)
	}
	if d.Halted != "" {
		fmt.Fprintf(a.stdout, "  halted: %s\n", d.Halted)
	}
}

type plannedJSON struct {
	Project string `json:"project"`
	Path    string `json:"path"`
	From    string `json:"from,omitempty"`
	Size    int64  `json:"size"`
	Delete  bool   `json:"delete"`
	Folder  bool   `json:"folder,omitempty"` // a folder deleted as a whole
	Files   int    `json:"files,omitempty"`  // files in that folder
	// Overwrites: the destination's copy lost a conflict and goes into its versions.
	Overwrites bool `json:"overwrites,omitempty"`
}

type deliveryJSON struct {
	Computer string        `json:"computer"`
	Files    int           `json:"files"`
	Bytes    int64         `json:"bytes"`
	Deletes  int           `json:"deletes"`
	Halted   string        `json:"halted,omitempty"`
	Changes  []plannedJSON `json:"changes"`
}

type previewJSON struct {
	DryRun       bool           `json:"dry_run"`
	Kind         service.Kind   `json:"kind"`
	Target       string         `json:"target,omitempty"`
	Problem      string         `json:"problem,omitempty"`
	Files        int            `json:"files"`
	Bytes        int64          `json:"bytes"`
	Deletes      int            `json:"deletes"`
	TookMS       int64          `json:"took_ms"`
	Computers    []computerJSON `json:"computers"`
	Destinations []deliveryJSON `json:"destinations"`
	Conflicts    []conflictJSON `json:"conflicts"`
	Halts        []haltJSON     `json:"halts"`
}

func previewView(p service.Preview) previewJSON {
	v := previewJSON{DryRun: true, Kind: p.Kind, Target: p.Target, Problem: p.Problem, TookMS: p.Took.Milliseconds(),
		Computers: []computerJSON{}, Destinations: []deliveryJSON{}, Conflicts: conflictsView(p.Conflicts), Halts: haltsView(p.Halts)}
	v.Files, v.Bytes, v.Deletes = p.Totals()
	for _, c := range p.Computers {
		v.Computers = append(v.Computers, computerJSON{c.Name, c.Status, c.Reason, statusHint(c.Name, c.Status)})
	}
	for _, d := range p.Deliveries {
		dj := deliveryJSON{Computer: d.To, Files: d.Files, Bytes: d.Bytes, Deletes: d.Deletes, Halted: d.Halted, Changes: []plannedJSON{}}
		for _, c := range d.Changes {
			dj.Changes = append(dj.Changes, plannedJSON{Project: c.Project, Path: c.Path, From: c.From, Size: c.Size, Delete: c.Delete,
				Folder: c.Folder, Files: c.Files, Overwrites: c.Overwrites})
		}
		v.Destinations = append(v.Destinations, dj)
	}
	return v
}
