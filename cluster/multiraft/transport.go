package multiraft

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/cluster/multiraft/multiraftpb"
	"github.com/quorumdb/quorumdb/cluster/peerlink"
)

const (
	// peerQueueLen bounds the batches waiting for one peer; more are
	// dropped and their messages reported unreachable (raft retries).
	peerQueueLen = 1024
	// maxWireBatchBytes bounds the encoded raft messages in one gRPC
	// message, well under gRPC's default 4 MiB receive limit; a cycle's
	// batch larger than that travels as several.
	maxWireBatchBytes = 1 << 20
	// snapshotChunkBytes is the size of the pieces snapshot data travels in.
	snapshotChunkBytes = 1 << 20
	// MaxProposalBytes bounds one proposal: an entry is never split, so
	// its append message must fit the receiver's 4 MiB gRPC limit.
	MaxProposalBytes = 3 << 20
	// idleKeepalive is how long a stream may go without a batch before
	// the sender sends an empty one. A running node beats every tick, so
	// this matters only for a node that has nothing to say (starting, or
	// stopping): its stream's failure still shows within this time.
	idleKeepalive = 250 * time.Millisecond
	// maxSnapshotBytes bounds a snapshot a node accepts: it is held in
	// memory whole, so a larger one is refused before anything is
	// allocated for it.
	maxSnapshotBytes = 8 << 30
)

// Transport carries batches between nodes over gRPC: two sender
// goroutines per peer stream their queues (lanes), and the receiving side,
// registered on the node's gRPC server, hands each batch to the Node.
// Beats flow every tick, so a stream is rarely idle, and a connection
// that died is noticed at the next send (TCP_USER_TIMEOUT bounds a
// silent one, peerlink); an idle stream carries an empty batch every
// idleKeepalive.
type Transport struct {
	self     uint64
	fp       peerlink.Fingerprint
	logger   *slog.Logger
	dialOpts []grpc.DialOption

	ctx    context.Context // canceled by Close; stops the senders
	cancel context.CancelFunc
	wg     sync.WaitGroup // the sender goroutines

	mu     sync.Mutex
	peers  map[uint64]*lanes // guarded by mu; fixed by NewTransport
	node   *Node             // guarded by mu; set by Start
	closed bool              // guarded by mu

	limiter peerlink.LogLimiter
	// authorize, set by SetAuthorizer before the transport serves,
	// refuses a stream whose caller may not speak for the node its
	// header names (nil: no check).
	authorize func(ctx context.Context, node uint64) error

	batchesSent, raftMessagesSent, snapshotsSent atomic.Uint64
}

// NewTransport returns the transport of node self, with a sender for
// every other node in peers (id -> gRPC address). Without dial options
// connections are plaintext.
func NewTransport(self uint64, peers map[uint64]string, fp peerlink.Fingerprint, logger *slog.Logger, dialOpts ...grpc.DialOption) (*Transport, error) {
	if logger == nil {
		logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &Transport{
		self: self, fp: fp, logger: logger.With("component", "multiraft-transport"),
		dialOpts: peerlink.DialOptions(dialOpts...), ctx: ctx, cancel: cancel,
		peers: make(map[uint64]*lanes),
	}
	for id, addr := range peers {
		if id == self {
			continue
		}
		conn, err := grpc.NewClient(addr, t.dialOpts...)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("multiraft: connecting to node %d at %s: %w", id, addr, err)
		}
		client := multiraftpb.NewMultiRaftClient(conn)
		newSender := func(lane string) *sender {
			return &sender{t: t, id: id, addr: addr, lane: lane, client: client,
				queue: make(chan *Batch, peerQueueLen), wake: make(chan struct{}, 1)}
		}
		t.peers[id] = &lanes{conn: conn, control: newSender("control"), data: newSender("data")}
	}
	for _, l := range t.peers {
		t.wg.Add(2)
		go l.control.run()
		go l.data.run()
	}
	return t, nil
}

// lanes are the two streams to one peer, over one connection. The data
// lane carries the appends and snapshots; the control lane everything
// else: beats and their acknowledgements, heartbeats, votes, and the
// answers to appends. A follower persisting a bulk load's entries reads
// its data lane no faster than its disk allows, and the batches queued
// there would hold back a beat behind them by seconds: followers would
// stop supporting the leader, and a leader missing its followers'
// answers for an election timeout steps down. On a lane of their own the
// small messages arrive at once, whatever the data lane carries.
type lanes struct {
	conn          *grpc.ClientConn
	control, data *sender
}

// split divides a batch between the lanes; either part may be nil.
func split(b *Batch) (control, data *Batch) {
	var dataMsgs, controlMsgs []GroupMessage
	for _, m := range b.Messages {
		if onDataLane(m) {
			dataMsgs = append(dataMsgs, m)
		} else {
			controlMsgs = append(controlMsgs, m)
		}
	}
	if len(dataMsgs) > 0 {
		data = &Batch{From: b.From, To: b.To, Messages: dataMsgs}
	}
	control = &Batch{From: b.From, To: b.To, Beat: b.Beat, Acks: b.Acks, Heartbeats: b.Heartbeats, Messages: controlMsgs}
	if control.Empty() {
		control = nil
	}
	return control, data
}

// carriesData says whether a received batch came by the data lane.
func carriesData(b *Batch) bool { return slices.ContainsFunc(b.Messages, onDataLane) }

// onDataLane says which lane a message takes: appends and snapshots go
// by the data lane.
func onDataLane(m GroupMessage) bool {
	return m.Msg.Type == raftpb.MsgApp || m.Msg.Type == raftpb.MsgSnap
}

// SetAuthorizer makes the receiver refuse a stream unless f says its
// caller may speak for the node the stream's header names (peer TLS).
// Call before Register.
func (t *Transport) SetAuthorizer(f func(ctx context.Context, node uint64) error) { t.authorize = f }

// Register serves the MultiRaft gRPC service on s.
func (t *Transport) Register(s grpc.ServiceRegistrar) {
	multiraftpb.RegisterMultiRaftServer(s, &server{t: t})
}

// TransportStats counts what a transport sent.
type TransportStats struct {
	Batches      uint64 // gRPC batches, one per lane per peer per cycle with anything to say
	RaftMessages uint64 // raft messages in them, each coalesced heartbeat counted
	Snapshots    uint64 // snapshots sent completely
}

// Stats says what this node has sent.
func (t *Transport) Stats() TransportStats {
	return TransportStats{Batches: t.batchesSent.Load(), RaftMessages: t.raftMessagesSent.Load(), Snapshots: t.snapshotsSent.Load()}
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
	// The connections outlive both lanes' senders.
	for _, l := range t.peers {
		l.conn.Close()
	}
}

func (t *Transport) attach(n *Node) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errors.New("multiraft: transport is closed")
	}
	if t.node != nil {
		return errors.New("multiraft: transport already serves a node")
	}
	t.node = n
	return nil
}

func (t *Transport) detach(n *Node) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.node == n {
		t.node = nil
	}
}

func (t *Transport) attached() *Node {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	return t.node
}

// send queues a batch for its peer's lanes without blocking; a part
// that cannot be queued is dropped and its raft messages reported.
func (t *Transport) send(b *Batch) {
	t.mu.Lock()
	l := t.peers[b.To]
	closed := t.closed
	t.mu.Unlock()
	if l == nil || closed {
		t.reportUndelivered(b)
		return
	}
	control, data := split(b)
	for _, q := range []struct {
		b *Batch
		s *sender
	}{{control, l.control}, {data, l.data}} {
		if q.b == nil {
			continue
		}
		select {
		case q.s.queue <- q.b:
		default:
			t.reportUndelivered(q.b)
		}
	}
}

// reportUndelivered tells the node's groups that the batch's messages
// did not get through.
func (t *Transport) reportUndelivered(b *Batch) {
	if n := t.attached(); n != nil {
		n.reportUndelivered(b)
	}
}

// sender owns one lane to another node and the goroutine (run)
// streaming its queue.
type sender struct {
	t      *Transport
	id     uint64
	addr   string
	lane   string // "control" or "data", for the logs
	client multiraftpb.MultiRaftClient
	queue  chan *Batch
	// wake ends a reconnect backoff: the peer opened a stream to us, so
	// it is up again.
	wake chan struct{}
}

// run streams the queue to the peer until the transport closes,
// reconnecting with capped exponential backoff after a failure.
func (p *sender) run() {
	defer p.t.wg.Done()
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
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-p.wake:
			timer.Stop()
			failures = 0
		}
		// Without this, gRPC's own backoff under the connection (up to
		// 2 minutes) would make the next attempts fail without dialing.
		p.t.resetBackoff(p.id)
	}
}

// stream opens one stream and sends until it fails; delivered says
// whether any batch went out. While the stream is down, queued batches
// are dropped and reported, so raft learns the peer is unreachable.
func (p *sender) stream(ctx context.Context) (delivered bool, err error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := p.client.Send(sctx)
	if err == nil {
		err = st.Send(&multiraftpb.Batch{Header: header(p.t.fp, p.t.self, p.id)})
	}
	if err != nil {
		p.dropQueued()
		return false, streamError(st, err)
	}
	idle := time.NewTimer(idleKeepalive)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return delivered, nil
		case <-idle.C:
			// Nothing queued: an empty batch finds out whether the
			// stream still stands (a refusal, a dead connection).
			if err := st.Send(&multiraftpb.Batch{}); err != nil {
				p.dropQueued()
				return delivered, streamError(st, err)
			}
		case b := <-p.queue:
			if err := p.sendBatch(st, b); err != nil {
				p.t.reportUndelivered(b)
				p.dropQueued()
				return delivered, streamError(st, err)
			}
			delivered = true
		}
		idle.Reset(idleKeepalive)
	}
}

// dropQueued reports everything queued as undelivered.
func (p *sender) dropQueued() {
	for {
		select {
		case b := <-p.queue:
			p.t.reportUndelivered(b)
		default:
			return
		}
	}
}

// sendBatch sends one cycle's batch: snapshots through the snapshot
// protocol, the rest in gRPC messages of at most maxWireBatchBytes of
// raft messages each (the beat and acknowledgements with the first).
func (p *sender) sendBatch(st multiraftpb.MultiRaft_SendClient, b *Batch) error {
	w := &multiraftpb.Batch{Beat: beatToWire(b.Beat), Acks: acksToWire(b.Acks), Heartbeats: heartbeatsToWire(b.Heartbeats)}
	size := 0
	var snaps []GroupMessage
	for _, m := range b.Messages {
		if m.Msg.Type == raftpb.MsgSnap {
			snaps = append(snaps, m)
			continue
		}
		data, err := m.Msg.Marshal()
		if err != nil {
			return fmt.Errorf("multiraft: encoding a raft message: %w", err)
		}
		if len(w.Messages) > 0 && size+len(data) > maxWireBatchBytes {
			if err := st.Send(w); err != nil {
				return err
			}
			w, size = &multiraftpb.Batch{}, 0
		}
		w.Messages = append(w.Messages, &multiraftpb.GroupMessage{Group: m.Group, Message: data})
		size += len(data)
	}
	if err := st.Send(w); err != nil {
		return err
	}
	p.t.batchesSent.Add(1)
	p.t.raftMessagesSent.Add(uint64(len(b.Messages) + len(b.Heartbeats)))
	for _, m := range snaps {
		if err := sendSnapshot(st, m); err != nil {
			return err
		}
		p.t.snapshotsSent.Add(1)
		if n := p.t.attached(); n != nil {
			n.reportSnapshot(m.Group, p.id, raft.SnapshotFinish)
		}
	}
	return nil
}

// sendSnapshot sends a MsgSnap as its encoding without the data, then the
// data in chunks.
func sendSnapshot(st multiraftpb.MultiRaft_SendClient, gm GroupMessage) error {
	m := gm.Msg
	var data []byte
	if m.Snapshot != nil {
		snap := *m.Snapshot
		data, snap.Data = snap.Data, nil
		m.Snapshot = &snap
	}
	enc, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("multiraft: encoding a snapshot message: %w", err)
	}
	sum := sha256.Sum256(data)
	if err := st.Send(&multiraftpb.Batch{SnapshotGroup: gm.Group, SnapshotMessage: enc, SnapshotSize: uint64(len(data)), SnapshotChecksum: sum[:]}); err != nil {
		return err
	}
	for len(data) > 0 {
		n := min(len(data), snapshotChunkBytes)
		if err := st.Send(&multiraftpb.Batch{SnapshotChunk: data[:n]}); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// streamError turns the error of a failed Send into the receiver's
// status: gRPC reports a refused client stream as io.EOF on Send and
// the real error on CloseAndRecv.
func streamError(st multiraftpb.MultiRaft_SendClient, err error) error {
	if st != nil && errors.Is(err, io.EOF) {
		if _, rerr := st.CloseAndRecv(); rerr != nil {
			return rerr
		}
	}
	return err
}

// quietFailures is how many consecutive failed streams to a peer are
// logged at Info: a peer restarting fails a few; one that stays
// unreachable is a Warn.
const quietFailures = 5

func (p *sender) logFailure(err error, failures int) {
	if err == nil {
		return
	}
	level := slog.LevelWarn
	if failures < quietFailures {
		level = slog.LevelInfo
	}
	if !p.t.limiter.Allow(fmt.Sprintf("send %d: %v %v", p.id, level, err)) {
		return
	}
	if status.Code(err) == codes.FailedPrecondition {
		level = slog.LevelError // a configuration mismatch never heals by itself
	}
	p.t.logger.Log(context.Background(), level, "multiraft: stream to peer failed", "peer", p.id, "addr", p.addr, "lane", p.lane, "err", err)
}

// resetBackoff ends gRPC's own reconnect backoff on the connection to
// node id.
func (t *Transport) resetBackoff(id uint64) {
	t.mu.Lock()
	l := t.peers[id]
	t.mu.Unlock()
	if l != nil {
		l.conn.ResetConnectBackoff()
	}
}

// peerIsBack ends the reconnect backoff of the senders to node id.
func (t *Transport) peerIsBack(id uint64) {
	t.mu.Lock()
	l := t.peers[id]
	t.mu.Unlock()
	if l == nil {
		return
	}
	for _, p := range []*sender{l.control, l.data} {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// server is the receiving side of the MultiRaft service.
type server struct {
	multiraftpb.UnimplementedMultiRaftServer
	t *Transport
}

// Send receives one peer's stream: a header that must match this node,
// then batches handed to the node in order.
func (s *server) Send(st multiraftpb.MultiRaft_SendServer) error {
	t := s.t
	first, err := st.Recv()
	if err != nil {
		return err
	}
	h := first.GetHeader()
	if h == nil {
		return status.Error(codes.InvalidArgument, "multiraft: the first message of a stream must carry a header")
	}
	from := h.GetFrom()
	if t.authorize != nil {
		if err := t.authorize(st.Context(), from); err != nil {
			if t.limiter.Allow(fmt.Sprintf("unauthorized %d", from)) {
				t.logger.Warn("multiraft: refused a stream whose caller may not speak for the node it names", "claimed", from, "err", err)
			}
			return status.Error(codes.PermissionDenied, "multiraft: not authorized")
		}
	}
	if h.GetTo() != t.self {
		return status.Errorf(codes.FailedPrecondition, "multiraft: node %d sent to node %d, but this is node %d", from, h.GetTo(), t.self)
	}
	if msg := t.fp.Mismatch(fingerprintOf(h), from); msg != "" {
		if t.limiter.Allow("recv " + msg) {
			t.logger.Error("multiraft: refused stream: "+msg, "peer", from)
		}
		return status.Error(codes.FailedPrecondition, msg)
	}
	t.mu.Lock()
	_, member := t.peers[from]
	t.mu.Unlock()
	if !member {
		return status.Errorf(codes.FailedPrecondition, "multiraft: node %d is not a member of this cluster", from)
	}
	t.peerIsBack(from)
	ctx := st.Context()
	for {
		w, err := st.Recv()
		if errors.Is(err, io.EOF) {
			return st.SendAndClose(&multiraftpb.Empty{})
		}
		if err != nil {
			return err
		}
		b, err := decodeBatch(w, from, t.self)
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		if len(w.GetSnapshotMessage()) > 0 {
			m, err := recvSnapshot(st, w, from, t.self)
			if err != nil {
				return err
			}
			if n := t.attached(); n != nil {
				if err := n.checkSnapshot(w.GetSnapshotGroup(), from, m); err != nil {
					if t.limiter.Allow(fmt.Sprintf("refused snapshot %d", from)) {
						t.logger.Warn("multiraft: refused a snapshot", "from", from, "group", w.GetSnapshotGroup(), "err", err)
					}
					return status.Error(codes.InvalidArgument, err.Error())
				}
			}
			b.Messages = append(b.Messages, GroupMessage{Group: w.GetSnapshotGroup(), Msg: m})
		}
		if b.Empty() {
			continue
		}
		n := t.attached()
		if n == nil {
			if t.isClosed() {
				return status.Error(codes.Unavailable, "multiraft: transport is closed")
			}
			continue // no node yet: drop, raft retries
		}
		if err := n.deliver(ctx, b, carriesData(b)); err != nil {
			return status.Error(codes.Unavailable, err.Error())
		}
	}
}

func (t *Transport) isClosed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// wireTypes are the raft messages one node sends another: appends with
// their answers, (pre-)votes with theirs, and the leader's go-ahead to a
// transfer target; heartbeats travel coalesced, snapshots through the
// snapshot protocol. Everything else is local to a node and refused.
var wireTypes = map[raftpb.MessageType]bool{
	raftpb.MsgApp: true, raftpb.MsgAppResp: true,
	raftpb.MsgVote: true, raftpb.MsgVoteResp: true,
	raftpb.MsgPreVote: true, raftpb.MsgPreVoteResp: true,
	raftpb.MsgTimeoutNow: true,
}

// decodeBatch decodes one received gRPC batch of the stream from node
// from to node self, refusing what does not decode, what is not a wire
// message, and what claims another sender or recipient than the
// stream's. It never panics, whatever the bytes (FuzzDecodeBatch).
func decodeBatch(w *multiraftpb.Batch, from, self uint64) (*Batch, error) {
	b := &Batch{From: from, To: self}
	if bt := w.GetBeat(); bt != nil {
		b.Beat = &Beat{Seq: bt.GetSeq()}
		for _, gt := range bt.GetLeads() {
			b.Beat.Leads = append(b.Beat.Leads, GroupTerm{Group: gt.GetGroup(), Term: gt.GetTerm()})
		}
	}
	for _, a := range w.GetAcks() {
		b.Acks = append(b.Acks, BeatAck{Seq: a.GetSeq(), Supports: slices.Clone(a.GetSupports()), Unwilling: a.GetUnwilling()})
	}
	for _, h := range w.GetHeartbeats() {
		b.Heartbeats = append(b.Heartbeats, Heartbeat{Group: h.GetGroup(), Term: h.GetTerm(), Commit: h.GetCommit(),
			Context: h.GetContext(), Response: h.GetResponse()})
	}
	for _, gm := range w.GetMessages() {
		var m raftpb.Message
		if err := m.Unmarshal(gm.GetMessage()); err != nil {
			return nil, fmt.Errorf("multiraft: decoding a raft message from node %d: %w", from, err)
		}
		if !wireTypes[m.Type] {
			return nil, fmt.Errorf("multiraft: node %d sent a %s, which does not travel between nodes this way", from, m.Type)
		}
		if m.From != from || m.To != self {
			return nil, fmt.Errorf("multiraft: message from %d to %d on the stream from node %d to node %d", m.From, m.To, from, self)
		}
		b.Messages = append(b.Messages, GroupMessage{Group: gm.GetGroup(), Msg: m})
	}
	return b, nil
}

// recvSnapshot reads the data chunks following a snapshot message.
func recvSnapshot(st multiraftpb.MultiRaft_SendServer, head *multiraftpb.Batch, from, self uint64) (raftpb.Message, error) {
	var m raftpb.Message
	if err := m.Unmarshal(head.GetSnapshotMessage()); err != nil {
		return m, status.Errorf(codes.InvalidArgument, "multiraft: decoding a snapshot message: %v", err)
	}
	if m.Type != raftpb.MsgSnap || m.Snapshot == nil || m.From != from || m.To != self {
		return m, status.Error(codes.InvalidArgument, "multiraft: malformed snapshot message")
	}
	size := head.GetSnapshotSize()
	if size > maxSnapshotBytes {
		return m, status.Errorf(codes.InvalidArgument, "multiraft: a snapshot of %d bytes exceeds the %d bytes a node accepts", size, maxSnapshotBytes)
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
		return m, status.Errorf(codes.InvalidArgument, "multiraft: snapshot data of %d bytes, announced %d", len(data), size)
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], head.GetSnapshotChecksum()) {
		return m, status.Error(codes.InvalidArgument, "multiraft: snapshot data does not match its checksum")
	}
	m.Snapshot.Data = data
	return m, nil
}

func header(f peerlink.Fingerprint, from, to uint64) *multiraftpb.Header {
	return &multiraftpb.Header{From: from, To: to, Nodes: slices.Clone(f.Nodes),
		ReplicationFactor: int64(f.ReplicationFactor), Partitions: int64(f.Partitions), Version: f.Version}
}

func fingerprintOf(h *multiraftpb.Header) peerlink.Fingerprint {
	return peerlink.Fingerprint{Nodes: h.GetNodes(), ReplicationFactor: int(h.GetReplicationFactor()),
		Partitions: int(h.GetPartitions()), Version: h.GetVersion()}
}

func beatToWire(b *Beat) *multiraftpb.Beat {
	if b == nil {
		return nil
	}
	w := &multiraftpb.Beat{Seq: b.Seq}
	for _, gt := range b.Leads {
		w.Leads = append(w.Leads, &multiraftpb.GroupTerm{Group: gt.Group, Term: gt.Term})
	}
	return w
}

func acksToWire(acks []BeatAck) []*multiraftpb.BeatAck {
	var w []*multiraftpb.BeatAck
	for _, a := range acks {
		w = append(w, &multiraftpb.BeatAck{Seq: a.Seq, Supports: a.Supports, Unwilling: a.Unwilling})
	}
	return w
}

func heartbeatsToWire(hs []Heartbeat) []*multiraftpb.Heartbeat {
	var w []*multiraftpb.Heartbeat
	for _, h := range hs {
		w = append(w, &multiraftpb.Heartbeat{Group: h.Group, Term: h.Term, Commit: h.Commit, Context: h.Context, Response: h.Response})
	}
	return w
}
