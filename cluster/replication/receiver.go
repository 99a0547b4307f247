package replication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/cluster/replication/replicationpb"
)

// Receiver serves the Deliver streams of the peers' dispatchers and applies
// their events through the Handlers registry, in order per sender queue,
// exactly once per (origin, queue, seq) except for the crash window noted
// in doc.go.
type Receiver struct {
	replicationpb.UnimplementedReplicationServer

	nodeID   int
	dir      string // localq/received: the marks
	handlers *Handlers
	log      *slog.Logger
	// authorize is Config.Authorize (nil: every caller may deliver).
	authorize func(ctx context.Context, origin int) error

	ctx    context.Context // canceled by Close; ends every stream
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool                      // guarded by mu
	streams map[streamKey]*streamSlot // guarded by mu
	active  sync.WaitGroup            // running Deliver calls; Add under mu while !closed

	applied    atomic.Uint64 // events applied by a handler
	duplicates atomic.Uint64 // events skipped as already applied
	unknown    atomic.Uint64 // events without handler (acknowledged)
	rejected   atomic.Uint64 // negative acks sent
}

type streamKey struct {
	origin int
	queue  string
}

// streamSlot serializes the streams of one sender queue. Only the newest
// stream (gen) may apply: a reconnecting dispatcher supersedes a stream
// whose server side has not noticed yet that the client went away.
type streamSlot struct {
	apply  sync.Mutex         // held while a batch is applied; guards mark
	gen    uint64             // guarded by Receiver.mu
	cancel context.CancelFunc // guarded by Receiver.mu; ends the current stream
	mark   *mark              // guarded by apply; nil until first batch
}

func newReceiver(nodeID int, dir string, handlers *Handlers, log *slog.Logger) (*Receiver, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("replication: create %s: %w", dir, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Receiver{
		nodeID: nodeID, dir: dir, handlers: handlers, log: log,
		ctx: ctx, cancel: cancel, streams: make(map[streamKey]*streamSlot),
	}, nil
}

// Register registers the Replication service on s.
func (r *Receiver) Register(s *grpc.Server) {
	replicationpb.RegisterReplicationServer(s, r)
}

// Deliver serves one sender queue's stream: each Batch is applied in order
// and answered with a cumulative Ack; a handler error is answered with a
// rejecting Ack and ends the stream (the sender resends from there after
// a backoff).
func (r *Receiver) Deliver(stream replicationpb.Replication_DeliverServer) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return status.Error(codes.Unavailable, "replication: receiver closed")
	}
	r.active.Add(1)
	r.mu.Unlock()
	defer r.active.Done()

	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	stop := context.AfterFunc(r.ctx, cancel)
	defer stop()

	first, err := stream.Recv()
	if err != nil {
		return recvStatus(err)
	}
	key, err := r.checkHeader(first)
	if err != nil {
		return err
	}
	if r.authorize != nil {
		if err := r.authorize(stream.Context(), key.origin); err != nil {
			return status.Error(codes.PermissionDenied, "replication: the caller may not deliver events of that origin")
		}
	}
	slot, gen := r.claim(key, cancel)
	defer r.release(key, gen)

	for b := first; ; {
		if b.GetOrigin() != first.GetOrigin() || b.GetQueue() != first.GetQueue() ||
			b.GetIncarnation() != first.GetIncarnation() || b.GetTarget() != first.GetTarget() {
			return status.Errorf(codes.InvalidArgument, "%v: batch header changed within a stream", ErrProtocol)
		}
		through, rejSeq, err := r.applyBatch(ctx, slot, gen, key, b)
		if err != nil {
			r.rejected.Add(1)
			r.log.Warn("replication: rejecting event", "origin", key.origin, "queue", key.queue, "seq", rejSeq, "err", err)
			_ = stream.Send(&replicationpb.Ack{AppliedThrough: through, Rejected: true, RejectedSeq: rejSeq, Error: err.Error()})
			return status.Errorf(codes.Aborted, "replication: event %d of %s rejected: %v", rejSeq, key.queue, err)
		}
		if err := stream.Send(&replicationpb.Ack{AppliedThrough: through}); err != nil {
			return err
		}
		if b, err = stream.Recv(); err != nil {
			return recvStatus(err)
		}
	}
}

func recvStatus(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// checkHeader validates the stream header: addressed to this node, from
// a valid origin, naming a queue towards this node.
func (r *Receiver) checkHeader(b *replicationpb.Batch) (streamKey, error) {
	if int(b.GetTarget()) != r.nodeID {
		return streamKey{}, status.Errorf(codes.FailedPrecondition, "%v: meant for node %d, this is node %d", ErrWrongNode, b.GetTarget(), r.nodeID)
	}
	peer, _, ok := parseQueueName(b.GetQueue())
	if !ok || peer != r.nodeID || b.GetOrigin() <= 0 || b.GetIncarnation() == 0 {
		return streamKey{}, status.Errorf(codes.InvalidArgument, "%v: bad header origin=%d queue=%q", ErrProtocol, b.GetOrigin(), b.GetQueue())
	}
	return streamKey{origin: int(b.GetOrigin()), queue: b.GetQueue()}, nil
}

// claim makes the calling stream the current one of key, ending any older.
func (r *Receiver) claim(key streamKey, cancel context.CancelFunc) (*streamSlot, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.streams[key]
	if s == nil {
		s = &streamSlot{}
		r.streams[key] = s
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.gen++
	s.cancel = cancel
	return s, s.gen
}

func (r *Receiver) release(key streamKey, gen uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.streams[key]; s != nil && s.gen == gen {
		s.cancel = nil
	}
}

func (r *Receiver) current(s *streamSlot, gen uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return s.gen == gen
}

// applyBatch applies b's events not applied before and persists the mark.
// It returns the seq acknowledged; on error also the rejected seq.
func (r *Receiver) applyBatch(ctx context.Context, s *streamSlot, gen uint64, key streamKey, b *replicationpb.Batch) (through, rejSeq uint64, err error) {
	s.apply.Lock()
	defer s.apply.Unlock()
	evs := b.GetEvents()
	if len(evs) == 0 {
		return 0, 0, nil
	}
	if !r.current(s, gen) {
		return 0, evs[0].GetSeq(), errors.New("replication: superseded by a newer stream")
	}
	if s.mark == nil {
		if s.mark, err = openMark(r.dir, key.origin, key.queue); err != nil {
			return 0, evs[0].GetSeq(), err
		}
	}
	m := s.mark
	if m.incarnation != b.GetIncarnation() {
		if m.incarnation != 0 {
			// The sender recreated this queue: whatever it held for us
			// before is gone, so caches fed by this origin may be stale.
			r.log.Warn("replication: sender queue recreated, resetting caches", "origin", key.origin, "queue", key.queue)
			for _, rs := range r.handlers.resetters() {
				if err := rs.Reset(ctx, key.origin); err != nil {
					return 0, evs[0].GetSeq(), fmt.Errorf("replication: reset caches for origin %d: %w", key.origin, err)
				}
			}
		}
		m.incarnation, m.seq = b.GetIncarnation(), 0
		if err := m.save(); err != nil {
			return 0, evs[0].GetSeq(), err
		}
	}
	start := m.seq
	defer func() {
		if m.seq != start {
			if serr := m.save(); serr != nil && err == nil {
				// Applied but not recorded: the sender resends and the
				// events apply again, which versions make harmless.
				through, rejSeq, err = 0, evs[0].GetSeq(), serr
			}
		}
	}()
	for _, p := range evs {
		seq := p.GetSeq()
		if seq <= m.seq {
			r.duplicates.Add(1)
			continue
		}
		if m.seq != 0 && seq != m.seq+1 {
			r.log.Warn("replication: sequence gap", "origin", key.origin, "queue", key.queue, "after", m.seq, "got", seq)
		}
		if h := r.handlers.lookup(p.GetKind()); h != nil {
			if err := r.safeApply(ctx, h, eventFromProto(p, key.queue)); err != nil {
				return seq - 1, seq, err
			}
			r.applied.Add(1)
		} else {
			r.unknown.Add(1)
			r.log.Warn("replication: no handler for event kind, dropped", "kind", p.GetKind(), "key", p.GetKey(), "origin", key.origin, "queue", key.queue, "seq", seq)
		}
		m.seq = seq
	}
	return evs[len(evs)-1].GetSeq(), 0, nil
}

// safeApply calls h.Apply, turning a panic into an error: the event is
// rejected and retried with backoff, and only this queue waits.
func (r *Receiver) safeApply(ctx context.Context, h Handler, ev Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("replication: handler panicked", "kind", ev.Kind, "key", ev.Key, "origin", ev.Origin,
				"queue", ev.Queue, "seq", ev.Seq, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("replication: handler for %q panicked: %v", ev.Kind, p)
		}
	}()
	return h.Apply(ctx, ev)
}

// Close ends every stream, waits for them and closes the mark files. The
// node should stop its gRPC server first; Deliver calls after Close are
// refused.
func (r *Receiver) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.active.Wait()
	var errs []error
	for _, s := range r.streams {
		if s.mark != nil {
			errs = append(errs, s.mark.close())
		}
	}
	return errors.Join(errs...)
}
