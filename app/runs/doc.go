// Package runs joins the store and the engine: it turns a request ("sync all", "push P
// from X") into an engine action over the computers and projects in the database, records
// the run and its transfers in the history, and logs every command and output line.
// Both the command line and the window start runs through it.
package runs
