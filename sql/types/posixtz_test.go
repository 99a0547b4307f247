package types

import (
	"testing"
	"time"
)

func TestLoadPosixTZ(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct {
		tz   string
		when string
		off  int // seconds east
	}{
		{"+00:00", "2020-01-01T12:00:00Z", 0},
		{"+05:30", "2020-01-01T12:00:00Z", -(5*3600 + 1800)},
		{"<+05:30>-05:30", "2020-01-01T12:00:00Z", 5*3600 + 1800},
		{"<-08>+08", "2020-01-01T12:00:00Z", -8 * 3600},
		{"UTC+3", "2020-07-01T12:00:00Z", -3 * 3600},
		{"XYZ-2ABC", "2020-07-01T12:00:00Z", 3 * 3600},
		{"XYZ-2ABC", "2020-01-01T12:00:00Z", 2 * 3600},
		{"EST5EDT,M3.2.0,M11.1.0", "2020-07-01T12:00:00Z", -4 * 3600},
		{"CET-1CEST,M3.5.0,M10.5.0/3", "2020-07-01T12:00:00Z", 2 * 3600},
		{"CET-1CEST,M3.5.0,M10.5.0/3", "2020-12-01T12:00:00Z", 1 * 3600},
	} {
		loc, ok := LoadPosixTZ(c.tz)
		if !ok {
			t.Errorf("%s: not parsed", c.tz)
			continue
		}
		if _, off := at(c.when).In(loc).Zone(); off != c.off {
			t.Errorf("%s at %s: offset %d, want %d", c.tz, c.when, off, c.off)
		}
	}
	for _, bad := range []string{"", "abc", "nosuch/zone", "A1B,M13.1.0,M1.1.0", "<abc"} {
		if _, ok := LoadPosixTZ(bad); ok {
			t.Errorf("%q: parsed", bad)
		}
	}
	for east, want := range map[int]string{0: "<+00>-00", 19800: "<+05:30>-05:30", -28800: "<-08>+08", -27000: "<-07:30>+07:30"} {
		if got := OffsetZoneName(east); got != want {
			t.Errorf("OffsetZoneName(%d) = %s, want %s", east, got, want)
		}
	}
}
