// Package testfleet is a test fixture for FileSync's integration tests: it starts real sshd
// instances as "test computers", each with its own host key, config and empty root folder,
// plus an ssh-agent holding a client key authorized on all of them, so tests can run real
// ssh and rsync between computers. It runs as the current user (root or not) and binds
// only to loopback addresses in 127.0.0.0/8, never to any other address. Everything is
// stopped by the test's cleanup. It imports nothing from FileSync, so that tests of any
// package can use it.
package testfleet
