package replication

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// mark is the receiver's persistent high-water mark for one sender queue
// (origin node, queue name): the incarnation of that queue last seen and
// the highest sequence number applied from it. It lives in
// localq/received/<origin>_<queue>.hwm as 20 bytes — incarnation and seq
// (little-endian uint64s) and a CRC-32 of both — rewritten in place and
// fsynced after every applied batch, before the batch is acknowledged.
// A 20-byte write within one sector is not torn in practice; the CRC
// catches it if it is, and an unreadable mark counts as unknown (accept
// everything: duplicates are harmless hints).
type mark struct {
	f           *os.File
	incarnation uint64 // 0: unknown
	seq         uint64
}

const markSize = 20

func markPath(dir string, origin int, queue string) string {
	return filepath.Join(dir, strconv.Itoa(origin)+"_"+queue+".hwm")
}

// openMark opens or creates the mark file of (origin, queue). The caller
// has validated queue with parseQueueName, so it is a safe file name.
func openMark(dir string, origin int, queue string) (*mark, error) {
	path := markPath(dir, origin, queue)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("replication: open mark %s: %w", path, err)
	}
	m := &mark{f: f}
	var buf [markSize]byte
	n, err := f.ReadAt(buf[:], 0)
	switch {
	case n == markSize:
		if crc32.ChecksumIEEE(buf[:16]) == binary.LittleEndian.Uint32(buf[16:]) {
			m.incarnation = binary.LittleEndian.Uint64(buf[0:])
			m.seq = binary.LittleEndian.Uint64(buf[8:])
		}
	case err != nil && !errors.Is(err, io.EOF):
		_ = f.Close()
		return nil, fmt.Errorf("replication: read mark %s: %w", path, err)
	}
	return m, nil
}

// save persists incarnation and seq.
func (m *mark) save() error {
	var buf [markSize]byte
	binary.LittleEndian.PutUint64(buf[0:], m.incarnation)
	binary.LittleEndian.PutUint64(buf[8:], m.seq)
	binary.LittleEndian.PutUint32(buf[16:], crc32.ChecksumIEEE(buf[:16]))
	if _, err := m.f.WriteAt(buf[:], 0); err != nil {
		return fmt.Errorf("replication: write mark %s: %w", m.f.Name(), err)
	}
	if err := m.f.Sync(); err != nil {
		return fmt.Errorf("replication: sync mark %s: %w", m.f.Name(), err)
	}
	return nil
}

func (m *mark) close() error { return m.f.Close() }
