package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// maxMessageBytes bounds a message on a transaction stream, both ways
// (gRPC's default is 4 MiB): one value, as large as the largest client
// message (sql.max_message_size's default) though a cluster cannot
// commit one over its Raft entry limit (3 MiB); pipelined batches and
// Scan chunks are about 1 MiB (pipeline.go, scanChunkBytes). The peer
// server as a whole takes this limit, so no caller can make a node
// buffer gigabytes for one message.
const maxMessageBytes = 64 << 20

// maxWriteBytes is the largest key and value a write may carry: a larger
// one fails at once with kv.ErrTxnTooLarge instead of breaking the
// stream at the gRPC limit.
const maxWriteBytes = maxMessageBytes - 1<<20

// scanChunkBytes is the payload size at which a Scan result is split
// into several responses.
const scanChunkBytes = 1 << 20

// Keepalive timing. A transaction's stream may be idle for long (a
// session idle in transaction), so both ends ping to find a dead peer:
// the server to roll back and release the locks of a client node that
// vanished, the client to fail an operation waiting on a leader that did.
const (
	keepaliveTime    = 10 * time.Second
	keepaliveTimeout = 5 * time.Second
)

// ServerOptions are the grpc.ServerOptions the grpc.Server a Server is
// registered on must be created with: messages as large as one value,
// keepalive pings to detect dead clients, and a ping policy admitting
// the clients' own pings (gRPC's default policy would close the
// connection of a client pinging every keepaliveTime).
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(maxMessageBytes),
		grpc.MaxSendMsgSize(maxMessageBytes),
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: keepaliveTime, Timeout: keepaliveTimeout}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: keepaliveTime / 2, PermitWithoutStream: true}),
	}
}

// Server serves the transactions of db to peers: each Txn stream is one
// transaction of db, rolled back if the stream ends before Commit.
type Server struct {
	kvpb.UnimplementedKVServer

	db     kv.DB
	logger *slog.Logger
	// partitions finds this node's replica of a partition, for parts of
	// distributed transactions (ServePartitions); nil: none served.
	partitions func(p uint32) (PartitionStore, bool)

	mu     sync.Mutex
	closed bool
	// open holds the cancel function of every running stream; Close
	// calls them all.
	open map[*context.CancelFunc]struct{}
	wg   sync.WaitGroup
}

// NewServer returns a Server running the transactions of db.
func NewServer(db kv.DB, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	return &Server{db: db, logger: logger, open: make(map[*context.CancelFunc]struct{})}
}

// PartitionStore is a partition's replica as the server uses it for
// parts of distributed transactions (kv.LocalStore).
type PartitionStore interface {
	BeginAt(ctx context.Context, readTS kv.Timestamp, opts kv.TxnOptions) (kv.ParticipantTxn, error)
	Resolve(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) error
	Decide(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) (kv.TxnOutcome, error)
	Forget(ctx context.Context, id kv.TxnID) error
	Clock() *kv.Clock
}

// ServePartitions makes the server serve parts of distributed
// transactions (a Txn stream whose OP_BEGIN names a partition) and
// TxnOp calls on the replicas lookup finds; a partition it does not
// find is refused with kv.ErrNotLeader. Call it before serving.
func (s *Server) ServePartitions(lookup func(p uint32) (PartitionStore, bool)) {
	s.partitions = lookup
}

// partition finds partition p's replica here.
func (s *Server) partition(p uint32) (PartitionStore, error) {
	if s.partitions == nil {
		return nil, fmt.Errorf("%w: this node serves no partitions", kv.ErrNotLeader)
	}
	ps, ok := s.partitions(p)
	if !ok {
		return nil, fmt.Errorf("%w: partition %d has no replica here", kv.ErrNotLeader, p)
	}
	return ps, nil
}

// begin starts the stream's transaction: on the DB, or a part on a
// partition's replica. clock is that replica's clock (nil for the DB).
func (s *Server) begin(ctx context.Context, req *kvpb.Request) (kv.Txn, *kv.Clock, error) {
	if !req.HasPartition {
		if s.db == nil {
			return nil, nil, errors.New("kv/remote: this server runs parts of distributed transactions only")
		}
		txn, err := s.db.Begin(ctx, kv.TxnOptions{ReadOnly: req.ReadOnly})
		return txn, nil, err
	}
	ps, err := s.partition(req.Partition)
	if err != nil {
		return nil, nil, err
	}
	opts := kv.TxnOptions{ReadOnly: req.ReadOnly, UncertaintyLimit: kv.Timestamp(req.UncertaintyLimit), Start: kv.Timestamp(req.Start)}
	copy(opts.ID[:], req.TxnId)
	txn, err := ps.BeginAt(ctx, kv.Timestamp(req.Ts), opts)
	if err != nil {
		return nil, nil, err
	}
	return txn, ps.Clock(), nil
}

// TxnOp implements kvpb.KVServer.
func (s *Server) TxnOp(ctx context.Context, req *kvpb.TxnOpRequest) (*kvpb.TxnOpResponse, error) {
	resp := &kvpb.TxnOpResponse{}
	ps, err := s.partition(req.Partition)
	if err != nil {
		resp.Error = encodeError(err)
		return resp, nil
	}
	var id kv.TxnID
	if len(req.TxnId) != len(id) {
		return nil, status.Errorf(codes.InvalidArgument, "kv/remote: transaction id of %d bytes", len(req.TxnId))
	}
	copy(id[:], req.TxnId)
	// The store takes ts into its clock (Resolve and Decide).
	switch req.Kind {
	case kvpb.TxnOpRequest_KIND_RESOLVE:
		err = ps.Resolve(ctx, id, req.Commit, kv.Timestamp(req.Ts))
	case kvpb.TxnOpRequest_KIND_DECIDE:
		var out kv.TxnOutcome
		out, err = ps.Decide(ctx, id, req.Commit, kv.Timestamp(req.Ts))
		resp.Committed, resp.Ts = out.Committed, uint64(out.TS)
	case kvpb.TxnOpRequest_KIND_FORGET:
		err = ps.Forget(ctx, id)
	default:
		return nil, status.Errorf(codes.InvalidArgument, "kv/remote: unexpected transaction operation %s", req.Kind)
	}
	if err != nil {
		resp.Error = encodeError(err)
	}
	resp.Clock = uint64(ps.Clock().Now())
	return resp, nil
}

// Register adds the KV service to r (a *grpc.Server created with
// ServerOptions).
func (s *Server) Register(r grpc.ServiceRegistrar) { kvpb.RegisterKVServer(r, s) }

// Close rolls back every open remote transaction, waits for their
// streams to end, and makes later Begins fail with kv.ErrClosed.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for cancel := range s.open {
		(*cancel)()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// register records a new stream, or reports that the server is closed.
func (s *Server) register(cancel *context.CancelFunc) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.open[cancel] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) unregister(cancel *context.CancelFunc) {
	s.mu.Lock()
	delete(s.open, cancel)
	s.mu.Unlock()
	s.wg.Done()
}

// Txn implements kvpb.KVServer: one transaction per stream.
func (s *Server) Txn(stream kvpb.KV_TxnServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Op != kvpb.Op_OP_BEGIN {
		return status.Errorf(codes.InvalidArgument, "kv/remote: first request is %s, want OP_BEGIN", first.Op)
	}
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	if !s.register(&cancel) {
		return stream.Send(&kvpb.Response{Seq: first.Seq, Error: encodeError(kv.ErrClosed)})
	}
	defer s.unregister(&cancel)

	txn, clock, err := s.begin(ctx, first)
	if err != nil {
		if ctx.Err() != nil && stream.Context().Err() == nil {
			err = kv.ErrClosed // cut short by Close, not by the client
		}
		return stream.Send(&kvpb.Response{Seq: first.Seq, Error: encodeError(err)})
	}
	// Rollback is a no-op after Commit: every way out leaves nothing open.
	defer txn.Rollback()
	started := &kvpb.Response{Seq: first.Seq, ReadTimestamp: uint64(txn.ReadTimestamp())}
	if clock != nil {
		started.Clock = uint64(clock.Now())
	}
	st := &serverTxn{txn: txn, clock: clock, stream: stream, ops: make(chan pendingOp), resp: new(kvpb.Response)}
	if first.HasPartition && !first.ReadOnly {
		// The mark a coordinator rolls a whole part back to (a savepoint
		// taken before the part began), taken here so that it costs the
		// client no round trip: savepoint 1 (Participant.BeginAt).
		sp, err := txn.Savepoint()
		if err != nil {
			return stream.Send(&kvpb.Response{Seq: first.Seq, Error: encodeError(err)})
		}
		st.marks = append(st.marks, sp)
		started.Savepoint = 1
	}
	if err := stream.Send(started); err != nil {
		return err
	}

	go st.receive(ctx)
	for {
		var op pendingOp
		var ok bool
		select {
		case op, ok = <-st.ops:
		case <-ctx.Done():
		}
		if !ok {
			// The client went away (or the server is closing) before
			// Commit: the deferred Rollback releases the locks.
			s.logger.Debug("kv/remote: transaction stream ended before commit; rolled back", "ctx", ctx.Err())
			return status.Error(codes.Unavailable, "kv/remote: transaction ended before commit")
		}
		end, err := st.run(ctx, op)
		if err != nil || end {
			return err
		}
	}
}

// pendingOp is a request with the context it runs under.
type pendingOp struct {
	req    *kvpb.Request
	ctx    context.Context
	cancel context.CancelFunc
}

// serverTxn is the server side of one stream.
type serverTxn struct {
	txn    kv.Txn
	clock  *kv.Clock // a part's partition's; nil for a DB transaction
	stream kvpb.KV_TxnServer
	ops    chan pendingOp

	// mu guards the running operation's seq and cancel, set by receive.
	mu        sync.Mutex
	curSeq    uint64
	curCancel context.CancelFunc

	resp  *kvpb.Response // reused for every response
	kvbuf []*kvpb.KeyValue
	marks []kv.Savepoint

	// sendMu serializes the stream's Sends: the operation's response and
	// the progress messages the timer sends while it runs. progressSeq
	// is the running operation's seq, 0 when none runs (guarded by
	// sendMu). The timer is made once, rearmed for every operation.
	sendMu      sync.Mutex
	progressSeq uint64
	progress    *time.Timer
}

// progressEvery is how often the server tells the client that a running
// operation (a lock wait, a long commit) is still alive; the client gives
// a stream up after its silence timeout (NewClient) without a word.
const progressEvery = time.Second

// startProgress begins sending progress messages for operation seq
// every progressEvery until stopProgress.
func (st *serverTxn) startProgress(seq uint64) {
	st.sendMu.Lock()
	defer st.sendMu.Unlock()
	st.progressSeq = seq
	// Made and rearmed under sendMu: the timer's goroutine reads
	// st.progress in sendProgress.
	if st.progress == nil {
		st.progress = time.AfterFunc(progressEvery, st.sendProgress)
		return
	}
	st.progress.Reset(progressEvery)
}

func (st *serverTxn) sendProgress() {
	st.sendMu.Lock()
	defer st.sendMu.Unlock()
	if st.progressSeq == 0 {
		return // the operation ended meanwhile
	}
	// An error means the stream broke; the operation's own Send sees it.
	_ = st.stream.Send(&kvpb.Response{Seq: st.progressSeq, Progress: true})
	st.progress.Reset(progressEvery)
}

// stopProgress ends the progress messages before the operation's own
// response is sent.
func (st *serverTxn) stopProgress() {
	st.sendMu.Lock()
	defer st.sendMu.Unlock()
	st.progressSeq = 0
	st.progress.Stop()
}

// receive reads requests and hands operations to the stream's goroutine,
// so that it can see an OP_CANCEL while an operation waits. The
// operation's context is made here, before the hand-off, so that a
// cancel arriving right after its request finds it.
func (st *serverTxn) receive(ctx context.Context) {
	defer close(st.ops)
	for {
		req := new(kvpb.Request)
		if err := st.stream.RecvMsg(req); err != nil {
			return // the stream ended: Txn rolls back
		}
		if req.Op == kvpb.Op_OP_CANCEL {
			st.mu.Lock()
			if st.curSeq == req.Seq && st.curCancel != nil {
				st.curCancel()
			}
			st.mu.Unlock()
			continue
		}
		opCtx, opCancel := context.WithCancel(ctx)
		st.mu.Lock()
		st.curSeq, st.curCancel = req.Seq, opCancel
		st.mu.Unlock()
		select {
		case st.ops <- pendingOp{req: req, ctx: opCtx, cancel: opCancel}:
		case <-ctx.Done():
			opCancel()
			return
		}
	}
}

// run executes one operation and sends its response. end reports that
// the transaction is over (Commit or Rollback).
func (st *serverTxn) run(streamCtx context.Context, op pendingOp) (end bool, err error) {
	defer op.cancel()
	req, ctx, txn := op.req, op.ctx, st.txn
	st.startProgress(req.Seq)
	defer st.stopProgress() // also before any response: see below
	resp := st.resp
	resetResponse(resp)
	resp.Seq = req.Seq

	var opErr error
	switch req.Op {
	case kvpb.Op_OP_GET:
		resp.Value, resp.Found, opErr = txn.Get(ctx, req.Key)
	case kvpb.Op_OP_GET_MANY:
		resp.Kvs = make([]*kvpb.KeyValue, 0, len(req.Kvs))
		resp.FoundMany = make([]bool, 0, len(req.Kvs))
		for _, e := range req.Kvs {
			v, found, err := txn.Get(ctx, e.Key)
			if err != nil {
				opErr = err
				resp.Kvs, resp.FoundMany = nil, nil
				break
			}
			resp.Kvs = append(resp.Kvs, &kvpb.KeyValue{Key: e.Key, Value: v})
			resp.FoundMany = append(resp.FoundMany, found)
		}
	case kvpb.Op_OP_GET_FOR_UPDATE:
		resp.Value, resp.Found, opErr = txn.GetForUpdate(ctx, req.Key)
	case kvpb.Op_OP_PUT:
		opErr = txn.Put(ctx, req.Key, nonNil(req.Value))
	case kvpb.Op_OP_INSERT:
		opErr = txn.Insert(ctx, req.Key, nonNil(req.Value))
	case kvpb.Op_OP_INSERT_FRESH:
		opErr = txn.InsertFresh(ctx, req.Key, nonNil(req.Value))
	case kvpb.Op_OP_INSERT_FRESH_BATCH:
		opErr = insertFreshBatch(ctx, txn, req.Kvs)
	case kvpb.Op_OP_DELETE:
		opErr = txn.Delete(ctx, req.Key)
	case kvpb.Op_OP_DELETE_RANGE:
		opErr = txn.DeleteRange(ctx, req.Key, upperBound(req))
	case kvpb.Op_OP_EXISTS:
		resp.Found, opErr = txn.Exists(ctx, req.Key)
	case kvpb.Op_OP_SAVEPOINT:
		var sp kv.Savepoint
		if sp, opErr = txn.Savepoint(); opErr == nil {
			st.marks = append(st.marks, sp)
			resp.Savepoint = uint64(len(st.marks))
		}
	case kvpb.Op_OP_ROLLBACK_TO:
		if req.Savepoint == 0 || req.Savepoint > uint64(len(st.marks)) {
			opErr = errors.New("kv: savepoint of another transaction")
		} else {
			opErr = txn.RollbackTo(st.marks[req.Savepoint-1])
		}
	case kvpb.Op_OP_SCAN:
		kvs, err := txn.Scan(ctx, req.Key, upperBound(req), int(req.Limit), req.Reverse)
		if err == nil {
			st.stopProgress()
			return false, st.sendScan(kvs)
		}
		opErr = err
	case kvpb.Op_OP_REFRESH_TO, kvpb.Op_OP_PREPARE, kvpb.Op_OP_VALIDATE_AT:
		opErr = st.runPartOp(ctx, req, resp)
	case kvpb.Op_OP_COMMIT:
		opErr = txn.Commit(ctx)
		end = true
	case kvpb.Op_OP_ROLLBACK:
		txn.Rollback()
		return true, nil
	default:
		return true, status.Errorf(codes.InvalidArgument, "kv/remote: unexpected %s", req.Op)
	}
	if opErr != nil && streamCtx.Err() != nil && ctx.Err() != nil && !end {
		// Cut short by the server closing or the stream breaking, not
		// by the client: the transaction is lost, and the stream's end
		// says so. A Commit's own error is passed on as it is: it says
		// whether the commit may have happened (kv.ErrCommitUnknown).
		return true, status.Error(codes.Unavailable, "kv/remote: server closing")
	}
	if opErr != nil {
		resp.Error = encodeError(opErr)
	}
	resp.ReadTimestamp = uint64(txn.ReadTimestamp())
	st.stopProgress()
	return end, st.stream.Send(resp)
}

// runPartOp runs a step of a distributed transaction's part.
func (st *serverTxn) runPartOp(ctx context.Context, req *kvpb.Request, resp *kvpb.Response) error {
	part, ok := st.txn.(kv.ParticipantTxn)
	if !ok || st.clock == nil {
		// A DB transaction's stream (whose local txn has these methods
		// too) takes none of them.
		return fmt.Errorf("kv/remote: %s on a transaction that is not a partition's part", req.Op)
	}
	// The part checks ts and takes it into its clock.
	var err error
	switch req.Op {
	case kvpb.Op_OP_REFRESH_TO:
		err = part.RefreshTo(ctx, kv.Timestamp(req.Ts))
	case kvpb.Op_OP_VALIDATE_AT:
		err = part.ValidateAt(ctx, kv.Timestamp(req.Ts))
	case kvpb.Op_OP_PREPARE:
		var id kv.TxnID
		if len(req.TxnId) != len(id) {
			return fmt.Errorf("kv/remote: transaction id of %d bytes", len(req.TxnId))
		}
		copy(id[:], req.TxnId)
		var ts kv.Timestamp
		ts, err = part.Prepare(ctx, id, req.Record)
		resp.Ts = uint64(ts)
	}
	resp.Clock = uint64(st.clock.Now())
	return err
}

// insertFreshBatch runs the InsertFresh calls of an
// OP_INSERT_FRESH_BATCH in order and stops at the first failure, which
// aborts the transaction: the client reported every write of the batch
// as done when it buffered it, so the transaction it believes in no
// longer exists, and later operations must fail (kv.ErrTxnDone).
func insertFreshBatch(ctx context.Context, txn kv.Txn, kvs []*kvpb.KeyValue) error {
	for i, e := range kvs {
		if err := txn.InsertFresh(ctx, e.Key, nonNil(e.Value)); err != nil {
			txn.Rollback()
			return fmt.Errorf("kv/remote: write %d of a pipelined batch of %d (transaction aborted): %w", i+1, len(kvs), err)
		}
	}
	return nil
}

// sendScan sends kvs in chunks of about scanChunkBytes, so that no
// message comes near gRPC's size limit however many rows a scan returns.
func (st *serverTxn) sendScan(kvs []kv.KeyValue) error {
	resp := st.resp
	resp.ReadTimestamp = uint64(st.txn.ReadTimestamp())
	for i := 0; ; {
		n, size := 0, 0
		for i+n < len(kvs) && (n == 0 || size < scanChunkBytes) {
			e := kvs[i+n]
			size += len(e.Key) + len(e.Value) + 8
			if n == len(st.kvbuf) {
				st.kvbuf = append(st.kvbuf, new(kvpb.KeyValue))
			}
			st.kvbuf[n].Key, st.kvbuf[n].Value = e.Key, e.Value
			n++
		}
		resp.Kvs = st.kvbuf[:n]
		i += n
		resp.More = i < len(kvs)
		err := st.stream.Send(resp)
		for _, e := range st.kvbuf[:n] {
			e.Key, e.Value = nil, nil // do not pin the rows until the next scan
		}
		if err != nil || !resp.More {
			resp.Kvs = nil
			return err
		}
	}
}

func resetResponse(r *kvpb.Response) {
	r.Seq, r.Error, r.ReadTimestamp, r.Value, r.Found, r.Kvs, r.More, r.Savepoint, r.FoundMany = 0, nil, 0, nil, false, nil, false, 0, nil
	r.Ts, r.Clock = 0, 0
}

// upperBound is the request's upper bound: nil when it has none.
func upperBound(req *kvpb.Request) []byte {
	if !req.HasEnd {
		return nil
	}
	return nonNil(req.End)
}

// nonNil undoes protobuf's folding of an empty bytes field into nil: an
// empty value is a value.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
