package kv

import (
	"bytes"
	"fmt"
	"testing"
)

func TestWALRecordRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fill   func(w *writeBuffer)
		chunks int
	}{
		{"one put", func(w *writeBuffer) { w.set([]byte("a"), []byte("1"), false, false) }, 1},
		{"put delete ranges", func(w *writeBuffer) {
			w.deleteRange([]byte("m"), []byte("p"))
			w.deleteRange([]byte("x"), nil)
			w.set([]byte("a"), []byte{}, false, false)
			w.set([]byte("b"), nil, true, false)
			w.set([]byte("n"), []byte("inside range"), false, false)
		}, 1},
		{"many chunks", func(w *writeBuffer) {
			for i := 0; i < 30000; i++ {
				w.set(fmt.Appendf(nil, "k%06d", i), bytes.Repeat([]byte{'v'}, 100), false, false)
			}
		}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := newWriteBuffer()
			tc.fill(in)
			out := newWriteBuffer()
			var chunks int
			var sawLast bool
			err := encodeCommit(1234, in, func(c []byte) error {
				chunks++
				ts, last, body, err := decodeChunkHeader(bytes.Clone(c))
				if err != nil || ts != 1234 || sawLast {
					return fmt.Errorf("chunk %d: ts=%d err=%v after last=%v", chunks, ts, err, sawLast)
				}
				sawLast = last
				return decodeOps(body, out)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !sawLast || chunks != tc.chunks {
				t.Fatalf("chunks=%d last=%v, want %d", chunks, sawLast, tc.chunks)
			}
			if dump(in) != dump(out) {
				t.Fatalf("round trip differs:\n in  %s\n out %s", dump(in), dump(out))
			}
		})
	}

	// A flipped bit anywhere is caught.
	w := newWriteBuffer()
	w.set([]byte("key"), []byte("value"), false, false)
	_ = encodeCommit(9, w, func(c []byte) error {
		for i := range c {
			bad := bytes.Clone(c)
			bad[i] ^= 0x10
			if _, _, _, err := decodeChunkHeader(bad); err == nil {
				t.Errorf("corruption at byte %d not detected", i)
			}
		}
		return nil
	})
}

func dump(w *writeBuffer) string {
	var b bytes.Buffer
	for _, r := range w.ranges {
		fmt.Fprintf(&b, "range[%s,%s) ", r.start, r.end)
	}
	if len(w.ranges) > 0 || w.len() < 10 {
		w.tree.Ascend(func(e *bufEntry) bool {
			fmt.Fprintf(&b, "%s=%q/%v ", e.key, e.value, e.del)
			return true
		})
	}
	fmt.Fprintf(&b, "n=%d bytes=%d", w.len(), w.bytes)
	return b.String()
}
