// Package e2e holds FileSync's end-to-end tests: the real filesync binary driving real
// rsync and ssh against real sshd test computers on loopback (see package filesync/sync/testfleet).
package e2e
