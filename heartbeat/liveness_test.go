package heartbeat

import (
	"testing"
	"time"
)

func TestStateOf(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cfg := Config{Timeout: 5 * time.Second, OfflineAfter: time.Minute}
	for _, tc := range []struct {
		name string
		age  time.Duration
		cfg  Config
		want string
	}{
		{"just written", 0, cfg, StateActive},
		{"from the future", -3 * time.Second, cfg, StateActive},
		{"one interval old", time.Second, cfg, StateActive},
		{"just below timeout", 5*time.Second - time.Nanosecond, cfg, StateActive},
		{"at timeout", 5 * time.Second, cfg, StateNoHeartbeat},
		{"between", 30 * time.Second, cfg, StateNoHeartbeat},
		{"just below offline", time.Minute - time.Nanosecond, cfg, StateNoHeartbeat},
		{"at offline", time.Minute, cfg, StateOffline},
		{"long gone", 24 * time.Hour, cfg, StateOffline},
		{"defaults: 4s", 4 * time.Second, Config{}, StateActive},
		{"defaults: 6s", 6 * time.Second, Config{}, StateNoHeartbeat},
		{"defaults: 61s", 61 * time.Second, Config{}, StateOffline},
		{"never written", time.Duration(1<<63 - 1), Config{}, StateOffline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := StateOf(t0.Add(tc.age), t0, tc.cfg); got != tc.want {
				t.Errorf("StateOf(age %s) = %s, want %s", tc.age, got, tc.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"defaults", Config{}, false},
		{"custom", Config{Interval: 100 * time.Millisecond, Timeout: time.Second, OfflineAfter: 2 * time.Second}, false},
		{"negative interval", Config{Interval: -time.Second}, true},
		{"timeout equals interval", Config{Interval: 5 * time.Second}, true},
		{"offline below timeout", Config{Timeout: 10 * time.Second, OfflineAfter: 9 * time.Second}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.WithDefaults().Validate()
			if (err != nil) != tc.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tc.wantErr)
			}
		})
	}
	if err := (Config{}).WithDefaults().validateWriter(); err == nil {
		t.Error("validateWriter accepted node id 0")
	}
}
