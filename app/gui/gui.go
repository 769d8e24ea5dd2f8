package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"filesync/app/service"
	"filesync/widgets"
)

// Deps is what the window works with.
type Deps struct {
	Backend Backend
	Icon    fyne.Resource
}

// UI is the FileSync window and everything it shows.
type UI struct {
	app       fyne.App
	win       fyne.Window
	deps      Deps
	tabs      *container.AppTabs
	logView   *widgets.LogView
	computers *computersTab
	fleet     *fleetTab
	projects  *projectsTab
	activity  *activityTab
	history   *historyTab
	events    *service.Subscription
	shows     chan func()   // background work's results, for follow to show
	closed    chan struct{} // closed by Close

	tray desktop.App // set once the tray is installed

	running map[uint]bool // runs in progress, as the event stream tells (UI goroutine only)

	applied func(service.Event) // tests look at the window once an event is shown
	// versionsShown and versionsRestored: tests look at a Versions dialog once a listing
	// is shown, or a restore has ended.
	versionsShown    func(*versionsView)
	versionsRestored func(service.Result, error)
}

// New builds the window (not shown yet) and starts following the process's events.
func New(a fyne.App, d Deps) *UI {
	u := &UI{app: a, deps: d, running: map[uint]bool{}, shows: make(chan func()), closed: make(chan struct{})}
	u.win = a.NewWindow("FileSync")
	if d.Icon != nil {
		u.win.SetIcon(d.Icon)
	}
	u.logView = widgets.NewLogView(widgets.DefaultLogCapacity)
	u.computers = newComputersTab(u)
	u.fleet = newFleetTab(u)
	u.projects = newProjectsTab(u)
	u.activity = newActivityTab(u)
	u.history = newHistoryTab(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Computers", theme.ComputerIcon(), u.computers.content),
		container.NewTabItemWithIcon("Fleet", theme.GridIcon(), u.fleet.content),
		container.NewTabItemWithIcon("Projects", theme.FolderIcon(), u.projects.content),
		container.NewTabItemWithIcon("Activity", theme.MediaPlayIcon(), u.activity.content),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), u.history.content),
	)
	u.tabs.OnSelected = func(item *container.TabItem) {
		if item.Content == u.fleet.content {
			u.fleet.firstLook()
		}
	}
	u.win.SetContent(u.tabs)
	u.win.Resize(fyne.NewSize(1280, 800))
	u.addShortcuts()
	u.Reload()
	u.events = d.Backend.Events(followed...)
	go u.follow(u.events)
	return u
}

// Close stops following the process's events and ends the fleet listing in progress.
func (u *UI) Close() {
	u.events.Close()
	close(u.closed)
	u.fleet.close()
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Reload reads computers, projects and history again. UI goroutine only.
func (u *UI) Reload() {
	u.computers.reload()
	u.projects.reload()
	u.history.reload()
	u.logView.SetChoices(u.computers.names(), u.projects.names())
	u.refreshTray()
}

// ShowTab brings the named tab to the front.
func (u *UI) ShowTab(name string) {
	for _, item := range u.tabs.Items {
		if item.Text == name {
			u.tabs.Select(item)
		}
	}
}
