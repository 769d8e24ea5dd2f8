// Command filesync keeps project folders in sync across computers with rsync over ssh.
// With a sub-command it is the command line; see "filesync --help".
package main

import (
	"os"

	"filesync/app/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr))
}
