// Package hostkeys fetches, fingerprints and pins computers' SSH host keys (trust on first
// use) and writes the app-owned known_hosts file that every ssh connection checks.
package hostkeys
