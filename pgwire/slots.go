package pgwire

import "github.com/quorumdb/quorumdb/sql/pgerror"

// Connection slots, as PostgreSQL's max_connections and
// superuser_reserved_connections bound its backends: a client that
// finished its startup packet takes a slot before it is authenticated
// (so a flood of logins cannot grow the node without bound), and gives
// it back when its connection ends. When every slot is taken the answer
// is FATAL 53300 "sorry, too many clients already"; the last
// Config.ReservedConnections slots go only to superusers (sql decides,
// see sql.ConnParams.ReservedSlot), so an administrator can still log in
// to a node that clients have filled.
//
// Sockets that have not sent a startup packet yet are bounded too: past
// twice MaxConnections (PostgreSQL's postmaster allows that many
// children) a new socket is closed at once. Each is also bounded in time
// by the startup deadline.

// takeSlot claims a session slot for c. reserved reports that the slot
// is one of the superuser-only ones.
func (s *Server) takeSlot(c *conn) (reserved bool, refused *pgerror.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.slotsTaken >= s.cfg.MaxConnections {
		return false, fatalf(pgerror.TooManyConnections, "sorry, too many clients already")
	}
	s.slotsTaken++
	c.hasSlot = true
	return s.slotsTaken > s.cfg.MaxConnections-s.cfg.ReservedConnections, nil
}

// releaseSlot gives c's slot back, if it has one.
func (s *Server) releaseSlot(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.hasSlot {
		c.hasSlot = false
		s.slotsTaken--
	}
}

// SlotsTaken is the number of connections holding a session slot
// (authenticating or in a session).
func (s *Server) SlotsTaken() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.slotsTaken
}
