package walrepair

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tidwall/wal"
)

func TestCutTornTail(t *testing.T) {
	dir := t.TempDir()
	l, err := wal.Open(dir, &wal.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 3; i++ {
		if err := l.Write(i, bytes.Repeat([]byte{byte(i)}, 300)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "00000000000000000001")
	f, err := os.OpenFile(seg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A torn fourth entry: its length says 300, 10 bytes follow.
	if _, err := f.Write(append([]byte{0xac, 0x02}, make([]byte, 10)...)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := wal.Open(dir, nil); err == nil {
		t.Fatal("wal.Open accepted a torn tail; the test does not test anything")
	}
	cut, err := CutTornTail(dir)
	if err != nil || cut != 12 {
		t.Fatalf("CutTornTail = %d, %v; want 12 bytes cut", cut, err)
	}
	l, err = wal.Open(dir, nil)
	if err != nil {
		t.Fatalf("after the repair: %v", err)
	}
	defer l.Close()
	last, _ := l.LastIndex()
	data, err := l.Read(3)
	if last != 3 || err != nil || !bytes.Equal(data, bytes.Repeat([]byte{3}, 300)) {
		t.Fatalf("after the repair: last %d, entry 3 %v", last, err)
	}
}
