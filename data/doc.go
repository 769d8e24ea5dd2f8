// Package data owns FileSync's embedded database: the computers, projects and
// the history of sync runs, stored with gorm in a single SQLite file through
// the pure-Go driver github.com/glebarez/sqlite (no cgo).
//
// Several processes (the GUI and CLI invocations) use the same file at once,
// so every connection runs in WAL mode with a busy timeout and every
// transaction begins IMMEDIATE: writers queue for the lock instead of failing
// with "database is locked".
//
// This package sits at the bottom of the dependency graph. It must not import
// Fyne nor anything under filesync/sync or filesync/app.
package data
