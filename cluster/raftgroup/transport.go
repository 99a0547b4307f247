package raftgroup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/raftgroup/raftgrouppb"
)

const (
	// peerQueueLen bounds the messages waiting for one peer; more are
	// dropped (raft retransmits what matters).
	peerQueueLen = 4096
	// maxBatchBytes bounds the encoded messages sent in one gRPC message,
	// well under gRPC's default 4 MiB receive limit.
	maxBatchBytes = 1 << 20
	// snapshotChunkBytes is the size of the pieces snapshot data travels in.
	snapshotChunkBytes = 1 << 20
	// maxEntryBytes bounds one proposal: a single entry is never split, so
	// its append message must fit the receiver's 4 MiB gRPC limit.
	maxEntryBytes = 3 << 20
	// maxSnapshotBytes bounds a snapshot a node accepts: it is held in
	// memory whole (StateMachine.Snapshot returns a []byte), so a larger
	// one is refused before anything is allocated for it.
	maxSnapshotBytes = 8 << 30
	// idleKeepalive is how long a stream may stay idle before the sender
	// sends an empty batch on it. A stream between two followers carries
	// nothing between elections, and a connection that died silently
	// meanwhile (a partition, the far end's keepalive giving up on it)
	// would only be noticed when the next election's vote requests are
	// written into it and lost: with a frame every 250 ms the failure
	// shows within one frame of the network's return (a reset) or within
	// peerlink.UserTimeout while it is cut, and the stream is opened
	// again.
	idleKeepalive = 250 * time.Millisecond
)

// Transport carries Raft messages between nodes over gRPC: one sender
// goroutine per peer streams batches of messages (Send), and the server
// side, registered on the node's gRPC server, hands received messages to
// the addressed group. One Transport serves every group of a node.
type Transport struct {
	self     uint64
	fp       peerlink.Fingerprint
	logger   *slog.Logger
	dialOpts []grpc.DialOption

	ctx    context.Context // canceled by Close; stops the senders
	cancel context.CancelFunc
	wg     sync.WaitGroup // the sender goroutines

	mu     sync.Mutex
	groups map[uint64]*Group // guarded by mu
	peers  map[uint64]*peer  // guarded by mu
	closed bool              // guarded by mu

	limiter peerlink.LogLimiter
	// authorize, set by SetAuthorizer before the transport serves,
	// refuses a stream whose caller may not speak for the node its
	// header names (nil: no check).
	authorize func(ctx context.Context, node uint64) error
}

// SetAuthorizer makes the receiver refuse a stream unless f says its
// caller may speak for the node the stream's header names (peer TLS:
// peertls.Security's Authorize). Every message on the stream must then
// come from that node too. Call before Register.
func (t *Transport) SetAuthorizer(f func(ctx context.Context, node uint64) error) {
	t.authorize = f
}

// NewTransport returns the transport of node self. Without dial options
// connections are plaintext (insecure credentials).
func NewTransport(self uint64, fingerprint peerlink.Fingerprint, logger *slog.Logger, dialOpts ...grpc.DialOption) *Transport {
	if logger == nil {
		logger = slog.Default()
	}
	dialOpts = peerlink.DialOptions(dialOpts...)
	ctx, cancel := context.WithCancel(context.Background())
	return &Transport{
		self:     self,
		fp:       fingerprint,
		logger:   logger.With("component", "raft-transport"),
		dialOpts: dialOpts,
		ctx:      ctx,
		cancel:   cancel,
		groups:   make(map[uint64]*Group),
		peers:    make(map[uint64]*peer),
	}
}

// Register serves the Raft gRPC service on s.
func (t *Transport) Register(s grpc.ServiceRegistrar) {
	raftgrouppb.RegisterRaftServer(s, &raftServer{t: t})
}

// Close stops every sender and closes their connections. Streams being
// received end at their next message.
func (t *Transport) Close() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.closed = true
	t.mu.Unlock()
	t.cancel()
	t.wg.Wait()
}

// addGroup routes received messages of group id to g and starts a sender
// for every peer not yet known.
func (t *Transport) addGroup(id uint64, g *Group, peers map[uint64]string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errors.New("raftgroup: transport is closed")
	}
	if _, dup := t.groups[id]; dup {
		return fmt.Errorf("raftgroup: group %d is already open on this transport", id)
	}
	for pid, addr := range peers {
		if pid == t.self {
			continue
		}
		if _, ok := t.peers[pid]; ok {
			continue
		}
		p, err := t.newPeer(pid, addr)
		if err != nil {
			return err
		}
		t.peers[pid] = p
		t.wg.Add(1)
		go p.run()
	}
	t.groups[id] = g
	return nil
}

func (t *Transport) removeGroup(id uint64, g *Group) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.groups[id] == g {
		delete(t.groups, id)
	}
}

func (t *Transport) group(id uint64) *Group {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	return t.groups[id]
}

// send queues msgs of group g for their peers without blocking. A message
// that cannot be queued is dropped and reported to raft.
func (t *Transport) send(groupID uint64, g *Group, msgs []raftpb.Message) {
	var failed []raftpb.Message
	t.mu.Lock()
	for _, m := range msgs {
		p := t.peers[m.To]
		if p == nil || t.closed {
			failed = append(failed, m)
			continue
		}
		select {
		case p.queue <- outgoing{group: groupID, msg: m}:
		default:
			failed = append(failed, m)
		}
	}
	t.mu.Unlock()
	for _, m := range failed {
		g.reportFailure(m)
	}
}

// report tells the group of o that its message did not get through.
func (t *Transport) report(o outgoing) {
	if g := t.group(o.group); g != nil {
		g.reportFailure(o.msg)
	}
}

// outgoing is one queued message and the group it belongs to.
type outgoing struct {
	group uint64
	msg   raftpb.Message
}

// peer owns the connection to one other node and the goroutine (run)
// streaming its queue.
type peer struct {
	t      *Transport
	id     uint64
	addr   string
	conn   *grpc.ClientConn
	client raftgrouppb.RaftClient
	queue  chan outgoing
	// wake ends a reconnect backoff: the peer opened a stream to us, so
	// it is up again (peerIsBack).
	wake chan struct{}
}

func (t *Transport) newPeer(id uint64, addr string) (*peer, error) {
	conn, err := grpc.NewClient(addr, t.dialOpts...)
	if err != nil {
		return nil, fmt.Errorf("raftgroup: connecting to node %d at %s: %w", id, addr, err)
	}
	return &peer{t: t, id: id, addr: addr, conn: conn, client: raftgrouppb.NewRaftClient(conn), queue: make(chan outgoing, peerQueueLen), wake: make(chan struct{}, 1)}, nil
}

// run streams the queue to the peer until the transport closes,
// reconnecting with capped exponential backoff after a failure.
func (p *peer) run() {
	defer p.t.wg.Done()
	defer p.conn.Close()
	ctx := p.t.ctx
	failures := 0
	for ctx.Err() == nil {
		delivered, err := p.stream(ctx)
		if ctx.Err() != nil {
			return
		}
		if delivered {
			failures = 0
		}
		p.logFailure(err, failures)
		delay := min(peerlink.BackoffInitial<<min(failures, 16), peerlink.BackoffMax)
		delay -= time.Duration(rand.Int64N(int64(delay) / 5)) // jitter
		failures++
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-p.wake:
			t.Stop()
			failures = 0
		}
		// gRPC keeps its own reconnect backoff under the connection
		// (growing to 2 minutes while the peer is down): without this
		// reset the next attempts would fail at once without dialing, and
		// a peer that came back would stay unreachable from here long
		// after it returned; with it, this loop's backoff is the only one.
		p.conn.ResetConnectBackoff()
	}
}

// peerIsBack ends the reconnect backoff of the sender to node id: it
// just opened a stream to this node, so it is reachable again and
// should hear from us now (a leader's appends, a vote) rather than after
// a backoff that grew while it was down.
func (t *Transport) peerIsBack(id uint64) {
	t.mu.Lock()
	p := t.peers[id]
	t.mu.Unlock()
	if p == nil {
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// stream opens one stream and sends until it fails; delivered says
// whether any batch went out.
func (p *peer) stream(ctx context.Context) (delivered bool, err error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := p.client.Send(sctx)
	if err != nil {
		return false, err
	}
	if err := st.Send(&raftgrouppb.Batch{Header: header(p.t.fp, p.t.self, p.id)}); err != nil {
		return false, streamError(st, err)
	}
	var pending []outgoing // the next batch, taken from the queue
	idle := time.NewTimer(idleKeepalive)
	defer idle.Stop()
	for {
		if len(pending) == 0 {
			idle.Reset(idleKeepalive)
			select {
			case <-ctx.Done():
				return delivered, nil
			case o := <-p.queue:
				pending = append(pending, o)
			case <-idle.C:
				if err := st.Send(&raftgrouppb.Batch{}); err != nil {
					return delivered, streamError(st, err)
				}
				continue
			}
		}
		sent, rest, err := p.sendNext(st, pending)
		if err != nil {
			for _, o := range append(sent, rest...) {
				p.t.report(o)
			}
			return delivered, streamError(st, err)
		}
		delivered = true
		for _, o := range sent {
			if o.msg.Type == raftpb.MsgSnap {
				if g := p.t.group(o.group); g != nil {
					g.reportSnapshot(o.msg.To, raft.SnapshotFinish)
				}
			}
		}
		pending = rest
	}
}

// sendNext sends the first message of pending together with whatever
// else fits in one batch (more is taken from the queue), or a snapshot
// message alone, and returns what it sent and what is left.
func (p *peer) sendNext(st raftgrouppb.Raft_SendClient, pending []outgoing) (sent, rest []outgoing, err error) {
	first := pending[0]
	if first.msg.Type == raftpb.MsgSnap {
		return pending[:1], pending[1:], sendSnapshot(st, first)
	}
	b := &raftgrouppb.Batch{Group: first.group}
	size := 0
	n := 0
	add := func(o outgoing) bool {
		if o.group != first.group || o.msg.Type == raftpb.MsgSnap || (n > 0 && size+o.msg.Size() > maxBatchBytes) {
			return false
		}
		data, err := o.msg.Marshal()
		if err != nil {
			p.t.logger.Error("raftgroup: encoding a raft message", "err", err)
			return true // dropped; raft retransmits
		}
		b.Messages = append(b.Messages, data)
		size += len(data)
		n++
		return true
	}
	i := 0
	for ; i < len(pending) && add(pending[i]); i++ {
	}
	if i == len(pending) {
	drain:
		for size < maxBatchBytes {
			select {
			case o := <-p.queue:
				pending = append(pending, o)
				if !add(o) {
					break drain
				}
				i++
			default:
				break drain
			}
		}
	}
	if err := st.Send(b); err != nil {
		return nil, pending, err
	}
	return pending[:i], pending[i:], nil
}

// sendSnapshot sends a MsgSnap as its encoding without the data, then the
// data in chunks.
func sendSnapshot(st raftgrouppb.Raft_SendClient, o outgoing) error {
	m := o.msg
	var data []byte
	if m.Snapshot != nil {
		snap := *m.Snapshot
		data, snap.Data = snap.Data, nil
		m.Snapshot = &snap
	}
	enc, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("encoding snapshot message: %w", err)
	}
	sum := sha256.Sum256(data)
	if err := st.Send(&raftgrouppb.Batch{Group: o.group, SnapshotMessage: enc, SnapshotSize: uint64(len(data)), SnapshotChecksum: sum[:]}); err != nil {
		return err
	}
	for len(data) > 0 {
		n := min(len(data), snapshotChunkBytes)
		if err := st.Send(&raftgrouppb.Batch{Group: o.group, SnapshotChunk: data[:n]}); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// streamError turns the error of a failed Send into the receiver's
// status: gRPC reports a refused client stream as io.EOF on Send and
// the real error on CloseAndRecv.
func streamError(st raftgrouppb.Raft_SendClient, err error) error {
	if errors.Is(err, io.EOF) {
		if _, rerr := st.CloseAndRecv(); rerr != nil {
			return rerr
		}
	}
	return err
}

// quietFailures is how many consecutive failed streams to a peer are
// logged at Info: a peer restarting, or a whole cluster shutting down,
// fails a few; one that stays unreachable is a Warn.
const quietFailures = 5

// logFailure logs the failure of a stream; failures counts the failed
// attempts before this one since a stream last delivered.
func (p *peer) logFailure(err error, failures int) {
	if err == nil {
		return
	}
	level := slog.LevelWarn
	if failures < quietFailures {
		level = slog.LevelInfo
	}
	key := fmt.Sprintf("send %d: %v %v", p.id, level, err)
	if !p.t.limiter.Allow(key) {
		return
	}
	if status.Code(err) == codes.FailedPrecondition {
		level = slog.LevelError // a configuration mismatch never heals by itself
	}
	p.t.logger.Log(context.Background(), level, "raftgroup: stream to peer failed", "peer", p.id, "addr", p.addr, "err", err)
}

// raftServer is the receiving side of the Raft service.
type raftServer struct {
	raftgrouppb.UnimplementedRaftServer
	t *Transport
}

// Send receives one peer's stream: a header that must match this node,
// then batches handed to their groups in order.
func (s *raftServer) Send(st raftgrouppb.Raft_SendServer) error {
	t := s.t
	first, err := st.Recv()
	if err != nil {
		return err
	}
	h := first.GetHeader()
	if h == nil {
		return status.Error(codes.InvalidArgument, "raftgroup: the first message of a stream must carry a header")
	}
	if t.authorize != nil {
		if err := t.authorize(st.Context(), h.GetFrom()); err != nil {
			if t.limiter.Allow(fmt.Sprintf("unauthorized %d", h.GetFrom())) {
				t.logger.Warn("raftgroup: refused a raft stream whose caller may not speak for the node it names", "claimed", h.GetFrom(), "err", err)
			}
			return status.Error(codes.PermissionDenied, "raftgroup: not authorized")
		}
	}
	if h.GetTo() != t.self {
		return status.Errorf(codes.FailedPrecondition, "raftgroup: node %d sent to node %d, but this is node %d", h.GetFrom(), h.GetTo(), t.self)
	}
	if msg := t.fp.Mismatch(fingerprintOf(h), h.GetFrom()); msg != "" {
		if t.limiter.Allow("recv " + msg) {
			t.logger.Error("raftgroup: refused raft stream: "+msg, "peer", h.GetFrom())
		}
		return status.Error(codes.FailedPrecondition, msg)
	}
	from := h.GetFrom()
	t.peerIsBack(from)
	ctx := st.Context()
	for {
		b, err := st.Recv()
		if errors.Is(err, io.EOF) {
			return st.SendAndClose(&raftgrouppb.Empty{})
		}
		if err != nil {
			return err
		}
		if len(b.GetMessages()) == 0 && len(b.GetSnapshotMessage()) == 0 {
			continue // the sender's keepalive on an idle stream
		}
		var msgs []raftpb.Message
		if len(b.GetSnapshotMessage()) > 0 {
			m, err := recvSnapshot(st, b)
			if err != nil {
				return err
			}
			if err := t.checkSnapshot(b.GetGroup(), from, m); err != nil {
				if t.limiter.Allow(fmt.Sprintf("refused snapshot %d", from)) {
					t.logger.Warn("raftgroup: refused a snapshot", "from", from, "err", err)
				}
				return status.Error(codes.InvalidArgument, err.Error())
			}
			msgs = append(msgs, m)
		}
		decoded, err := decodeMessages(b.GetMessages(), from, t.self)
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		msgs = append(msgs, decoded...)
		g := t.group(b.GetGroup())
		if g == nil {
			if t.isClosed() {
				return status.Error(codes.Unavailable, "raftgroup: transport is closed")
			}
			continue // the group is not open here (yet): drop, raft retries
		}
		for _, m := range msgs {
			if err := g.step(ctx, m); err != nil {
				break // the group closed; drop the rest
			}
		}
	}
}

// wireTypes are the raft messages one node sends another in this
// package's use of raft: appends and heartbeats with their answers,
// (pre-)votes with theirs, snapshots, and the leader's go-ahead to a
// transfer target. Everything else is local to a node (ticks, proposals
// — forwarding is off —, storage messages, read index requests, which
// only a leader makes) and is refused from the wire.
var wireTypes = map[raftpb.MessageType]bool{
	raftpb.MsgApp: true, raftpb.MsgAppResp: true,
	raftpb.MsgHeartbeat: true, raftpb.MsgHeartbeatResp: true,
	raftpb.MsgVote: true, raftpb.MsgVoteResp: true,
	raftpb.MsgPreVote: true, raftpb.MsgPreVoteResp: true,
	raftpb.MsgSnap: true, raftpb.MsgTimeoutNow: true,
}

// decodeMessages decodes the raft messages of one batch received on the
// stream from node from to node self, refusing what does not decode,
// what is not a wire message, and what claims another sender or
// recipient than the stream's. It never panics, whatever the bytes
// (FuzzDecodeMessages).
func decodeMessages(encoded [][]byte, from, self uint64) ([]raftpb.Message, error) {
	msgs := make([]raftpb.Message, 0, len(encoded))
	for _, enc := range encoded {
		var m raftpb.Message
		if err := m.Unmarshal(enc); err != nil {
			return nil, fmt.Errorf("raftgroup: decoding a raft message from node %d: %w", from, err)
		}
		if !wireTypes[m.Type] {
			return nil, fmt.Errorf("raftgroup: node %d sent a %s, which does not travel between nodes", from, m.Type)
		}
		if m.From != from || m.To != self {
			return nil, fmt.Errorf("raftgroup: message from %d to %d on the stream from node %d to node %d", m.From, m.To, from, self)
		}
		if m.Type == raftpb.MsgSnap {
			// Snapshots come only through the snapshot protocol
			// (recvSnapshot), which checks them (checkSnapshot).
			return nil, fmt.Errorf("raftgroup: node %d sent a snapshot message outside the snapshot protocol", from)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// recvSnapshot reads the data chunks following a snapshot message.
func recvSnapshot(st raftgrouppb.Raft_SendServer, head *raftgrouppb.Batch) (raftpb.Message, error) {
	var m raftpb.Message
	if err := m.Unmarshal(head.GetSnapshotMessage()); err != nil {
		return m, status.Errorf(codes.InvalidArgument, "raftgroup: decoding a snapshot message: %v", err)
	}
	if m.Snapshot == nil {
		return m, status.Error(codes.InvalidArgument, "raftgroup: snapshot message without a snapshot")
	}
	size := head.GetSnapshotSize()
	if size > maxSnapshotBytes {
		return m, status.Errorf(codes.InvalidArgument, "raftgroup: a snapshot of %d bytes exceeds the %d bytes a node accepts", size, maxSnapshotBytes)
	}
	data := make([]byte, 0, min(size, 64<<20)) // grows past 64 MiB as chunks arrive
	for uint64(len(data)) < size {
		b, err := st.Recv()
		if err != nil {
			return m, err
		}
		data = append(data, b.GetSnapshotChunk()...)
	}
	if uint64(len(data)) != size {
		return m, status.Errorf(codes.InvalidArgument, "raftgroup: snapshot data of %d bytes, announced %d", len(data), size)
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], head.GetSnapshotChecksum()) {
		return m, status.Error(codes.InvalidArgument, "raftgroup: snapshot data does not match its checksum")
	}
	m.Snapshot.Data = data
	return m, nil
}

// checkSnapshot refuses a received snapshot before raft sees it (raft
// would make the store replace its contents with it): it must come from
// the node this one knows as the group's leader, and the state machine,
// if it can, must find the data well formed (SnapshotValidator).
func (t *Transport) checkSnapshot(groupID, from uint64, m raftpb.Message) error {
	g := t.group(groupID)
	if g == nil {
		return nil // dropped below anyway
	}
	if lead := g.Leader(); lead != from {
		return fmt.Errorf("raftgroup: snapshot from node %d, which this node does not know as the leader (%d)", from, lead)
	}
	// Refused rather than dropped: the sender then reports the snapshot
	// failed, and raft's leader retries later instead of waiting for it.
	if accept := g.cfg.AcceptEntries; accept != nil {
		if err := accept(); err != nil {
			return fmt.Errorf("raftgroup: not taking a snapshot now: %w", err)
		}
	}
	if v, ok := g.cfg.SM.(SnapshotValidator); ok {
		if err := v.ValidateSnapshot(m.Snapshot.Data, m.Snapshot.Metadata.Index); err != nil {
			return fmt.Errorf("raftgroup: snapshot at %d from node %d: %w", m.Snapshot.Metadata.Index, from, err)
		}
	}
	return nil
}

func (t *Transport) isClosed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}
