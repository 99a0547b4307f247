package heartbeat

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestRowRoundTrip(t *testing.T) {
	in := Row{
		NodeID:      7,
		Address:     "10.0.0.7:7400",
		SQLAddress:  "10.0.0.7:5433",
		StartedAt:   time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
		HeartbeatAt: time.Date(2025, 1, 2, 3, 4, 9, 123456789, time.UTC),
		State:       StateActive, // not stored
		Version:     "0.1.0",
	}
	out, err := decodeRow(Key(7), encodeRow(in))
	if err != nil {
		t.Fatal(err)
	}
	in.State = ""
	if !out.StartedAt.Equal(in.StartedAt) || !out.HeartbeatAt.Equal(in.HeartbeatAt) {
		t.Fatalf("times changed: %+v", out)
	}
	out.StartedAt, out.HeartbeatAt = in.StartedAt, in.HeartbeatAt
	if out != in {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestKeyOrder(t *testing.T) {
	// Big-endian ids make a scan return rows in node id order.
	if !bytes.HasPrefix(Key(1), keyPrefix) || bytes.Compare(Key(2), Key(256)) >= 0 {
		t.Fatalf("keys not ordered by node id: %x %x", Key(2), Key(256))
	}
}

func TestDecodeRowRejects(t *testing.T) {
	good := encodeRow(Row{NodeID: 3})
	for _, tc := range []struct {
		name       string
		key, value []byte
	}{
		{"short key", keyPrefix, good},
		{"not json", Key(3), []byte("{")},
		{"other encoding version", Key(3), []byte(`{"v":2,"node_id":3}`)},
		{"id mismatch", Key(4), good},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeRow(tc.key, tc.value); !errors.Is(err, ErrBadRow) {
				t.Fatalf("decodeRow = %v, want ErrBadRow", err)
			}
		})
	}
}
