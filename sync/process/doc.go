// Package process runs one external program (rsync, ssh) from an argv — never through a
// shell — in its own process group, streams every output line as it comes, and stops the
// whole group on cancellation: SIGTERM first, SIGKILL after a grace period.
package process
