package rowenc

import (
	"errors"
	"fmt"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

var (
	// ErrCorrupt is the cause of every decoding failure: the bytes are
	// not an encoding this package produced.
	ErrCorrupt = errors.New("rowenc: corrupt encoding")
)

// corrupt wraps ErrCorrupt with what was being decoded, as XX001.
func corrupt(format string, args ...any) error {
	err := fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	return pgerror.Wrap(err, pgerror.DataCorrupted, "")
}
