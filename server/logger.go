package server

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// NewLogger returns the logger lc describes, writing to w: one line per
// event, text (logfmt) or JSON.
func NewLogger(w io.Writer, lc LogConfig) (*slog.Logger, error) {
	lc = Config{Log: lc}.withDefaults().Log
	level, err := parseLevel(lc.Level)
	if err != nil {
		return nil, settingErr("log.level", "%q is not one of debug, info, warn, error", lc.Level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch lc.Format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, settingErr("log.format", "%q is not one of text, json", lc.Format)
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown level %q", s)
}
