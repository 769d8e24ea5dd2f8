package cli

import (
	"encoding/json"
	"time"
)

// report prints a command's outcome as JSON (view) or as text, then returns errFailed
// when the outcome is a failure, so that the exit status says so.
func (a *appContext) report(asJSON bool, view func() any, text func(), failed bool) error {
	if asJSON {
		if err := a.printJSON(view()); err != nil {
			return err
		}
	} else {
		text()
	}
	if failed {
		return errFailed
	}
	return nil
}

func (a *appContext) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func formatTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
