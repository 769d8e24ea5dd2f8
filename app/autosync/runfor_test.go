package autosync

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"filesync/app/service"
	"filesync/data"
	"filesync/sync/watch"
)

// recordingRuns is a Runs that records the requests it is given and ends each with result.
type recordingRuns struct {
	requests []service.Request
	result   service.Result
	err      error
}

func (r *recordingRuns) Sync(_ context.Context, req service.Request) (service.Result, error) {
	r.requests = append(r.requests, req)
	return r.result, r.err
}
func (r *recordingRuns) ThisComputer() (string, error)          { return "here", nil }
func (r *recordingRuns) Computer(string) (data.Computer, error) { return data.Computer{}, nil }
func (r *recordingRuns) Projects() ([]data.Project, error)      { return nil, nil }

func TestRunFor_PushesAChangeAndSyncsAnInterval(t *testing.T) {
	p := plan{this: "here", projects: []watch.Project{
		{Name: "watched", Watch: true},
		{Name: "both", Watch: true, Interval: 1},
		{Name: "timed", Interval: 1},
	}}
	push := func(project string, held ...string) service.Request {
		return service.Request{Kind: service.Push, Target: "here", Projects: []string{project}, Trigger: service.TriggerWatch, Hold: held}
	}
	syncAll := func(project string) service.Request {
		return service.Request{Kind: service.SyncAll, Projects: []string{project}, Trigger: service.TriggerInterval}
	}
	cases := []struct {
		project string
		why     watch.Trigger
		held    []string
		want    service.Request
	}{
		{"watched", watch.Changed, nil, push("watched")},
		{"watched", watch.Changed, []string{"models/watched/ckpt.pt"}, push("watched", "models/watched/ckpt.pt")},
		{"watched", watch.Retry, nil, push("watched")},
		{"both", watch.Changed, nil, push("both")},
		{"both", watch.Interval, nil, syncAll("both")},
		{"timed", watch.Interval, nil, syncAll("timed")},
		{"timed", watch.Retry, nil, syncAll("timed")},
	}
	for _, c := range cases {
		runs := &recordingRuns{result: service.Result{Status: service.StatusOK}}
		s := &Service{Runs: runs}
		if err := s.runFor(p)(context.Background(), watch.Run{Project: c.project, Why: c.why, Held: c.held}); err != nil {
			t.Errorf("%s (%s): %v", c.project, c.why, err)
		}
		if len(runs.requests) != 1 || !reflect.DeepEqual(runs.requests[0], c.want) {
			t.Errorf("%s (%s) asked for %+v, want %+v", c.project, c.why, runs.requests, c.want)
		}
	}
}

func TestRunFor_FailsWhenTheRunFailsOrCannotStart(t *testing.T) {
	cannotStart := errors.New("a sync needs at least two enabled computers")
	cases := []struct {
		name    string
		runs    *recordingRuns
		wantErr string // "" for none
	}{
		{"a run that ended ok", &recordingRuns{result: service.Result{Status: service.StatusOK, Summary: "all computers ok"}}, ""},
		{"a run that failed gives its summary", &recordingRuns{result: service.Result{Status: service.StatusFailed, Summary: "1/2 computers ok; gpu: unreachable"}},
			"1/2 computers ok; gpu: unreachable"},
		{"a run that could not start gives why", &recordingRuns{err: cannotStart}, cannotStart.Error()},
	}
	p := plan{this: "here", projects: []watch.Project{{Name: "proj", Watch: true}}}
	for _, c := range cases {
		err := (&Service{Runs: c.runs}).runFor(p)(context.Background(), watch.Run{Project: "proj", Why: watch.Changed})
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v, want no error", c.name, err)
		case c.wantErr != "" && (err == nil || err.Error() != c.wantErr):
			t.Errorf("%s: error %v, want %q (the watch retries failed runs)", c.name, err, c.wantErr)
		}
	}
}
