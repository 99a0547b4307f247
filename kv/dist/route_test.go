package dist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// fixedColumn is a skipper for a first key column of n bytes (an int
// key column is a marker and 8 bytes); stringColumn for one ending with
// 0x00 0x01, as the SQL layer's string encoding does.
func fixedColumn(n int) ColumnSkipper {
	return func(rest []byte) (int, error) {
		if len(rest) < n {
			return 0, errors.New("short")
		}
		return n, nil
	}
}

func stringColumn(rest []byte) (int, error) {
	if i := bytes.Index(rest, []byte{0, 1}); i >= 0 {
		return i + 2, nil
	}
	return 0, errors.New("unterminated")
}

func intKey(table, index uint32, vals ...uint64) []byte {
	k := kv.IndexPrefix(table, index)
	for _, v := range vals {
		k = append(k, 0x10)
		k = binary.BigEndian.AppendUint64(k, v)
	}
	return k
}

func strKey(table, index uint32, s string, pk uint64) []byte {
	k := kv.IndexPrefix(table, index)
	k = append(append(append(k, 0x10), s...), 0, 1)
	k = append(k, 0x10)
	return binary.BigEndian.AppendUint64(k, pk)
}

// TestKeyPlacement: system keys go to partition 0; a table key goes by
// its table, index and first key column, so that lookups by a full key
// reach one partition; rows spread over all data partitions; a key of an
// index nobody registered is refused.
func TestKeyPlacement(t *testing.T) {
	routes := NewRoutes()
	kp := &KeyPlacement{Data: 16, Routes: routes}
	routes.Register(7, 1, fixedColumn(9)) // primary key (a int, b int)
	routes.Register(7, 2, stringColumn)   // non-unique index on a text column
	routes.Register(8, 1, fixedColumn(9)) // another table

	if p, err := kp.Of(kv.SystemKey([]byte("desc/1"))); err != nil || p != SystemPartition {
		t.Fatalf("system key: partition %d, %v", p, err)
	}
	if got := kp.Spanning(kv.SystemKey([]byte("ns/")), kv.PrefixEnd(kv.SystemKey([]byte("ns/")))); !slices.Equal(got, []uint32{0}) {
		t.Fatalf("a system range spans %v, want [0]", got)
	}

	// Rows of a composite key with the same first column share a
	// partition; a prefix scan by that column reaches only it.
	p1, err := kp.Of(intKey(7, 1, 42, 1))
	if err != nil {
		t.Fatal(err)
	}
	if p2, _ := kp.Of(intKey(7, 1, 42, 2)); p2 != p1 {
		t.Fatalf("rows (42,1) and (42,2) in partitions %d and %d", p1, p2)
	}
	prefix := intKey(7, 1, 42)
	if got := kp.Spanning(prefix, kv.PrefixEnd(prefix)); !slices.Equal(got, []uint32{p1}) {
		t.Fatalf("scan of a = 42 spans %v, want [%d]", got, p1)
	}
	// A secondary index entry (value, then the primary key) is found by
	// its value alone.
	entry, err := kp.Of(strKey(7, 2, "alice", 99))
	if err != nil {
		t.Fatal(err)
	}
	lookup := append(append(append(kv.IndexPrefix(7, 2), 0x10), "alice"...), 0, 1)
	if got := kp.Spanning(lookup, kv.PrefixEnd(lookup)); !slices.Equal(got, []uint32{entry}) {
		t.Fatalf("lookup of 'alice' spans %v, want [%d]", got, entry)
	}

	// Rows spread: 1000 primary keys use every data partition, never
	// the system one.
	used := map[uint32]int{}
	for i := range uint64(1000) {
		p, err := kp.Of(intKey(7, 1, i, 0))
		if err != nil {
			t.Fatal(err)
		}
		used[p]++
	}
	if len(used) != 16 || used[SystemPartition] != 0 {
		t.Fatalf("1000 rows used partitions %v, want all 16 data partitions", used)
	}
	for p, n := range used {
		if n < 1000/16/3 {
			t.Fatalf("partition %d holds %d of 1000 rows", p, n)
		}
	}

	// Ranges over an index, a table or everything.
	all := kp.span(1, 16)
	for _, r := range [][2][]byte{
		{intKey(7, 1, 1), intKey(7, 1, 5)},
		{kv.TablePrefix(7), kv.PrefixEnd(kv.TablePrefix(7))},
		{kv.TablePrefix(7), nil},
	} {
		if got := kp.Spanning(r[0], r[1]); !slices.Equal(got, all) {
			t.Fatalf("range %x..%x spans %v, want the data partitions", r[0], r[1], got)
		}
	}
	if got := kp.Spanning([]byte{0x01}, nil); len(got) != 17 {
		t.Fatalf("everything spans %d partitions, want 17", len(got))
	}

	if _, err := kp.Of(intKey(9, 1, 1)); err == nil {
		t.Fatal("a key of an unregistered index was placed")
	}
	if _, err := kp.Of(kv.IndexPrefix(7, 1)[:5]); err == nil {
		t.Fatal("a table key shorter than its header was placed")
	}
}
