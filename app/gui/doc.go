// Package gui is FileSync's window: the Computers, Fleet, Projects, Activity and History
// tabs, the tray menu, notifications and shortcuts. Every action goes to the application layer
// through a Backend (app/service); what happens — whoever started it — comes back on the
// service's event stream, which events.go applies to the widgets: the one place that
// calls fyne.Do. It does not create the Fyne app (package desktop does), so it builds and
// tests headless.
package gui
