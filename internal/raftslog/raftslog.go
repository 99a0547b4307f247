package raftslog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
)

// Logger implements raft.Logger on a slog.Logger. raft's Info is chatty
// (every election step), so it goes to Debug; Fatal exits as raft
// expects, Panic panics.
type Logger struct{ L *slog.Logger }

func (r *Logger) log(level slog.Level, msg string) {
	r.L.Log(context.Background(), level, "raft: "+msg)
}

func (r *Logger) Debug(v ...any)                   { r.log(slog.LevelDebug, fmt.Sprint(v...)) }
func (r *Logger) Debugf(format string, v ...any)   { r.log(slog.LevelDebug, fmt.Sprintf(format, v...)) }
func (r *Logger) Info(v ...any)                    { r.log(slog.LevelDebug, fmt.Sprint(v...)) }
func (r *Logger) Infof(format string, v ...any)    { r.log(slog.LevelDebug, fmt.Sprintf(format, v...)) }
func (r *Logger) Warning(v ...any)                 { r.log(slog.LevelWarn, fmt.Sprint(v...)) }
func (r *Logger) Warningf(format string, v ...any) { r.log(slog.LevelWarn, fmt.Sprintf(format, v...)) }
func (r *Logger) Error(v ...any)                   { r.log(slog.LevelError, fmt.Sprint(v...)) }
func (r *Logger) Errorf(format string, v ...any)   { r.log(slog.LevelError, fmt.Sprintf(format, v...)) }
func (r *Logger) Fatal(v ...any)                   { r.log(slog.LevelError, fmt.Sprint(v...)); os.Exit(1) }
func (r *Logger) Fatalf(format string, v ...any) {
	r.log(slog.LevelError, fmt.Sprintf(format, v...))
	os.Exit(1)
}
func (r *Logger) Panic(v ...any)                 { panic("raft: " + fmt.Sprint(v...)) }
func (r *Logger) Panicf(format string, v ...any) { panic("raft: " + fmt.Sprintf(format, v...)) }
