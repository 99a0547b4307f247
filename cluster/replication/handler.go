package replication

import (
	"context"
	"sync"
)

// Handler applies received events of one kind to a local cache. It is
// implemented by the cache's package (sql's descriptor cache, the role
// cache, ...) and registered in Handlers by kind.
//
// Apply is called from the receiving stream's goroutine: calls for events
// of one sender queue are sequential and in order; calls for different
// queues run concurrently, so Apply must be safe for concurrent use. It
// should return quickly (invalidate, do not reload). A nil error
// acknowledges the event; an error is a negative ack: the sender keeps the
// event and retries it, with backoff, until Apply succeeds — so an error
// must mean "try again later", never "this event is bad" (log and return
// nil for that).
type Handler interface {
	Apply(ctx context.Context, ev Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, ev Event) error

// Apply calls f.
func (f HandlerFunc) Apply(ctx context.Context, ev Event) error { return f(ctx, ev) }

// Resetter is implemented by a Handler whose cache must be dropped when
// events from an origin may have been lost: the origin deleted its queue
// towards this node (peer retention) or lost its queue directory, and the
// receiver sees a new queue incarnation. Reset is called before the first
// event of the new incarnation is applied; an error rejects the stream and
// the sender retries.
type Resetter interface {
	Reset(ctx context.Context, origin int) error
}

// Handlers is the registry of handlers by Kind. It is safe for concurrent
// use; handlers may be registered after the receiver started (events of a
// kind without handler are logged and acknowledged, i.e. dropped).
type Handlers struct {
	mu     sync.RWMutex
	byKind map[string]Handler // guarded by mu
}

// NewHandlers returns an empty registry.
func NewHandlers() *Handlers {
	return &Handlers{byKind: make(map[string]Handler)}
}

// Register sets the handler of kind, replacing any previous one.
func (h *Handlers) Register(kind string, handler Handler) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byKind[kind] = handler
}

// lookup returns the handler of kind, or nil.
func (h *Handlers) lookup(kind string) Handler {
	if h == nil {
		return nil
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.byKind[kind]
}

// resetters returns the registered handlers implementing Resetter, once
// per kind they are registered for (handler values need not be comparable,
// so they are not deduplicated; dropping a cache twice is harmless).
func (h *Handlers) resetters() []Resetter {
	if h == nil {
		return nil
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []Resetter
	for _, handler := range h.byKind {
		if r, ok := handler.(Resetter); ok {
			out = append(out, r)
		}
	}
	return out
}
