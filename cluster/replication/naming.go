package replication

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Queue directories are named queue_<peer-node-id>_<n>_<hash>, where hash
// is PeerHash(peer). The hash makes names of different peers differ in
// more than a digit (easier to grep, harder to mistype when cleaning up by
// hand) and lets a tool check that a directory belongs to the id it says.

const queuePrefix = "queue_"

// PeerHash is the first 8 hex characters of the SHA-256 of the peer id
// written in decimal: PeerHash(2) = sha256("2")[:4] in hex. It is stable
// across versions and platforms.
func PeerHash(peer int) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(peer)))
	return hex.EncodeToString(sum[:4])
}

// QueueName is the directory name of the n-th queue towards peer.
func QueueName(peer, n int) string {
	return fmt.Sprintf("%s%d_%d_%s", queuePrefix, peer, n, PeerHash(peer))
}

// parseQueueName is the inverse of QueueName; ok is false for any other
// name, including one whose hash does not match its peer id.
func parseQueueName(name string) (peer, n int, ok bool) {
	rest, found := strings.CutPrefix(name, queuePrefix)
	if !found {
		return 0, 0, false
	}
	parts := strings.Split(rest, "_")
	if len(parts) != 3 {
		return 0, 0, false
	}
	peer, err1 := strconv.Atoi(parts[0])
	n, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || peer <= 0 || n < 0 || parts[2] != PeerHash(peer) {
		return 0, 0, false
	}
	return peer, n, true
}

// QueueIndex is the queue of a session among n: a 64-bit finalizer
// (splitmix64) of the session id, modulo n. Consecutive session ids spread
// evenly; the same session always maps to the same queue for a given n,
// which keeps one session's events in order.
func QueueIndex(sessionID uint64, n int) int {
	x := sessionID + 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	x ^= x >> 31
	return int(x % uint64(n))
}
