package cli

import (
	"fmt"

	"filesync/app/service"
)

// message is err as the command line shows it: what failed, then what to do about it.
func message(err error) string {
	if hint := hintText(service.HintOf(err)); hint != "" {
		return err.Error() + "; " + hint
	}
	return err.Error()
}

// hintText words a hint as the command that does it.
func hintText(h service.Hint) string {
	name := service.ShellQuote(h.Name)
	switch h.Do {
	case service.ListComputers:
		return `"filesync computer list" shows the names`
	case service.ListProjects:
		return `"filesync project list" shows the names`
	case service.AddComputer:
		return `add one with "filesync computer add"`
	case service.AddProject:
		return `add one with "filesync project add NAME"`
	case service.EditComputer:
		return fmt.Sprintf(`to change %s, run "filesync computer edit %s"`, h.Name, name)
	case service.EditProject:
		return fmt.Sprintf(`to change %s, run "filesync project edit %s"`, h.Name, name)
	case service.EnableComputer:
		return fmt.Sprintf(`enable it with "filesync computer edit %s --enabled"`, name)
	case service.TrustComputer:
		return fmt.Sprintf(`run "filesync computer trust %s" and compare the fingerprint`, name)
	case service.NameComputer:
		return "name it with --from or --computer"
	case service.GiveCommand:
		return "give it after --, e.g. filesync run --project P -- python train.py"
	}
	return ""
}

// statusHint is what to do about a computer in status s, worded as a command; "" for none.
func statusHint(name string, s service.Status) string {
	return hintText(service.StatusHint(name, s))
}
