package gui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"github.com/sirupsen/logrus"

	"filesync/app/runs"
	"filesync/data"
	"filesync/sync/engine"
	"filesync/sync/sshcmd"
	"filesync/widgets"
)

// Backend starts runs and stops single transfers; *runs.Runner is the real one.
type Backend interface {
	Run(ctx context.Context, req runs.Request, events chan<- engine.Event) (engine.Result, error)
	CancelTransfer(run uint, index int) bool
	RunTask(ctx context.Context, t runs.Task) (int, error)
}

// Deps is what the window works with.
type Deps struct {
	Store   *data.Store
	Backend Backend
	SSH     sshcmd.Config
	Log     *logrus.Logger // its entries also go to the log pane
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
	projects  *projectsTab
	activity  *activityTab
	history   *historyTab

	tray desktop.App // set once the tray is installed

	mu      sync.Mutex
	cancels map[uint]context.CancelFunc // runs in progress, by run id
	active  int                         // runs started and not yet ended
}

// LogCapacity is how many lines the log pane keeps.
const LogCapacity = 10000

// New builds the window (not shown yet).
func New(a fyne.App, d Deps) *UI {
	u := &UI{app: a, deps: d, cancels: map[uint]context.CancelFunc{}}
	u.win = a.NewWindow("FileSync")
	if d.Icon != nil {
		u.win.SetIcon(d.Icon)
	}
	u.logView = widgets.NewLogView(LogCapacity)
	if d.Log != nil {
		d.Log.AddHook(&logPaneHook{view: u.logView})
	}
	u.computers = newComputersTab(u)
	u.projects = newProjectsTab(u)
	u.activity = newActivityTab(u)
	u.history = newHistoryTab(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Computers", theme.ComputerIcon(), u.computers.content),
		container.NewTabItemWithIcon("Projects", theme.FolderIcon(), u.projects.content),
		container.NewTabItemWithIcon("Activity", theme.MediaPlayIcon(), u.activity.content),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), u.history.content),
	)
	u.win.SetContent(u.tabs)
	u.win.Resize(fyne.NewSize(1280, 800))
	u.addShortcuts()
	u.Reload()
	return u
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Reload reads computers, projects and history from the store again. UI goroutine only.
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

func (u *UI) showError(err error) {
	showError(u.win, err)
}
