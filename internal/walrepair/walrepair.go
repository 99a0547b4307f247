package walrepair

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// CutTornTail truncates the last segment of the tidwall/wal log in dir
// after its last complete entry and syncs it, returning the bytes cut.
// tidwall/wal frames each entry in its binary format as a uvarint length
// then the data, and refuses to open a log whose last segment ends
// inside an entry; such an entry was being written when the process
// died, so it was never synced and never acknowledged.
func CutTornTail(dir string) (int64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var segs []string
	for _, e := range ents {
		name := e.Name()
		if len(name) != 20 || e.IsDir() {
			continue
		}
		if _, err := strconv.ParseUint(name, 10, 64); err == nil {
			segs = append(segs, name)
		}
	}
	if len(segs) == 0 {
		return 0, fmt.Errorf("walrepair: no segment in %s", dir)
	}
	sort.Strings(segs)
	f, err := os.OpenFile(filepath.Join(dir, segs[len(segs)-1]), os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	good, err := completeEntries(bufio.NewReader(f))
	if err != nil {
		return 0, err
	}
	if err := f.Truncate(good); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return size - good, nil
}

// completeEntries returns the length of the prefix of r made of whole
// entries.
func completeEntries(r *bufio.Reader) (int64, error) {
	var good int64
	for {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return good, nil
			}
			return 0, err
		}
		skipped, err := r.Discard(int(min(n, 1<<62)))
		if uint64(skipped) < n {
			if err == nil || errors.Is(err, io.EOF) {
				return good, nil
			}
			return 0, err
		}
		var lenBuf [binary.MaxVarintLen64]byte
		good += int64(binary.PutUvarint(lenBuf[:], n)) + int64(n)
	}
}
