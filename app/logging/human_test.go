package logging

import (
	"testing"

	"github.com/sirupsen/logrus"
)

func TestHumanFormatter_FormatsOneReadableLinePerEntry(t *testing.T) {
	cases := []struct {
		name   string
		level  logrus.Level
		fields logrus.Fields
		msg    string
		want   string
	}{
		{"a transfer line is prefixed with from and to", logrus.InfoLevel,
			logrus.Fields{"from": "b", "to": "a"}, "$ rsync -a", "[b → a] $ rsync -a\n"},
		{"a computer line is prefixed with the computer", logrus.InfoLevel,
			logrus.Fields{"computer": "gpu-2"}, "reachable", "[gpu-2] reachable\n"},
		{"a transfer's computer is not repeated", logrus.InfoLevel,
			logrus.Fields{"from": "b", "to": "a", "computer": "b"}, "done", "[b → a] done\n"},
		{"a warning says so first", logrus.WarnLevel,
			logrus.Fields{"computer": "gpu-2"}, "unreachable", "warning: [gpu-2] unreachable\n"},
		{"an error says so first", logrus.ErrorLevel,
			logrus.Fields{"from": "a", "to": "b"}, "rsync exited 23", "error: [a → b] rsync exited 23\n"},
		{"a fatal line says so first", logrus.FatalLevel, nil, "cannot open the database", "fatal: cannot open the database\n"},
		{"an info line has no level word", logrus.InfoLevel, nil, "sync all", "sync all\n"},
		{"a debug line has no level word", logrus.DebugLevel, nil, "sending incremental file list", "sending incremental file list\n"},
		{"a trace line has no level word", logrus.TraceLevel, nil, "Number of files: 3", "Number of files: 3\n"},
		{"other fields follow as key=value, sorted", logrus.InfoLevel,
			logrus.Fields{"zeta": 1, "alpha": "x", "mid": 2.5, "beta": true, "omega": "o", "delta": "d", "gamma": "g"},
			"finished", "finished alpha=x beta=true delta=d gamma=g mid=2.5 omega=o zeta=1\n"},
		{"run, project and stream fields are hidden", logrus.InfoLevel,
			logrus.Fields{"computer": "nas", "run": 7, "project": "proj", "stream": "stderr", "bytes": 10},
			"copied", "[nas] copied bytes=10\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &logrus.Entry{Level: c.level, Data: c.fields, Message: c.msg}
			if e.Data == nil {
				e.Data = logrus.Fields{}
			}
			got, err := humanFormatter{}.Format(e)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("Format = %q, want %q", got, c.want)
			}
		})
	}
}
