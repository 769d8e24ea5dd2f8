// Package sshcmd builds OpenSSH client command lines: the options every connection uses and
// the one function, Quote, that turns an argv into the command line a remote shell parses.
// Nothing else in FileSync may build text for a shell.
package sshcmd
