// Package autosync runs FileSync's automatic syncs from the store's settings: it pushes a
// project from this computer when its files change (the project's watch switch), runs Sync
// all on each project's interval, and picks up changed settings while it runs. Both
// "filesync watch" and the window use it.
package autosync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/app/service"
	"filesync/data"
	"filesync/sync/transfer"
	"filesync/sync/watch"
)

// Runs is what automatic sync needs of the application layer.
type Runs interface {
	Sync(ctx context.Context, req service.Request) (service.Result, error)
	ThisComputer() (string, error)
	Computer(name string) (data.Computer, error)
	Projects() ([]data.Project, error)
}

var _ Runs = (*service.Service)(nil)

// Service keeps the automatic syncs of the store's projects running until its context ends.
// Its runs are the application layer's like any other: they are recorded and published on
// its event stream, so an open window shows them live.
type Service struct {
	Runs Runs
	Only []string // these projects, watched whatever their switch; none = every project with watch or an interval
	Log  logrus.FieldLogger
	Poll time.Duration        // how often settings are re-read (default 3 s)
	Tune func(*watch.Service) // adjusts the watch (tests shorten its delays)
}

// plan is what to watch and schedule, from the settings.
type plan struct {
	this     string
	projects []watch.Project
}

func (p plan) String() string { return fmt.Sprintf("%s %+v", p.this, p.projects) }

// Serve runs until ctx ends. With Only set, a project that does not exist is an error at
// start; later problems (a project removed, no local computer) are logged and waited out.
func (s *Service) Serve(ctx context.Context) error {
	if s.Poll <= 0 {
		s.Poll = 3 * time.Second
	}
	current, err := s.load()
	if err != nil && len(s.Only) > 0 {
		return err
	}
	for ctx.Err() == nil {
		s.report(current, err)
		child, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := s.watch(child, current); err != nil {
				s.Log.Errorf("automatic sync stopped: %v; it starts again when the settings change", err)
			}
		}()
		next, nextErr := s.waitForChange(ctx, current, err)
		stop()
		<-done
		current, err = next, nextErr
	}
	return nil
}

func (s *Service) report(p plan, err error) {
	if err != nil {
		s.Log.Warnf("automatic sync is paused: %v", err)
		return
	}
	var names []string
	for _, pr := range p.projects {
		names = append(names, pr.Name)
	}
	if len(names) == 0 {
		s.Log.Info("automatic sync: no project has watch or an interval")
		return
	}
	s.Log.Infof("automatic sync from %s for %v", p.this, names)
}

// waitForChange polls the settings until they, or the problem that pauses automatic sync,
// differ from current and currentErr (or ctx ends): a pause is reported once, not at
// every poll.
func (s *Service) waitForChange(ctx context.Context, current plan, currentErr error) (plan, error) {
	ticker := time.NewTicker(s.Poll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return current, currentErr
		case <-ticker.C:
			next, err := s.load()
			if errorText(err) != errorText(currentErr) || err == nil && next.String() != current.String() {
				return next, err
			}
		}
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (s *Service) watch(ctx context.Context, p plan) error {
	if len(p.projects) == 0 {
		<-ctx.Done()
		return nil
	}
	svc := &watch.Service{Projects: p.projects, Run: s.runFor(p), Log: s.Log}
	if s.Tune != nil {
		s.Tune(svc)
	}
	return svc.Serve(ctx)
}

// runFor is what a trigger does: a change pushes the project from this computer; an
// interval (or a retry of an interval-only project) syncs it across every computer.
// A push leaves out the files the watch holds back as still being written.
func (s *Service) runFor(p plan) func(context.Context, watch.Run) error {
	return func(ctx context.Context, r watch.Run) error {
		req := service.Request{Kind: service.SyncAll, Projects: []string{r.Project}, Trigger: service.TriggerInterval}
		if r.Why != watch.Interval && p.watched(r.Project) {
			req = service.Request{Kind: service.Push, Target: p.this, Projects: []string{r.Project}, Trigger: service.TriggerWatch, Hold: r.Held}
		}
		res, err := s.Runs.Sync(ctx, req)
		if err == nil && res.Failed() {
			err = errors.New(res.Summary)
		}
		return err
	}
}

func (p plan) watched(project string) bool {
	for _, pr := range p.projects {
		if pr.Name == project {
			return pr.Watch
		}
	}
	return false
}

// load reads this computer and the projects to watch from the store.
func (s *Service) load() (plan, error) {
	this, err := s.Runs.ThisComputer()
	if err != nil {
		return plan{}, err
	}
	c, err := s.Runs.Computer(this)
	if err != nil {
		return plan{}, err
	}
	root, err := transfer.LocalRoot(c.Root)
	if err != nil {
		return plan{}, err
	}
	stored, err := s.Runs.Projects()
	if err != nil {
		return plan{}, err
	}
	if err := s.checkOnly(stored); err != nil {
		return plan{}, err
	}
	out := plan{this: this}
	for _, pr := range stored {
		named := slices.Contains(s.Only, pr.Name)
		if len(s.Only) > 0 && !named || len(s.Only) == 0 && !pr.Watch && pr.IntervalMinutes == 0 {
			continue
		}
		res, err := service.ResolveFolders(pr)
		if err != nil {
			return plan{}, err
		}
		out.projects = append(out.projects, watch.Project{Name: pr.Name, Root: root, Folders: res.Folders,
			Watch: pr.Watch || named, Interval: time.Duration(pr.IntervalMinutes) * time.Minute})
	}
	return out, nil
}

func (s *Service) checkOnly(stored []data.Project) error {
	for _, name := range s.Only {
		if !slices.ContainsFunc(stored, func(p data.Project) bool { return p.Name == name }) {
			return service.BadInput(fmt.Errorf("no project named %q", name), service.Hint{Do: service.ListProjects})
		}
	}
	return nil
}
