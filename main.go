// Command filesync keeps project folders in sync across computers with rsync over ssh.
// Without a sub-command it opens the window; with one it is the command line (see
// "filesync --help").
package main

import (
	_ "embed"
	"os"

	"github.com/sirupsen/logrus"

	"filesync/app/cli"
	"filesync/app/clocale"
	"filesync/app/desktop"
	"filesync/app/paths"
)

//go:embed Icon.png
var icon []byte

func main() {
	clocale.Restore()
	window := func(p paths.Paths, log *logrus.Logger) int { return desktop.Run(p, log, icon) }
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr, window))
}
