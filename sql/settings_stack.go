package sql

import (
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// max_stack_depth: accepted in PostgreSQL's units (a number of kB, or
// with kB, MB, GB or TB) within PostgreSQL's bounds, and shown as
// PostgreSQL shows it (the largest unit that divides it: 2MB, 100kB).
// It bounds how deeply json input may nest (types.Settings) and is named
// in the hint of every "stack depth limit exceeded".

// normStackDepth validates a max_stack_depth value and returns it in
// PostgreSQL's display form.
func normStackDepth(v string) (string, error) {
	kb, ok := parseKB(v)
	if !ok {
		return "", &settingValueError{func(name string) error { return invalidValue(name, v) }}
	}
	if kb < 100 {
		return "", &settingValueError{func(name string) error {
			return pgerror.New(pgerror.InvalidParameterValue, "%d kB is outside the valid range for parameter %q (100 .. 2147483647)", kb, name)
		}}
	}
	if kb > types.MaxStackDepthKB {
		return "", &settingValueError{func(name string) error {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %d", name, kb).
				WithDetail("%q must not exceed %dkB.", name, types.MaxStackDepthKB).
				WithHint("Increase the platform's stack depth limit via \"ulimit -s\" or local equivalent.")
		}}
	}
	return formatKB(kb), nil
}

// parseKB reads a memory size in kB: a bare integer is kB.
func parseKB(v string) (int64, bool) {
	s := strings.TrimSpace(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kB", 1}, {"MB", 1024}, {"GB", 1024 * 1024}, {"TB", 1024 * 1024 * 1024}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > (1<<62)/mult {
		return 0, false
	}
	return n * mult, true
}

// formatKB shows a size in kB in the largest unit that divides it.
func formatKB(kb int64) string {
	for _, u := range []struct {
		suffix string
		div    int64
	}{{"TB", 1024 * 1024 * 1024}, {"GB", 1024 * 1024}, {"MB", 1024}} {
		if kb != 0 && kb%u.div == 0 {
			return strconv.FormatInt(kb/u.div, 10) + u.suffix
		}
	}
	return strconv.FormatInt(kb, 10) + "kB"
}

// stackDepthHint is the hint of a "stack depth limit exceeded" error
// under the session's max_stack_depth.
func stackDepthHint(set *types.Settings) string {
	kb := types.DefaultStackDepthKB
	if set != nil && set.MaxStackDepthKB > 0 {
		kb = set.MaxStackDepthKB
	}
	return "Increase the configuration parameter \"max_stack_depth\" (currently " + strconv.Itoa(kb) + "kB), after ensuring the platform's stack depth limit is adequate."
}
