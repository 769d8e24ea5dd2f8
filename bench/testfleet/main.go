// Command testfleet starts throwaway sshd test computers on loopback for scripts, with
// the e2e tests' fixture (package filesync/sync/testfleet); bench/fleet.sh runs it.
//
//	testfleet [-net 127.0.0] start N DIR   start computers c1…cN under DIR and leave them
//	                                       running; write DIR/fleet.tsv and print the
//	                                       "filesync computer add" line of each
//	testfleet stop DIR                     stop them, with their open connections
//
// fleet.tsv has a line per computer, "name host port root netns" (netns "-": loopback),
// as bench/seed-loop.sh, bench/expert.sh and bench/fleetbench read it. Starting again in
// the same DIR keeps the keys: the client key DIR/client_key (a key put there first is
// the one authorized) and the computers' host keys.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"filesync/sync/testfleet"
)

func main() {
	net := flag.String("net", "127.0.0", "the first three octets of the computers' addresses, in 127.0.0.0/8: c1 gets .11, c2 .12, …")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: testfleet [-net 127.0.0] start N DIR | stop DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	args := flag.Args()
	var err error
	switch {
	case len(args) == 3 && args[0] == "start":
		n, convErr := strconv.Atoi(args[1])
		if convErr != nil {
			flag.Usage()
			os.Exit(2)
		}
		err = start(n, args[2], *net, os.Stdout)
	case len(args) == 2 && args[0] == "stop":
		err = testfleet.StopDetached(args[1])
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testfleet:", err)
		os.Exit(1)
	}
}

// start starts n detached computers under dir on net, writes dir/fleet.tsv and prints
// to out how to add each computer to FileSync.
func start(n int, dir, net string, out io.Writer) error {
	f, err := testfleet.New(testfleet.Options{Computers: n, Dir: dir, Net: net, Detach: true, Logf: logf})
	if err != nil {
		return err
	}
	var tsv strings.Builder
	for _, c := range f.Computers {
		fmt.Fprintf(&tsv, "%s\t%s\t%d\t%s\t-\n", c.Name, c.Host, c.Port, c.Root)
	}
	if err := os.WriteFile(filepath.Join(f.Dir, "fleet.tsv"), []byte(tsv.String()), 0o644); err != nil {
		_ = f.Close()
		return err
	}
	for _, c := range f.Computers {
		fmt.Fprintf(out, "filesync computer add %s --host %s --port %d --user %s --root %s --identity %s --trust\n",
			c.Name, c.Host, c.Port, f.User, c.Root, f.ClientKey)
	}
	return nil
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
