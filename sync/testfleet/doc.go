// Package testfleet is the fixture of FileSync's integration tests and of the loopback
// computers of its benchmarks: it starts real sshd instances as "test computers", each
// with its own host key, config and root folder, all accepting one client key, and on
// request an ssh-agent holding that key, so tests can run real ssh and rsync between
// computers. It runs as the current user (root or not) and binds only to loopback
// addresses in 127.0.0.0/8, never to any other address.
//
// New and Close are the core, which returns errors and works outside go test too
// (bench/testfleet starts fleets for scripts with it, detached from itself). Start(t, n)
// wraps them for tests: it registers the fleet's Close as a cleanup and fails the test
// with a "setup:" message when the fleet cannot start. A missing sshd, ssh or rsync is
// such a failure, never a skip.
//
// It imports nothing from FileSync, so that tests of any package can use it.
package testfleet
