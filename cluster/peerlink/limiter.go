package peerlink

import (
	"sync"
	"time"
)

// LogEvery is how often LogLimiter lets one message through.
const LogEvery = 10 * time.Second

// LogLimiter lets a given message through once per LogEvery, so a peer
// that stays unreachable is logged every ten seconds, not at every
// attempt. The zero value is ready to use.
type LogLimiter struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// Allow says whether the message keyed key may be logged now.
func (l *LogLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.last == nil {
		l.last = make(map[string]time.Time)
	}
	if t, ok := l.last[key]; ok && now.Sub(t) < LogEvery {
		return false
	}
	if len(l.last) > 1000 { // bound the memory of distinct messages
		clear(l.last)
	}
	l.last[key] = now
	return true
}
