// Package fleet holds the engine's view of the fleet: computers and projects as the sync
// engine needs them, with the validation of their fields. It knows nothing of the database
// (package data) or the window (Fyne); the app converts between them.
package fleet
