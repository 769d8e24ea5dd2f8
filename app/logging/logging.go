// Package logging configures FileSync's one logrus logger: human-readable lines on stderr
// and a rotating log file under the user's cache folder.
package logging

import (
	"io"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"
	"gopkg.in/natefinch/lumberjack.v2"
)

// Options choose where and how much to log.
type Options struct {
	File    string // rotating log file; "" logs to stderr only
	Verbose bool   // every command and every line of rsync's output on stderr too
	Stderr  io.Writer
}

// New returns the logger and a function that closes its file.
func New(opt Options) (*logrus.Logger, func() error) {
	log := logrus.New()
	log.SetFormatter(humanFormatter{})
	log.SetLevel(logrus.TraceLevel)
	stderrLevel := logrus.InfoLevel
	if opt.Verbose {
		stderrLevel = logrus.TraceLevel
	}
	log.SetOutput(io.Discard)
	log.AddHook(&writerHook{out: opt.Stderr, formatter: log.Formatter, max: stderrLevel})
	closeFile := func() error { return nil }
	if opt.File != "" {
		if err := os.MkdirAll(filepath.Dir(opt.File), 0o700); err == nil {
			file := &lumberjack.Logger{Filename: opt.File, MaxSize: 10, MaxBackups: 5, MaxAge: 30, Compress: true}
			log.AddHook(&writerHook{out: file, formatter: &logrus.TextFormatter{FullTimestamp: true, DisableColors: true}, max: logrus.TraceLevel})
			closeFile = file.Close
		}
	}
	return log, closeFile
}

// DefaultFile is the log file under the user's cache folder.
func DefaultFile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "filesync", "filesync.log")
}

// writerHook writes entries up to max level to out with its own formatter, so that stderr
// and the file can differ in format and verbosity.
type writerHook struct {
	out       io.Writer
	formatter logrus.Formatter
	max       logrus.Level
}

func (h *writerHook) Levels() []logrus.Level {
	var levels []logrus.Level
	for _, l := range logrus.AllLevels {
		if l <= h.max {
			levels = append(levels, l)
		}
	}
	return levels
}

func (h *writerHook) Fire(e *logrus.Entry) error {
	b, err := h.formatter.Format(e)
	if err != nil {
		return err
	}
	_, err = h.out.Write(b)
	return err
}
