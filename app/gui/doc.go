// Package gui is FileSync's window: the Computers, Projects, Activity and History tabs, the
// tray menu, notifications and shortcuts. It drives runs through a Backend and reads the
// store; engine events reach the widgets only through this package, and every widget update
// from a goroutine goes through fyne.Do. It does not create the Fyne app (package desktop
// does), so it builds and tests headless.
package gui
