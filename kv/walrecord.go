package kv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// WAL record format. A commit is written as one or more WAL entries
// (chunks) so that a bulk load does not need one huge contiguous buffer;
// only a commit whose last chunk is on disk is replayed.
//
//	[0]     format version (walFormat)
//	[1:9]   commit timestamp, big endian
//	[9]     flags: walLastChunk on the commit's final chunk
//	[10:14] CRC-32C of bytes [0:10] followed by the body
//	[14:]   body: operations, each an op byte then uvarint-prefixed bytes
//
// The CRC is ours because tidwall/wal frames entries by length only: a
// machine crash can leave a tail of zeros or stale blocks that frame
// correctly but hold garbage.
const (
	walFormat    = 1
	walHeaderLen = 14
	walLastChunk = 1

	opPut              = 1 // key, value
	opDelete           = 2 // key
	opDeleteRange      = 3 // start, end
	opDeleteRangeToEnd = 4 // start (no upper bound)

	// walChunkBytes is the body size at which a chunk is closed.
	walChunkBytes = 1 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errWALChecksum marks an entry that fails its checksum or framing.
var errWALChecksum = errors.New("kv: WAL entry checksum mismatch")

// Kinds of replicated log entries, in the format byte of the header
// (the WAL holds commits only). A prepare is chunked like a commit; its
// every chunk's body begins with the transaction's prepare header
// (prepareHeaderLen bytes). A transaction operation is one chunk whose
// body is a txnOp (participant.go).
const (
	entryPrepare = 2
	entryTxnOp   = 3
)

// encodeCommit encodes buf as the commit at ts and passes each chunk to
// emit in order. A chunk is only valid until emit returns.
func encodeCommit(ts Timestamp, buf *writeBuffer, emit func(chunk []byte) error) error {
	return encodeChunks(walFormat, ts, nil, buf, emit)
}

// encodeChunks encodes buf as entries of kind with ts in their header
// and head at the start of every chunk's body.
func encodeChunks(kind byte, ts Timestamp, head []byte, buf *writeBuffer, emit func(chunk []byte) error) error {
	// Sized for the commit (buf.bytes is an over-estimate of the encoded
	// ops), not for the largest chunk: zeroing 256 KiB per small commit
	// showed in profiles.
	chunk := make([]byte, walHeaderLen, walHeaderLen+len(head)+int(min(buf.bytes+64, walChunkBytes/4)))
	chunk = append(chunk, head...)
	flush := func(last bool) error {
		chunk[0] = kind
		binary.BigEndian.PutUint64(chunk[1:9], uint64(ts))
		chunk[9] = 0
		if last {
			chunk[9] = walLastChunk
		}
		crc := crc32.Update(crc32.Checksum(chunk[:10], crcTable), crcTable, chunk[walHeaderLen:])
		binary.BigEndian.PutUint32(chunk[10:14], crc)
		if err := emit(chunk); err != nil {
			return err
		}
		chunk = chunk[:walHeaderLen+len(head)]
		return nil
	}
	// Ranges first: replay rebuilds the buffer op by op, and a range
	// drops the point writes it covers.
	for _, r := range buf.ranges {
		if r.end == nil {
			chunk = appendOp(chunk, opDeleteRangeToEnd, r.start, nil)
		} else {
			chunk = appendOp(chunk, opDeleteRange, r.start, r.end)
		}
	}
	var err error
	buf.tree.Ascend(func(e *bufEntry) bool {
		if len(chunk)-walHeaderLen-len(head) >= walChunkBytes {
			if err = flush(false); err != nil {
				return false
			}
		}
		if e.del {
			chunk = appendOp(chunk, opDelete, e.key, nil)
		} else {
			chunk = appendOp(chunk, opPut, e.key, e.value)
		}
		return true
	})
	if err != nil {
		return err
	}
	return flush(true)
}

// appendBufOps appends buf's operations in one body, ranges first as in
// encodeChunks (a prepared part kept in the store's metadata).
func appendBufOps(dst []byte, buf *writeBuffer) []byte {
	for _, r := range buf.ranges {
		if r.end == nil {
			dst = appendOp(dst, opDeleteRangeToEnd, r.start, nil)
		} else {
			dst = appendOp(dst, opDeleteRange, r.start, r.end)
		}
	}
	buf.tree.Ascend(func(e *bufEntry) bool {
		if e.del {
			dst = appendOp(dst, opDelete, e.key, nil)
		} else {
			dst = appendOp(dst, opPut, e.key, e.value)
		}
		return true
	})
	return dst
}

func appendOp(dst []byte, op byte, a, b []byte) []byte {
	dst = append(dst, op)
	dst = binary.AppendUvarint(dst, uint64(len(a)))
	dst = append(dst, a...)
	if op == opPut || op == opDeleteRange {
		dst = binary.AppendUvarint(dst, uint64(len(b)))
		dst = append(dst, b...)
	}
	return dst
}

// decodeChunkHeader checks an entry's framing and checksum and returns
// its parts.
func decodeChunkHeader(data []byte) (ts Timestamp, last bool, body []byte, err error) {
	if len(data) < walHeaderLen || data[0] != walFormat {
		return 0, false, nil, errWALChecksum
	}
	_, ts, last, body, err = decodeEntryHeader(data)
	return ts, last, body, err
}

// decodeEntryHeader is decodeChunkHeader for a replicated log entry of
// any kind.
func decodeEntryHeader(data []byte) (kind byte, ts Timestamp, last bool, body []byte, err error) {
	if len(data) < walHeaderLen {
		return 0, 0, false, nil, errWALChecksum
	}
	switch data[0] {
	case walFormat, entryPrepare, entryTxnOp:
	default:
		return 0, 0, false, nil, errWALChecksum
	}
	crc := crc32.Update(crc32.Checksum(data[:10], crcTable), crcTable, data[walHeaderLen:])
	if crc != binary.BigEndian.Uint32(data[10:14]) {
		return 0, 0, false, nil, errWALChecksum
	}
	return data[0], Timestamp(binary.BigEndian.Uint64(data[1:9])), data[9]&walLastChunk != 0, data[walHeaderLen:], nil
}

// decodeOps replays a chunk body into buf. The body is copied, so the
// entry's memory may be reused.
func decodeOps(body []byte, buf *writeBuffer) error {
	body = append([]byte(nil), body...)
	next := func() ([]byte, error) {
		n, k := binary.Uvarint(body)
		if k <= 0 || uint64(len(body)-k) < n {
			return nil, fmt.Errorf("kv: WAL body truncated")
		}
		b := body[k : k+int(n) : k+int(n)]
		body = body[k+int(n):]
		return b, nil
	}
	for len(body) > 0 {
		op := body[0]
		body = body[1:]
		a, err := next()
		if err != nil {
			return err
		}
		switch op {
		case opPut:
			v, err := next()
			if err != nil {
				return err
			}
			buf.set(a, v, false, false)
		case opDelete:
			buf.set(a, nil, true, false)
		case opDeleteRange:
			end, err := next()
			if err != nil {
				return err
			}
			buf.deleteRange(a, end)
		case opDeleteRangeToEnd:
			buf.deleteRange(a, nil)
		default:
			return fmt.Errorf("kv: WAL body has unknown op %d", op)
		}
	}
	return nil
}
