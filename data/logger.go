package data

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/sirupsen/logrus"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// gormLogger sends gorm's messages to logrus with matching levels, which
// gorm's own logger.New cannot do: it prints everything through one Printf.
type gormLogger struct {
	log logrus.FieldLogger
	gormlogger.Config
}

func newGormLogger(log logrus.FieldLogger) gormLogger {
	if log == nil {
		discard := logrus.New()
		discard.SetOutput(io.Discard)
		log = discard
	}
	return gormLogger{
		log: log.WithField("component", "database"),
		Config: gormlogger.Config{
			SlowThreshold:             time.Second,
			IgnoreRecordNotFoundError: true,
			LogLevel:                  gormlogger.Warn,
		},
	}
}

func (l gormLogger) LogMode(level gormlogger.LogLevel) gormlogger.Interface {
	l.LogLevel = level
	return l
}

func (l gormLogger) Info(_ context.Context, msg string, args ...any) {
	if l.LogLevel >= gormlogger.Info {
		l.log.Infof(msg, args...)
	}
}

func (l gormLogger) Warn(_ context.Context, msg string, args ...any) {
	if l.LogLevel >= gormlogger.Warn {
		l.log.Warnf(msg, args...)
	}
}

func (l gormLogger) Error(_ context.Context, msg string, args ...any) {
	if l.LogLevel >= gormlogger.Error {
		l.log.Errorf(msg, args...)
	}
}

func (l gormLogger) Trace(_ context.Context, begin time.Time, statement func() (string, int64), err error) {
	if l.LogLevel <= gormlogger.Silent {
		return
	}
	elapsed := time.Since(begin)
	switch {
	case err != nil && l.LogLevel >= gormlogger.Error && !l.ignored(err):
		l.withStatement(statement, elapsed).WithError(err).Error("database statement failed")
	case l.SlowThreshold > 0 && elapsed > l.SlowThreshold && l.LogLevel >= gormlogger.Warn:
		l.withStatement(statement, elapsed).Warn("slow database statement")
	case l.LogLevel >= gormlogger.Info:
		l.withStatement(statement, elapsed).Debug("database statement")
	}
}

func (l gormLogger) ignored(err error) bool {
	return l.IgnoreRecordNotFoundError && errors.Is(err, gorm.ErrRecordNotFound)
}

func (l gormLogger) withStatement(statement func() (string, int64), elapsed time.Duration) logrus.FieldLogger {
	sql, rows := statement()
	return l.log.WithFields(logrus.Fields{"sql": sql, "rows": rows, "elapsed": elapsed})
}
