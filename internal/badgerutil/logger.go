package badgerutil

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Logger sends badger's log lines to slog one level lower than badger
// rates them: its INFO lines are routine compaction chatter.
type Logger struct{ L *slog.Logger }

func (b Logger) log(level slog.Level, format string, args ...any) {
	if !b.L.Enabled(context.Background(), level) {
		return
	}
	b.L.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (b Logger) Errorf(f string, a ...any)   { b.log(slog.LevelError, f, a...) }
func (b Logger) Warningf(f string, a ...any) { b.log(slog.LevelWarn, f, a...) }
func (b Logger) Infof(f string, a ...any)    { b.log(slog.LevelDebug, f, a...) }
func (b Logger) Debugf(f string, a ...any)   { b.log(slog.LevelDebug-4, f, a...) }
