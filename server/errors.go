package server

import (
	"errors"
	"fmt"
)

// Sentinel errors of the server package.
var (
	// ErrConfig is wrapped by every *ConfigError, for errors.Is.
	ErrConfig = errors.New("server: invalid configuration")
)

// ConfigError is an invalid or unknown setting. Its text is
// "[file:line: ]setting: message", e.g.
// `quorumdb.yaml:4: heartbeat.interval: invalid duration "x"`.
type ConfigError struct {
	// File is the configuration file, "" when the Config was built in Go.
	File string
	// Line is the 1-based line of the setting in File, 0 when unknown.
	Line int
	// Setting is the dotted key, e.g. "heartbeat.interval" or
	// "cluster.nodes[2]"; "" for an error of the file as a whole (not
	// YAML, not a mapping).
	Setting string
	// Msg says what is wrong.
	Msg string
}

func (e *ConfigError) Error() string {
	var loc string
	switch {
	case e.File != "" && e.Line > 0:
		loc = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		loc = e.File + ": "
	case e.Line > 0:
		loc = fmt.Sprintf("line %d: ", e.Line)
	}
	if e.Setting == "" {
		return loc + e.Msg
	}
	return loc + e.Setting + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrConfig) hold.
func (e *ConfigError) Unwrap() error { return ErrConfig }

// settingErr returns a *ConfigError for setting with a formatted message.
func settingErr(setting, format string, args ...any) *ConfigError {
	return &ConfigError{Setting: setting, Msg: fmt.Sprintf(format, args...)}
}
