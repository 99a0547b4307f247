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

	txn, err := s.db.Begin(ctx, kv.TxnOptions{ReadOnly: first.ReadOnly})
	if err != nil {
		if ctx.Err() != nil && stream.Context().Err() == nil {
			err = kv.ErrClosed // cut short by Close, not by the client
		}
		return stream.Send(&kvpb.Response{Seq: first.Seq, Error: encodeError(err)})
	}
	// Rollback is a no-op after Commit: every way out leaves nothing open.
	defer txn.Rollback()
	if err := stream.Send(&kvpb.Response{Seq: first.Seq, ReadTimestamp: uint64(txn.ReadTimestamp())}); err != nil {
		return err
	}

	st := &serverTxn{txn: txn, stream: stream, ops: make(chan pendingOp), resp: new(kvpb.Response)}
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
	st.progressSeq = seq
	st.sendMu.Unlock()
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
	st.progressSeq = 0
	st.sendMu.Unlock()
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
