// Package watch triggers syncs without a user: it watches a project's folders on this
// computer (inotify, recursively, leaving ignored folders out), debounces bursts of
// changes, runs per-project intervals, and makes sure two runs of one project never overlap
// — a trigger during a run becomes one follow-up run. What a run does is the caller's
// RunFunc; this package knows nothing of the store, the window or ssh.
package watch
