package pgwire

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
)

// Query cancellation. Every session gets a BackendKeyData: a process id
// unique on this server, with this node's id in its high bits, and a
// random secret. A CancelRequest arrives on a connection of its own with
// both; when they match a session of this server, its running statement's
// context is canceled (the session answers 57014) and the session goes
// on. A request with an unknown key is ignored. Either way the cancel
// connection is closed without an answer, as in PostgreSQL.
//
// A request for another node's session (NodeOfPID(pid) != NodeID) cannot
// be forwarded yet: it is logged and ignored.

// pidNodeShift is the position of the node id in a process id: the low
// 20 bits count connections, bits 20..30 hold the node id (0..2047) and
// the sign bit stays clear, since clients read the pid as int32.
const pidNodeShift = 20

const pidSeqMask = 1<<pidNodeShift - 1

// NodeOfPID returns the node id encoded in a BackendKeyData process id.
func NodeOfPID(pid uint32) int {
	return int(pid >> pidNodeShift)
}

// newKey sets c.pid to a process id not in use on this server and
// c.secret to a random secret, and registers c as the target of cancel
// requests with them. Both fields are written under s.mu and never again.
func (s *Server) newKey(c *conn) {
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)

	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.pidSeq = (s.pidSeq + 1) & pidSeqMask
		if s.pidSeq == 0 {
			continue
		}
		pid := uint32(s.cfg.NodeID)<<pidNodeShift | s.pidSeq
		if _, used := s.sessions[pid]; !used {
			c.pid, c.secret = pid, binary.BigEndian.Uint32(b[:])
			s.sessions[pid] = c
			return
		}
	}
}

// cancelRequest handles a CancelRequest.
func (s *Server) cancelRequest(pid, secret uint32) {
	if node := NodeOfPID(pid); node != s.cfg.NodeID {
		s.log.Info("pgwire: ignoring cancel request for another node", "pid", pid, "target_node", node)
		return
	}
	s.mu.Lock()
	c := s.sessions[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeEq(int32(c.secret), int32(secret)) != 1 {
		s.log.Info("pgwire: ignoring cancel request with an unknown key", "pid", pid)
		return
	}
	canceled := c.cancelStatement()
	s.log.Debug("pgwire: cancel request", "pid", pid, "canceled", canceled)
}
