package types

import "time"

// Settings are the session parameters that change how values are read
// and printed. The session owns one and passes it down; functions here
// only read it.
type Settings struct {
	// Location is the session TimeZone: timestamptz values are printed in
	// it and zone-less timestamptz input is read in it.
	Location *time.Location
	// DateStyle is PostgreSQL's DateStyle, e.g. "ISO, MDY". Output is
	// always ISO; the order part (MDY, DMY, YMD) decides how ambiguous
	// input such as 01/02/2024 is read.
	DateStyle string
	// IntervalStyle is PostgreSQL's IntervalStyle; only "postgres" is
	// implemented, other values print the same way.
	IntervalStyle string
	// ExtraFloatDigits is extra_float_digits: >= 1 prints floats in the
	// shortest form that reads back exactly, <= 0 rounds to 15+n (float8)
	// or 6+n (float4) significant digits.
	ExtraFloatDigits int
	// MaxStackDepthKB is max_stack_depth in kB (0: PostgreSQL's default,
	// 2048). quorumdb has no C stack to guard; it bounds how deeply json
	// input may nest as PostgreSQL's parser would (see jsonDepthLimit).
	MaxStackDepthKB int
}

// DefaultSettings returns PostgreSQL's defaults with the zone set to UTC.
func DefaultSettings() *Settings {
	return &Settings{
		Location:         time.UTC,
		DateStyle:        "ISO, MDY",
		IntervalStyle:    "postgres",
		ExtraFloatDigits: 1,
	}
}

// location returns the session zone, UTC when unset.
func (s *Settings) location() *time.Location {
	if s == nil || s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// dateOrder returns "MDY", "DMY" or "YMD" from DateStyle.
func (s *Settings) dateOrder() string {
	if s == nil {
		return "MDY"
	}
	for _, o := range []string{"DMY", "YMD", "MDY"} {
		if containsFold(s.DateStyle, o) {
			return o
		}
	}
	// PostgreSQL reads "European" and "German"/"SQL, DMY"-like styles as DMY.
	if containsFold(s.DateStyle, "euro") || containsFold(s.DateStyle, "german") {
		return "DMY"
	}
	return "MDY"
}

func (s *Settings) extraFloatDigits() int {
	if s == nil {
		return 1
	}
	return s.ExtraFloatDigits
}
