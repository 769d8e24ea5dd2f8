package data

import (
	"context"
	"database/sql"
	"fmt"
)

// ChangeWatch tells whether the database was written since the last look, by another
// process or by any other connection of this one. It reads SQLite's PRAGMA data_version
// on a connection of its own, which costs microseconds: no need to reread the tables to
// find out.
type ChangeWatch struct {
	conn *sql.Conn
	last int64
}

// WatchChanges opens a ChangeWatch; close it when done.
func (s *Store) WatchChanges(ctx context.Context) (*ChangeWatch, error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch the database for changes: %w", err)
	}
	w := &ChangeWatch{conn: conn}
	if w.last, err = w.version(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

// Changed reports whether anything was committed since the last call (or since
// WatchChanges).
func (w *ChangeWatch) Changed(ctx context.Context) (bool, error) {
	v, err := w.version(ctx)
	if err != nil {
		return false, err
	}
	changed := v != w.last
	w.last = v
	return changed, nil
}

func (w *ChangeWatch) version(ctx context.Context) (int64, error) {
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the database's change counter: %w", err)
	}
	return v, nil
}

// Close releases the watch's connection.
func (w *ChangeWatch) Close() error { return w.conn.Close() }
