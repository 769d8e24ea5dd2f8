// Package clocale keeps Fyne from logging "Error parsing user locale C" on every start under
// LANG=C.UTF-8 (the default on many servers and containers), which Fyne's locale lookup
// does not recognise as the C locale. Imported first by main, its init runs before Fyne's
// packages initialise (packages are initialised in import-path order once their own
// imports are ready, and this one needs only os and strings); it shows Fyne plain "C" and
// Restore gives the user's value back before any child process (rsync, ssh) starts.
package clocale

import (
	"os"
	"strings"
)

var saved = map[string]string{}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		value := os.Getenv(name)
		if value == "" {
			continue
		}
		if strings.HasPrefix(value, "C.") || strings.HasPrefix(value, "POSIX.") {
			saved[name] = value
			os.Setenv(name, "C")
		}
		return
	}
}

// Restore puts back the locale variables init changed.
func Restore() {
	for name, value := range saved {
		os.Setenv(name, value)
	}
}
