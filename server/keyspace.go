package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/dist"
	"github.com/quorumdb/quorumdb/kv/remote"
)

// keyspace is the partitioned keyspace as this node's coordinator
// (kv/dist) sees it: where each key lives (dist.KeyPlacement), and each
// partition's leaseholder — this node's own replica while it leads the
// partition, otherwise a client of the node believed to lead it.
//
// A node learns the leaders of the partitions it replicates from their
// Raft groups (noteLeader). For the others, and whenever a call fails
// because the node it went to does not lead, it follows the refusal's
// hint (kv.NotLeaderError) or, lacking one, tries the partition's next
// replica: the coordinator (dist.DB.onLeaseholder) repeats the call with
// backoff, so the search ends at the leader once one is elected.
type keyspace struct {
	dist.KeyPlacement
	self     string              // this node's peer address
	replicas [][]string          // by partition: replicas' peer addresses, preferred first
	stores   []*kv.LocalStore    // by partition: this node's replica, or nil
	client   *remote.Client      // to the other nodes' partitions
	clock    *kv.Clock           // this node's
	leading  func(p uint32) bool // whether this node leads p (its Raft group says so)

	mu      sync.Mutex
	leaders []string // by partition: the believed leader's address, "" if none
}

var _ dist.Partitions = (*keyspace)(nil)

// anyStore returns one of this node's partition stores, nil if it holds
// none: they share the engine and the filesystems, so any one answers
// for the free space.
func (ks *keyspace) anyStore() *kv.LocalStore {
	for _, s := range ks.stores {
		if s != nil {
			return s
		}
	}
	return nil
}

// leader returns partition p's believed leader, "" if none is known.
func (ks *keyspace) leader(p uint32) string {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.leaders[p]
}

// noteLeader records that addr ("" for none) leads partition p.
func (ks *keyspace) noteLeader(p uint32, addr string) {
	ks.mu.Lock()
	ks.leaders[p] = addr
	ks.mu.Unlock()
}

// Leaseholder implements dist.Partitions.
func (ks *keyspace) Leaseholder(_ context.Context, p uint32) (dist.Participant, error) {
	if int(p) >= len(ks.replicas) {
		return nil, errors.New("server: no such partition")
	}
	if s := ks.stores[p]; s != nil && ks.leading(p) {
		return s, nil
	}
	addr := ks.leader(p)
	if addr == "" {
		addr = ks.replicas[p][0]
	}
	if addr == ks.self && ks.stores[p] != nil {
		// Our own replica, which no longer leads (or does not yet know
		// whether it does): its refusal names the leader if it knows one.
		return &routedParticipant{Participant: ks.stores[p], ks: ks, p: p, addr: addr}, nil
	}
	rp := ks.client.Participant(addr, p, ks.clock)
	return routedRemote{routedParticipant: &routedParticipant{Participant: rp, ks: ks, p: p, addr: addr}, remote: rp}, nil
}

// routedRemote is a routedParticipant on another node, which begins a
// part together with its first operation (dist.FirstOpBeginner).
type routedRemote struct {
	*routedParticipant
	remote *remote.Participant
}

func (rr routedRemote) BeginWith(beginCtx, opCtx context.Context, readTS kv.Timestamp, opts kv.TxnOptions, first func(kv.ParticipantTxn) error) (kv.ParticipantTxn, error, error) {
	t, opErr, err := rr.remote.BeginWith(beginCtx, opCtx, readTS, opts, first)
	return t, opErr, rr.note(err)
}

// refused learns from a call to addr for partition p that failed with
// err: a kv.NotLeaderError names the leader, or the partition's next
// replica is tried; errors that are not about leadership teach nothing.
func (ks *keyspace) refused(p uint32, addr string, err error) {
	var nle *kv.NotLeaderError
	switch {
	case errors.As(err, &nle) && nle.Leader != "" && nle.Leader != addr:
		ks.noteLeader(p, nle.Leader)
	case errors.Is(err, kv.ErrNotLeader) || errors.Is(err, kv.ErrUnavailable):
		ks.mu.Lock()
		defer ks.mu.Unlock()
		if ks.leaders[p] != addr && ks.leaders[p] != "" {
			return // someone learnt better meanwhile
		}
		next := ks.replicas[p][0]
		for i, r := range ks.replicas[p] {
			if r == addr {
				next = ks.replicas[p][(i+1)%len(ks.replicas[p])]
			}
		}
		ks.leaders[p] = next
	}
}

// routedParticipant is a partition's believed leaseholder; its
// refusals update the keyspace's belief (keyspace.refused).
type routedParticipant struct {
	dist.Participant
	ks   *keyspace
	p    uint32
	addr string
}

func (rp *routedParticipant) note(err error) error {
	if err != nil {
		rp.ks.refused(rp.p, rp.addr, err)
	}
	return err
}

func (rp *routedParticipant) BeginAt(ctx context.Context, readTS kv.Timestamp, opts kv.TxnOptions) (kv.ParticipantTxn, error) {
	t, err := rp.Participant.BeginAt(ctx, readTS, opts)
	return t, rp.note(err)
}

func (rp *routedParticipant) Resolve(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) error {
	return rp.note(rp.Participant.Resolve(ctx, id, commit, ts))
}

func (rp *routedParticipant) Decide(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) (kv.TxnOutcome, error) {
	out, err := rp.Participant.Decide(ctx, id, commit, ts)
	return out, rp.note(err)
}

func (rp *routedParticipant) Forget(ctx context.Context, id kv.TxnID) error {
	return rp.note(rp.Participant.Forget(ctx, id))
}

// recoverEvery is how often a node looks for abandoned prepared parts in
// the partitions it leads, and recoverAge how old a part must be to be
// taken for abandoned: a live coordinator resolves its parts within a
// few round trips, or, with its own partitions' leaders gone, within an
// election; deciding abort for one that is merely slow costs it a
// restart (40001), never a wrong answer, since the record decides once.
const (
	recoverEvery = time.Second
	recoverAge   = 5 * time.Second
)

// recoverAbandoned resolves, every recoverEvery until ctx ends, the
// parts prepared in partitions this node leads whose coordinators seem
// gone (dist.DB.Recover).
func (ks *keyspace) recoverAbandoned(ctx context.Context, db *dist.DB, logger *slog.Logger) {
	t := time.NewTicker(recoverEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for p, s := range ks.stores {
			if s == nil || !ks.leading(uint32(p)) {
				continue
			}
			if err := db.Recover(ctx, s, recoverAge); err != nil && ctx.Err() == nil {
				logger.Warn("server: resolving abandoned transactions", "partition", p, "err", err)
			}
		}
	}
}
