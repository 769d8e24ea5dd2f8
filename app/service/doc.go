// Package service is FileSync's application layer: the one place that both front ends,
// the command line (app/cli) and the window (app/gui), call for every user action —
// sync, push, task-then-push, cancel, check, trust, adding, editing and removing
// computers and projects, history, import-env. It validates input, records every run,
// logs it, and publishes what happens on one event stream per process (Bus), whoever
// started the run. Errors it returns carry a kind (bad input or failure) and a hint that
// each front end words in its own terms.
//
// The front ends import this package, data (records) and nothing of sync/: the types
// they need are re-exported here. This package imports no Fyne.
package service
