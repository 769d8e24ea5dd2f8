// Package engine runs FileSync's actions — Sync all, Sync computer X, Push from X — as
// plans of rsync transfers on a bounded pool: a global cap, a per-computer cap and one
// writer per (computer, folder). It reports everything as Events on a channel and knows
// nothing of the window, the database or the command line.
package engine
