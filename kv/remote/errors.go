package remote

import (
	"context"
	"errors"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// sentinels maps each wire code to the error errors.Is must find on the
// client. Order matters when encoding: an error wrapping several
// sentinels is sent with the first one listed.
var sentinels = []struct {
	code kvpb.ErrorCode
	err  error
}{
	{kvpb.ErrorCode_ERROR_CONFLICT, kv.ErrConflict},
	{kvpb.ErrorCode_ERROR_DEADLOCK, kv.ErrDeadlock},
	{kvpb.ErrorCode_ERROR_KEY_EXISTS, kv.ErrKeyExists},
	{kvpb.ErrorCode_ERROR_TXN_DONE, kv.ErrTxnDone},
	{kvpb.ErrorCode_ERROR_TXN_TOO_LARGE, kv.ErrTxnTooLarge},
	{kvpb.ErrorCode_ERROR_READ_ONLY, kv.ErrReadOnly},
	{kvpb.ErrorCode_ERROR_COMMIT_UNKNOWN, kv.ErrCommitUnknown},
	{kvpb.ErrorCode_ERROR_DISK_FULL, kv.ErrDiskFull},
	{kvpb.ErrorCode_ERROR_UNAVAILABLE, kv.ErrUnavailable},
	{kvpb.ErrorCode_ERROR_CLOSED, kv.ErrClosed},
	{kvpb.ErrorCode_ERROR_NOT_LEADER, kv.ErrNotLeader},
	{kvpb.ErrorCode_ERROR_BUSY, kv.ErrBusy},
	{kvpb.ErrorCode_ERROR_CANCELED, context.Canceled},
	{kvpb.ErrorCode_ERROR_DEADLINE_EXCEEDED, context.DeadlineExceeded},
}

// encodeError fills e with err (nil: no error).
func encodeError(err error) *kvpb.Error {
	e := &kvpb.Error{Code: kvpb.ErrorCode_ERROR_OTHER, Message: err.Error()}
	var refresh *kv.RefreshNeededError
	if errors.As(err, &refresh) {
		e.Code, e.RefreshTo = kvpb.ErrorCode_ERROR_REFRESH_NEEDED, uint64(refresh.To)
		return e
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			e.Code = s.code
			break
		}
	}
	var nle *kv.NotLeaderError
	if errors.As(err, &nle) {
		e.Leader = nle.Leader
	}
	return e
}

// remoteError is a server-side error on the client: its text as the
// server wrote it, wrapping the sentinel its code names.
type remoteError struct {
	msg      string
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// decodeError turns a wire error back into an error for which errors.Is
// and errors.As (*kv.NotLeaderError) answer as they did on the server.
// The sentinel itself is returned when the text is just its own, so that
// even == comparisons hold.
func decodeError(e *kvpb.Error) error {
	if e == nil || e.Code == kvpb.ErrorCode_ERROR_NONE {
		return nil
	}
	if e.Code == kvpb.ErrorCode_ERROR_REFRESH_NEEDED {
		return &kv.RefreshNeededError{To: kv.Timestamp(e.RefreshTo)}
	}
	if e.Code == kvpb.ErrorCode_ERROR_NOT_LEADER && e.Leader != "" {
		return &kv.NotLeaderError{Leader: e.Leader}
	}
	for _, s := range sentinels {
		if s.code == e.Code {
			if e.Message == s.err.Error() {
				return s.err
			}
			return &remoteError{msg: e.Message, sentinel: s.err}
		}
	}
	return errors.New(e.Message)
}

// unavailable is the error of an operation the transport failed before
// its result was known (the stream broke, the node went away).
func unavailable(addr string, err error) error {
	return fmt.Errorf("%w: kv transaction on %s lost: %v", kv.ErrUnavailable, addr, err)
}

// commitUnknown is Commit's error when the stream broke while the commit
// was outstanding: it may have been applied.
func commitUnknown(addr string, err error) error {
	return fmt.Errorf("%w: connection to %s lost during commit: %v", kv.ErrCommitUnknown, addr, err)
}
