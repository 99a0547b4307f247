package kv

import "fmt"

// recover brings badger up to date with the WAL at Open: every complete
// commit after the applied marker is applied again at its own
// timestamp. Applying is idempotent (the same versions at the same
// timestamps), so it does not matter how much of a commit reached badger
// before the crash. Commits are applied in log order, which is timestamp
// order, so a range delete reads exactly the state it saw when it first
// ran. An incomplete commit at the tail (its last chunk never reached
// the disk) was never acknowledged and is cut off.
func (s *LocalStore) recover() error {
	applied, err := s.appliedMarker()
	if err != nil {
		return err
	}
	s.lastCheckpoint = applied
	log := s.wal.log
	first, err := log.FirstIndex()
	if err != nil {
		return fmt.Errorf("kv: reading WAL bounds: %w", err)
	}
	last, err := log.LastIndex()
	if err != nil {
		return fmt.Errorf("kv: reading WAL bounds: %w", err)
	}

	visible := applied
	var (
		cur        *writeBuffer // the commit being reassembled (nil if already applied)
		inCommit   bool         // a commit's first chunk was seen but not its last
		curTS      Timestamp
		lastGood   = first - 1 // index of the last chunk of the last complete commit
		badAt      uint64      // first entry that fails its checksum, 0 if none
		replayed   int
		marks      []walMark
		totalBytes int64
	)
	for idx := first; idx <= last; idx++ {
		data, err := log.Read(idx)
		if err != nil {
			return fmt.Errorf("kv: reading WAL entry %d: %w", idx, err)
		}
		ts, final, body, err := decodeChunkHeader(data)
		if badAt != 0 {
			if err == nil {
				return fmt.Errorf("kv: WAL entry %d is damaged but entry %d after it is valid; refusing to drop acknowledged commits", badAt, idx)
			}
			continue
		}
		if err != nil {
			badAt = idx
			continue
		}
		if inCommit && ts != curTS {
			// A commit's chunks are contiguous: the writer never starts a
			// commit before finishing the previous one.
			return fmt.Errorf("kv: WAL entry %d starts commit %d inside unfinished commit %d", idx, ts, curTS)
		}
		inCommit, curTS = true, ts
		totalBytes += int64(len(data))
		if ts > applied {
			if cur == nil {
				cur = newWriteBuffer()
			}
			if err := decodeOps(body, cur); err != nil {
				return fmt.Errorf("kv: WAL entry %d: %w", idx, err)
			}
		}
		if !final {
			continue
		}
		if cur != nil {
			if err := s.apply(ts, cur); err != nil {
				return fmt.Errorf("kv: replaying commit %d: %w", ts, err)
			}
			visible = max(visible, ts)
			replayed++
		}
		cur, inCommit = nil, false
		lastGood = idx
		marks = append(marks, walMark{ts: ts, index: idx})
	}
	if lastGood < last {
		s.logger.Warn("kv: dropping incomplete commit at the WAL tail (never acknowledged)",
			"first_dropped", lastGood+1, "last", last, "damaged_at", badAt)
		if err := log.TruncateBack(lastGood); err != nil {
			return fmt.Errorf("kv: cutting incomplete WAL tail after %d: %w", lastGood, err)
		}
	}
	s.wal.next = lastGood + 1
	s.wal.marks = marks
	s.wal.written = totalBytes

	s.clock.Update(max(visible, Timestamp(s.db.MaxVersion())))
	s.wm.visible = visible
	if replayed > 0 {
		s.logger.Info("kv: replayed WAL", "commits", replayed, "applied_marker", applied, "visible", visible)
	}
	return nil
}
