package raftgroup

import (
	"context"
	"fmt"
	"log/slog"
	"os"
)

// raftLogger routes the raft library's logging to slog. Raft's Info is
// chatty (every election step), so it goes to Debug.
type raftLogger struct{ l *slog.Logger }

func (r *raftLogger) log(level slog.Level, msg string) {
	r.l.Log(context.Background(), level, "raft: "+msg)
}

func (r *raftLogger) Debug(v ...any) { r.log(slog.LevelDebug, fmt.Sprint(v...)) }
func (r *raftLogger) Debugf(format string, v ...any) {
	r.log(slog.LevelDebug, fmt.Sprintf(format, v...))
}
func (r *raftLogger) Info(v ...any) { r.log(slog.LevelDebug, fmt.Sprint(v...)) }
func (r *raftLogger) Infof(format string, v ...any) {
	r.log(slog.LevelDebug, fmt.Sprintf(format, v...))
}
func (r *raftLogger) Warning(v ...any) { r.log(slog.LevelWarn, fmt.Sprint(v...)) }
func (r *raftLogger) Warningf(format string, v ...any) {
	r.log(slog.LevelWarn, fmt.Sprintf(format, v...))
}
func (r *raftLogger) Error(v ...any) { r.log(slog.LevelError, fmt.Sprint(v...)) }
func (r *raftLogger) Errorf(format string, v ...any) {
	r.log(slog.LevelError, fmt.Sprintf(format, v...))
}

// Fatal is called by raft on a broken invariant; it must not return.
func (r *raftLogger) Fatal(v ...any) { r.log(slog.LevelError, fmt.Sprint(v...)); os.Exit(1) }
func (r *raftLogger) Fatalf(format string, v ...any) {
	r.log(slog.LevelError, fmt.Sprintf(format, v...))
	os.Exit(1)
}
func (r *raftLogger) Panic(v ...any) { panic("raft: " + fmt.Sprint(v...)) }
func (r *raftLogger) Panicf(format string, v ...any) {
	panic("raft: " + fmt.Sprintf(format, v...))
}
