package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/data"
	"filesync/sync/engine"
)

func event(k EventKind, run uint) Event { return Event{Event: engine.Event{Kind: k, RunID: run}} }

func TestBus_AStalledSubscriberNeverBlocksThePublisherNorLosesARunsEnd(t *testing.T) {
	var bus Bus
	stalled := bus.Subscribe()
	defer stalled.Close()
	start := time.Now()
	for i := range 3 * maxQueued {
		bus.Publish(event(Output, uint(i)))
	}
	bus.Publish(event(RunFinished, 1))
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("publishing to a subscriber that reads nothing took %s", took)
	}
	outputs := 0
	for ended := false; !ended; {
		select {
		case ev := <-stalled.Events():
			ended = ev.Kind == RunFinished
			if !ended {
				outputs++
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no run end after %d outputs", outputs)
		}
	}
	if dropped := stalled.Dropped(); dropped == 0 || outputs > maxQueued+1 || outputs+dropped != 3*maxQueued {
		t.Errorf("the stalled subscriber got %d outputs and %d were dropped; want at most %d kept, the rest of %d dropped, and the run's end",
			outputs, dropped, maxQueued+1, 3*maxQueued)
	}
}

func TestBus_DeliversInOrderOnlyTheKindsAsked(t *testing.T) {
	var bus Bus
	sub := bus.Subscribe(RunStarted, RunFinished)
	defer sub.Close()
	for i, k := range []EventKind{RunStarted, Output, ProgressMade, RunFinished, RunStarted} {
		bus.Publish(event(k, uint(i)))
	}
	var got []string
	for range 3 {
		ev := <-sub.Events()
		got = append(got, fmt.Sprintf("%s %d", ev.Kind, ev.RunID))
	}
	if want := "run started 0,run finished 3,run started 4"; strings.Join(got, ",") != want {
		t.Errorf("got %q, want %q", strings.Join(got, ","), want)
	}
}

func TestBus_LateSubscriberSeesOnlyLaterEventsAndCloseEndsTheStream(t *testing.T) {
	var bus Bus
	bus.Publish(event(RunStarted, 1))
	sub := bus.Subscribe()
	bus.Publish(event(RunStarted, 2))
	if ev := <-sub.Events(); ev.RunID != 2 {
		t.Errorf("late subscriber got run %d first, want 2", ev.RunID)
	}
	sub.Close()
	if _, open := <-sub.Events(); open {
		t.Error("Events still open after Close")
	}
	bus.Publish(event(RunStarted, 3))
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want ErrorKind
	}{
		{"a plain error", errors.New("rsync exited 23"), KindFailed},
		{"a missing record, as the service returns it", fromStore(fmt.Errorf("load: %w", &data.NotFoundError{Kind: "computer", Name: "x"})), KindBadInput},
		{"a conflict, as the service returns it", fromStore(&data.ConflictError{Kind: "project", Field: "name", Value: "p", Existing: "p"}), KindBadInput},
		{"a bad field, as CheckComputer returns it", CheckComputer(data.Computer{Name: "x", Host: "h", Port: 70000, Root: "~/r", User: "u"}), KindBadInput},
		{"a bad folder entry, as CheckProject returns it", checkProjectErr(), KindBadInput},
		{"marked bad input", BadInput(errors.New("no"), Hint{}), KindBadInput},
		{"marked failed", &Error{Kind: KindFailed, Err: &data.NotFoundError{Kind: "run", Name: "1"}}, KindFailed},
	} {
		if got := KindOf(tc.err); got != tc.want {
			t.Errorf("%s: KindOf = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func checkProjectErr() error {
	p := data.NewProject("p")
	p.SyncFolders = []string{"../x"}
	_, err := CheckProject(p)
	return err
}

func TestStatusHint_OnlyTrustProblemsHaveOne(t *testing.T) {
	for s, want := range map[Status]Remedy{
		StatusNotTrusted: TrustComputer, StatusHostKeyChanged: TrustComputer,
		StatusUnreachable: NoRemedy, StatusFailed: NoRemedy, StatusOK: NoRemedy,
	} {
		if got := StatusHint("gpu", s); got.Do != want || (want != NoRemedy && got.Name != "gpu") {
			t.Errorf("StatusHint(%s) = %+v, want remedy %d", s, got, want)
		}
	}
}

func TestSupervisor_RestartsAFailedServiceAndLogsWhy(t *testing.T) {
	log, hook := testLogger()
	s := &Supervisor{Log: log, MaxBackoff: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	starts := 0
	s.Go(ctx, "the flaky service", func(ctx context.Context) error {
		mu.Lock()
		starts++
		n := starts
		mu.Unlock()
		if n < 3 {
			return fmt.Errorf("failure %d", n)
		}
		<-ctx.Done()
		return nil
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := starts
		mu.Unlock()
		if n == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	s.Wait()
	if starts != 3 {
		t.Errorf("the service was started %d times, want 3 (two failures, then it runs)", starts)
	}
	if got := hook.text(); !strings.Contains(got, "the flaky service failed: failure 1") || !strings.Contains(got, "failure 2") {
		t.Errorf("log %q does not say why the service failed", got)
	}
}

func TestSupervisor_WaitReturnsOnceEveryServiceStopped(t *testing.T) {
	log, _ := testLogger()
	s := &Supervisor{Log: log}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	s.Go(ctx, "slow to stop", func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		close(stopped)
		return nil
	})
	cancel()
	s.Wait()
	select {
	case <-stopped:
	default:
		t.Fatal("Wait returned before the service had stopped")
	}
}

type logHook struct {
	mu    sync.Mutex
	lines []string
}

func (h *logHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *logHook) Fire(e *logrus.Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, e.Message)
	return nil
}

func (h *logHook) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}

func testLogger() (*logrus.Logger, *logHook) {
	log := logrus.New()
	log.SetOutput(discard{})
	hook := &logHook{}
	log.AddHook(hook)
	return log, hook
}
