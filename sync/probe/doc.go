// Package probe asks computers whether they can take part in a run — reachable over ssh,
// pinned host key still offered, rsync installed — and, for "computer check", reports the
// remote rsync version, whether the root folder is writable and its free space.
package probe
