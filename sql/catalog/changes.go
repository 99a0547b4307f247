package catalog

// Event is one catalog object a committed transaction changed:
// a descriptor (Kind EventKindDescriptor: ID, Version, Dropped) or a role or
// database (KindRole, KindDatabase: Name), whose cached login data the
// peers must drop.
type Event struct {
	Kind string
	// ID is the descriptor's id (the table's, sequence's or view's oid).
	ID uint32
	// Version is the descriptor's version after the change; for a dropped
	// descriptor, one more than its last stored version.
	Version uint64
	// Dropped is set when the transaction deleted the descriptor.
	Dropped bool
	// Name is the role's or database's name.
	Name string
}

// Changes collects the Events of one transaction, one per
// descriptor (the newest version wins). The zero value is empty; a nil
// *Changes records nothing (catalogs outside sessions).
type Changes struct {
	events []Event
}

// Record notes that descriptor id changed to version (or was dropped),
// for the invalidation events sent after commit.
func (c *Changes) Record(id uint32, version uint64, dropped bool) {
	if c == nil {
		return
	}
	for i := range c.events {
		if e := &c.events[i]; e.Kind == EventKindDescriptor && e.ID == id {
			e.Version = max(e.Version, version)
			e.Dropped = dropped
			return
		}
	}
	c.events = append(c.events, Event{Kind: EventKindDescriptor, ID: id, Version: version, Dropped: dropped})
}

// RecordName records a change of the role or database (kind) name.
func (c *Changes) RecordName(kind, name string) {
	if c == nil {
		return
	}
	for _, e := range c.events {
		if e.Kind == kind && e.Name == name {
			return
		}
	}
	c.events = append(c.events, Event{Kind: kind, Name: name})
}

// Reset forgets the changes of a previous transaction (rolled back or
// already reported); called whenever a session begins a transaction.
func (c *Changes) Reset() { c.events = c.events[:0] }

// Take returns the recorded changes and empties c.
func (c *Changes) Take() []Event {
	if len(c.events) == 0 {
		return nil
	}
	out := c.events
	c.events = nil
	return out
}

// EventKindDescriptor is the replication event kind of a table, sequence or
// view descriptor change: Key is the descriptor id in decimal, Version its
// version after the change.
const EventKindDescriptor = "descriptor"
