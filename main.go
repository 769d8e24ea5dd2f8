// Command filesync keeps project folders in sync across computers with rsync over ssh.
// With no arguments it opens the window; with a sub-command it is the command line (see
// "filesync --help").
package main

import (
	_ "embed"
	"os"

	"filesync/app/clocale"

	"filesync/app/cli"
	"filesync/app/desktop"
)

//go:embed Icon.png
var icon []byte

func main() {
	clocale.Restore()
	if len(os.Args) == 1 {
		os.Exit(desktop.Run(icon))
	}
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr))
}
