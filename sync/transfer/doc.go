// Package transfer runs one transfer — an rsync of some folders from one computer to
// another — choosing how by where the two ends are: locally when either end is this
// computer, on the destination over ssh when both are remote, or staged through this
// computer when one end asks for a relay. Each way is an Executor.
package transfer
