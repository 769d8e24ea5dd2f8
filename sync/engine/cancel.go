package engine

import (
	"context"
	"errors"
)

// transferKey names one transfer of one run.
type transferKey struct {
	run   uint
	index int
}

// errCancelledByUser ends a single transfer that the user stopped.
var errCancelledByUser = errors.New("cancelled by the user")

// CancelTransfer stops one running (or waiting) transfer of a run; the run goes on with its
// other transfers. It reports whether the transfer was found.
func (e *Engine) CancelTransfer(run uint, index int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	cancel, ok := e.stops[transferKey{run, index}]
	if ok {
		cancel(errCancelledByUser)
	}
	return ok
}

// cancellable gives j a context of its own that CancelTransfer can end.
func (e *Engine) cancellable(ctx context.Context, j job) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	key := transferKey{j.run, j.shown.Index}
	e.mu.Lock()
	e.stops[key] = cancel
	e.mu.Unlock()
	return ctx, func() {
		e.mu.Lock()
		delete(e.stops, key)
		e.mu.Unlock()
		cancel(nil)
	}
}

// cancelledByUser reports whether ctx was ended by CancelTransfer.
func cancelledByUser(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errCancelledByUser)
}
