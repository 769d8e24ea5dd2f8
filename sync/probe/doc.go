// Package probe asks computers whether they can take part in a run — reachable over ssh,
// pinned host key still offered, rsync installed — and, for "computer check", reports the
// remote rsync version, whether the root folder exists and is writable, its free space and
// how long starting a command takes there. Recent lets runs that follow each other skip
// probing computers that answered a moment ago.
package probe
