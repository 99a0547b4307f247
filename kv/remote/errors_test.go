package remote

import (
	"errors"
	"fmt"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// TestDiskFullCrossesTheWire: a leader refusing a commit for lack of
// space must be seen as ErrDiskFull (SQLSTATE 53100) by the node whose
// session asked, with the leader's figures in the text.
func TestDiskFullCrossesTheWire(t *testing.T) {
	err := fmt.Errorf("committing: %w", &kv.DiskFullError{Dir: "/data", Free: 1 << 20, Reserve: 256 << 20})
	got := decodeError(encodeError(err))
	if !errors.Is(got, kv.ErrDiskFull) {
		t.Fatalf("decoded %v (%T), want ErrDiskFull", got, got)
	}
	if got.Error() != err.Error() {
		t.Fatalf("decoded text %q, want %q", got, err)
	}
	if errors.Is(got, kv.ErrCommitUnknown) || errors.Is(got, kv.ErrUnavailable) {
		t.Fatalf("decoded %v also matches another sentinel", got)
	}
}

// TestBusyCrossesTheWire: a remote leader still applying earlier
// commits answers ErrBusy, which the coordinator must tell from a leader
// that is gone (ErrUnavailable, ErrNotLeader) to ask again rather than
// give up.
func TestBusyCrossesTheWire(t *testing.T) {
	got := decodeError(encodeError(kv.ErrBusy))
	if !errors.Is(got, kv.ErrBusy) || errors.Is(got, kv.ErrUnavailable) || errors.Is(got, kv.ErrNotLeader) {
		t.Fatalf("decoded %v, want ErrBusy alone", got)
	}
}
