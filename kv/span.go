package kv

import (
	"bytes"
	"sort"
)

// span is the key range [start, end); a nil end means no upper bound.
type span struct {
	start, end []byte
}

// contains reports whether k lies in s.
func (s span) contains(k []byte) bool {
	return bytes.Compare(k, s.start) >= 0 && (s.end == nil || bytes.Compare(k, s.end) < 0)
}

// overlaps reports whether s and o share a key.
func (s span) overlaps(o span) bool {
	return (o.end == nil || bytes.Compare(s.start, o.end) < 0) &&
		(s.end == nil || bytes.Compare(o.start, s.end) < 0)
}

// endAfter reports whether end a lies after end b (nil is +infinity).
func endAfter(a, b []byte) bool {
	switch {
	case a == nil:
		return b != nil
	case b == nil:
		return false
	}
	return bytes.Compare(a, b) > 0
}

// normalizeSpans sorts spans by start and merges the ones that overlap
// or touch, so lookups can binary-search them. It reuses the slice.
func normalizeSpans(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sort.Slice(spans, func(i, j int) bool { return bytes.Compare(spans[i].start, spans[j].start) < 0 })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if last.end == nil || bytes.Compare(s.start, last.end) <= 0 {
			if endAfter(s.end, last.end) {
				last.end = s.end
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// spanIndex returns the index of the span of normalized spans that
// contains k, or -1.
func spanIndex(spans []span, k []byte) int {
	// First span whose start is > k; the candidate is the one before.
	i := sort.Search(len(spans), func(i int) bool { return bytes.Compare(spans[i].start, k) > 0 })
	if i > 0 && spans[i-1].contains(k) {
		return i - 1
	}
	return -1
}

// spansHitKeys reports whether any of sorted keys lies in any of spans.
func spansHitKeys(spans []span, keys [][]byte) bool {
	if len(keys) == 0 {
		return false
	}
	for _, s := range spans {
		i := sort.Search(len(keys), func(i int) bool { return bytes.Compare(keys[i], s.start) >= 0 })
		if i < len(keys) && s.contains(keys[i]) {
			return true
		}
	}
	return false
}

// spansOverlap reports whether any span of a overlaps any span of b.
func spansOverlap(a, b []span) bool {
	for _, x := range a {
		for _, y := range b {
			if x.overlaps(y) {
				return true
			}
		}
	}
	return false
}

// sortedKeysIntersect reports whether sorted, deduplicated a and b share
// a key. It walks the shorter and binary-searches the longer, because
// the usual case is a small transaction against a small commit, and the
// rare big one (a bulk load) should cost its size only once.
func sortedKeysIntersect(a, b [][]byte) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, k := range a {
		i := sort.Search(len(b), func(i int) bool { return bytes.Compare(b[i], k) >= 0 })
		if i < len(b) && bytes.Equal(b[i], k) {
			return true
		}
	}
	return false
}

// sortedKeysContain reports whether sorted keys contains k.
func sortedKeysContain(keys [][]byte, k []byte) bool {
	i := sort.Search(len(keys), func(i int) bool { return bytes.Compare(keys[i], k) >= 0 })
	return i < len(keys) && bytes.Equal(keys[i], k)
}

// sortDedupKeys sorts keys and removes duplicates in place.
func sortDedupKeys(keys [][]byte) [][]byte {
	if len(keys) < 2 {
		return keys
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
	out := keys[:1]
	for _, k := range keys[1:] {
		if !bytes.Equal(k, out[len(out)-1]) {
			out = append(out, k)
		}
	}
	return out
}
