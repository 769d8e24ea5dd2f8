// Package widgets holds FileSync's reusable Fyne widgets: the activity log, status
// badges, tiles (the cells of a grid of states), transfer progress rows and the list editor.
//
// The package knows nothing about the store or the sync engine and never imports
// fyne.io/fyne/v2/app, so its tests run headless with fyne.io/fyne/v2/test.
// Unless a doc comment says otherwise, methods must be called on the UI goroutine
// (from Fyne callbacks or through fyne.Do).
package widgets
