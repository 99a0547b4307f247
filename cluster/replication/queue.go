package replication

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tidwall/wal"

	"github.com/quorumdb/quorumdb/internal/walrepair"
	"google.golang.org/protobuf/proto"

	"github.com/quorumdb/quorumdb/cluster/replication/replicationpb"
)

const (
	// maxGroup caps the events one group commit writes with one fsync.
	maxGroup = 512
	// commitBacklog is the depth of a queue's append channel; beyond it
	// Enqueue waits for the local disk (never for a peer).
	commitBacklog = 1024
	// truncateEvery bounds acknowledged entries kept in the log before
	// TruncateFront; an empty queue is truncated at once. Entries kept are
	// resent after a crash and deduplicated by the receiver.
	truncateEvery = 256
)

// appendReq is one Enqueue's request to a queue's committer.
type appendReq struct {
	ev   Event
	done chan error // buffered 1; receives the commit result
}

// queue is one persistent queue towards one peer: a wal.Log in its own
// directory, a committer goroutine that group-commits appends, and the
// counters its dispatcher and the statistics read. Entries are marshaled
// replicationpb.Event records at log index = Seq.
type queue struct {
	name        string
	peer        int
	index       int
	dir         string
	incarnation uint64 // from queue.meta; changes when the queue is recreated
	log         *wal.Log
	now         func() time.Time

	// readMu serializes log.Read: wal loads a non-tail segment into its
	// cache under a read lock, which is not safe for concurrent readers.
	readMu sync.Mutex

	commitc       chan *appendReq // owned by Manager.Enqueue (send) and the committer (receive)
	committerDone chan struct{}   // closed when the committer returns
	// kick wakes the dispatcher after an append; buffered 1, sent without
	// blocking ("new work" signal).
	kick chan struct{}

	mu        sync.Mutex
	last      uint64    // guarded by mu; written by the committer only
	acked     uint64    // guarded by mu; written by the dispatcher only
	truncated uint64    // guarded by mu; every seq <= truncated is gone from the log
	broken    error     // guarded by mu; set on a failed write, fails later appends
	headSeq   uint64    // guarded by mu; seq whose enqueue time headTime caches
	headTime  time.Time // guarded by mu
	delivered uint64    // guarded by mu; events acknowledged since open
	failed    uint64    // guarded by mu; failed delivery attempts since open
	lastErr   string    // guarded by mu
	connected bool      // guarded by mu; a stream is open
}

// openQueue opens (creating if needed) the n-th queue towards peer in
// root. A log whose tail was torn by a crash is repaired first: a torn
// entry was never acknowledged to Enqueue, so dropping it loses nothing.
func openQueue(root string, peer, n, segmentSize int, now func() time.Time) (*queue, error) {
	name := QueueName(peer, n)
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("replication: create queue %s: %w", name, err)
	}
	inc, err := loadOrCreateMeta(dir, peer, n)
	if err != nil {
		return nil, err
	}
	opts := *wal.DefaultOptions
	opts.AllowEmpty = true
	opts.SegmentSize = segmentSize
	opts.SegmentCacheSize = 2
	log, err := wal.Open(dir, &opts)
	if errors.Is(err, wal.ErrCorrupt) {
		if _, rerr := walrepair.CutTornTail(dir); rerr != nil {
			return nil, fmt.Errorf("replication: repair queue %s: %w", name, rerr)
		}
		log, err = wal.Open(dir, &opts)
	}
	if err != nil {
		return nil, fmt.Errorf("replication: open queue %s: %w", name, err)
	}
	first, err1 := log.FirstIndex()
	last, err2 := log.LastIndex()
	if err := errors.Join(err1, err2); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("replication: open queue %s: %w", name, err)
	}
	q := &queue{
		name: name, peer: peer, index: n, dir: dir, incarnation: inc, log: log, now: now,
		commitc:       make(chan *appendReq, commitBacklog),
		committerDone: make(chan struct{}),
		kick:          make(chan struct{}, 1),
		last:          last,
		acked:         first - 1,
		truncated:     first - 1,
	}
	return q, nil
}

// startCommitter starts the group-commit goroutine; close stops it.
func (q *queue) startCommitter() {
	go q.commitLoop()
}

// commitLoop takes every append request waiting in commitc, writes them
// as one wal batch with one fsync, and answers each. It returns when
// commitc is closed and drained.
func (q *queue) commitLoop() {
	defer close(q.committerDone)
	var batch wal.Batch
	reqs := make([]*appendReq, 0, maxGroup)
	for req := range q.commitc {
		reqs = append(reqs[:0], req)
	drain:
		for len(reqs) < maxGroup {
			select {
			case r, ok := <-q.commitc:
				if !ok {
					break drain
				}
				reqs = append(reqs, r)
			default:
				break drain
			}
		}
		err := q.commit(reqs, &batch)
		for _, r := range reqs {
			r.done <- err
		}
	}
}

// commit appends reqs' events at the next sequence numbers.
func (q *queue) commit(reqs []*appendReq, batch *wal.Batch) error {
	q.mu.Lock()
	broken, last := q.broken, q.last
	q.mu.Unlock()
	if broken != nil {
		return broken
	}
	for i, r := range reqs {
		p := r.ev.toProto()
		p.Seq = last + uint64(i) + 1
		data, err := proto.Marshal(p)
		if err != nil {
			batch.Clear()
			return fmt.Errorf("replication: encode event for %s: %w", q.name, err)
		}
		batch.Write(p.Seq, data)
	}
	if err := q.log.WriteBatch(batch); err != nil {
		batch.Clear()
		q.mu.Lock()
		q.broken = fmt.Errorf("%w: %s: %w", ErrQueueBroken, q.name, err)
		broken = q.broken
		q.mu.Unlock()
		// The first failure tells the caller why (a full disk, say); later
		// appends get ErrQueueBroken until a restart repairs the log.
		return fmt.Errorf("replication: append to %s: %w", q.name, err)
	}
	q.mu.Lock()
	q.last = last + uint64(len(reqs))
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
	return nil
}

// bounds returns the acknowledged and last sequence numbers.
func (q *queue) bounds() (acked, last uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.acked, q.last
}

// lastSeq returns the highest sequence number appended.
func (q *queue) lastSeq() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.last
}

// read returns the events from..to, in order.
func (q *queue) read(from, to uint64) ([]*replicationpb.Event, error) {
	q.readMu.Lock()
	defer q.readMu.Unlock()
	out := make([]*replicationpb.Event, 0, to-from+1)
	for seq := from; seq <= to; seq++ {
		data, err := q.log.Read(seq)
		if err != nil {
			return nil, fmt.Errorf("replication: read %s seq %d: %w", q.name, seq, err)
		}
		p := new(replicationpb.Event)
		if err := proto.Unmarshal(data, p); err != nil {
			return nil, fmt.Errorf("replication: decode %s seq %d: %w", q.name, seq, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// ackThrough records the peer's acknowledgement of every seq <= through
// and removes acknowledged entries from the log, in batches (see
// truncateEvery). Called by the dispatcher only.
func (q *queue) ackThrough(through uint64) error {
	q.mu.Lock()
	if through <= q.acked {
		q.mu.Unlock()
		return nil
	}
	q.delivered += through - q.acked
	q.acked = through
	doTruncate := through == q.last || through-q.truncated >= truncateEvery
	q.mu.Unlock()
	if !doTruncate {
		return nil
	}
	return q.truncate(through)
}

// truncate removes every entry <= through from the log.
func (q *queue) truncate(through uint64) error {
	if err := q.log.TruncateFront(through + 1); err != nil {
		return fmt.Errorf("replication: truncate %s through %d: %w", q.name, through, err)
	}
	q.mu.Lock()
	q.truncated = max(q.truncated, through)
	q.mu.Unlock()
	return nil
}

// recordFailure counts a failed delivery attempt.
func (q *queue) recordFailure(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.failed++
	q.lastErr = err.Error()
}

func (q *queue) setConnected(c bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.connected = c
}

// oldest returns the enqueue time of the oldest waiting entry (zero when
// none waits). The time is read from the log once per head entry.
func (q *queue) oldest() time.Time {
	q.mu.Lock()
	head, last := q.acked+1, q.last
	if head > last {
		q.mu.Unlock()
		return time.Time{}
	}
	if q.headSeq == head {
		t := q.headTime
		q.mu.Unlock()
		return t
	}
	q.mu.Unlock()
	evs, err := q.read(head, head)
	if err != nil {
		// Acknowledged and truncated meanwhile: the next call reads the new head.
		return time.Time{}
	}
	t := time.Unix(0, evs[0].GetEnqueuedUnixNano())
	q.mu.Lock()
	q.headSeq, q.headTime = head, t
	q.mu.Unlock()
	return t
}

// close stops the committer after it drained its channel (the caller
// guarantees no more sends), truncates acknowledged entries and closes
// the log.
func (q *queue) close() error {
	close(q.commitc)
	<-q.committerDone
	q.mu.Lock()
	acked, truncated := q.acked, q.truncated
	q.mu.Unlock()
	var err error
	if acked > truncated {
		err = q.truncate(acked)
	}
	if cerr := q.log.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("replication: close %s: %w", q.name, cerr))
	}
	return err
}
