package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/engine"
	"filesync/widgets/units"
)

// logEvent writes a run's event to the log. Problems are warnings; changes and results
// are info (a terminal shows them); command lines and the rest of rsync's output are
// debug (shown with -v, and in the window); statistics blocks are trace (the log file).
func (s *Service) logEvent(ev engine.Event) {
	t := ev.Transfer
	fields := s.log.WithFields(logrus.Fields{"run": ev.RunID})
	if t.From != "" {
		fields = fields.WithFields(logrus.Fields{"from": t.From, "to": t.To, "project": strings.Join(t.Projects, ", ")})
	}
	switch ev.Kind {
	case engine.ComputerChecked:
		if c := ev.Computer; c.Status != StatusOK {
			fields.WithField("computer", c.Name).Warn(strings.TrimPrefix(c.Reason, c.Name+": "))
		}
	case engine.Started:
		fields.Debug("$ " + t.Command)
	case engine.Output:
		logOutput(fields, ev)
	case engine.Finished:
		logFinished(fields, ev.Result)
	}
}

func logOutput(log *logrus.Entry, ev engine.Event) {
	switch ev.LineKind {
	case engine.LineProblem:
		log.Warn(ev.Line)
	case engine.LineChange:
		log.Info(ev.Line)
	case engine.LineStats:
		log.Trace(ev.Line)
	default:
		log.Debug(ev.Line)
	}
}

func logFinished(log logrus.FieldLogger, t *engine.TransferResult) {
	if t.Error != "" {
		log.Error(t.Error)
		return
	}
	log.Infof("ok, %d files, %s in %s", t.Files, units.Bytes(t.Bytes), t.Duration.Round(time.Millisecond))
}

func (s *Service) logRunFinished(r Result) {
	line := fmt.Sprintf("run %s: %s; %d files, %s in %s", r.Status, r.Summary, r.Files, units.Bytes(r.Bytes), r.Duration.Round(time.Millisecond))
	log := s.log.WithField("run", r.RunID)
	if r.Failed() {
		log.Error(line)
		return
	}
	log.Info(line)
}

// busHook publishes every log entry as a LogEntry event, but for trace entries
// (rsync's statistics blocks: the run's summary line says what they say).
type busHook struct{ bus *Bus }

func (h *busHook) Levels() []logrus.Level { return logrus.AllLevels[:logrus.TraceLevel] }

func (h *busHook) Fire(e *logrus.Entry) error {
	h.bus.Publish(Event{Event: engine.Event{Kind: LogEntry, Time: e.Time}, Log: &LogLine{
		Time: e.Time, Level: levelName(e.Level), Computer: subject(e.Data), Project: field(e.Data, "project"), Text: e.Message,
	}})
	return nil
}

func levelName(l logrus.Level) string {
	switch {
	case l <= logrus.ErrorLevel:
		return "error"
	case l == logrus.WarnLevel:
		return "warning"
	case l == logrus.InfoLevel:
		return "info"
	}
	return "debug"
}

// subject is who a log entry is about: "from → to" for a transfer, else the computer.
func subject(data logrus.Fields) string {
	if from, ok := data["from"]; ok {
		return fmt.Sprintf("%v → %v", from, data["to"])
	}
	return field(data, "computer")
}

func field(data logrus.Fields, key string) string {
	if v, ok := data[key]; ok {
		return fmt.Sprint(v)
	}
	return ""
}
