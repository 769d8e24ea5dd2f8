package runs

import (
	"fmt"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"filesync/sync/engine"
	"filesync/sync/rsync"
	"filesync/sync/transfer"
)

// logEvent writes an engine event to the log: commands, changes, errors and results at
// info level, the rest of rsync's output at debug level.
func logEvent(log logrus.FieldLogger, ev engine.Event) {
	t := ev.Transfer
	fields := log.WithFields(logrus.Fields{"run": ev.RunID})
	if t.From != "" {
		fields = fields.WithFields(logrus.Fields{"from": t.From, "to": t.To, "project": strings.Join(t.Projects, ", ")})
	}
	switch ev.Kind {
	case engine.ComputerChecked:
		if c := ev.Computer; c.Status != engine.StatusOK {
			fields.Warn(c.Reason)
		}
	case engine.Started:
		fields.Info("$ " + t.Command)
	case engine.Output:
		logOutput(fields, ev)
	case engine.Finished:
		logFinished(fields, ev.Result)
	case engine.RunFinished:
		logRunFinished(fields, ev.Run)
	}
}

func logOutput(log logrus.FieldLogger, ev engine.Event) {
	_, isChange := rsync.ParseChange(ev.Line)
	switch {
	case ev.Stream == "stderr" || ev.Stream == string(transfer.EngineStream):
		log.Warn(ev.Line)
	case isChange || ev.Stream == string(transfer.CommandStream):
		log.Info(ev.Line)
	default:
		log.Debug(ev.Line)
	}
}

func logFinished(log logrus.FieldLogger, t *engine.TransferResult) {
	if t.Error != "" {
		log.Error(t.Error)
		return
	}
	log.Infof("ok, %d files, %s in %s", t.Files, Bytes(t.Bytes), t.Duration.Round(time.Millisecond))
}

func logRunFinished(log logrus.FieldLogger, r *engine.Result) {
	line := fmt.Sprintf("run %s: %s; %d files, %s in %s", r.Status, r.Summary, r.Files, Bytes(r.Bytes), r.Duration.Round(time.Millisecond))
	if r.Failed() {
		log.Error(line)
		return
	}
	log.Info(line)
}

// Bytes formats a byte count for people: 1.5 MB.
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
