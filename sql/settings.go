package sql

import (
	"context"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// ServerVersion is what server_version reports: drivers and tools compare
// it with PostgreSQL versions to pick their queries.
const ServerVersion = "15.0"

// setting describes one configuration parameter.
type setting struct {
	// name is the canonical spelling (ParameterStatus uses it).
	name        string
	def         string
	description string
	// reported settings are sent to the client as ParameterStatus.
	reported bool
	readOnly bool
	// normalize validates a new value and returns its canonical form.
	normalize func(v string) (string, error)
}

var settingList = []setting{
	{name: "application_name", def: "", reported: true, description: "Sets the application name to be reported in statistics and logs."},
	{name: "client_encoding", def: "UTF8", reported: true, normalize: normEncoding, description: "Sets the client's character set encoding."},
	{name: "DateStyle", def: "ISO, MDY", reported: true, normalize: normDateStyle, description: "Sets the display format for date and time values."},
	{name: "IntervalStyle", def: "postgres", reported: true, normalize: oneOf("postgres"), description: "Sets the display format for interval values."},
	{name: "TimeZone", def: "UTC", reported: true, normalize: normTimeZone, description: "Sets the time zone for displaying and interpreting time stamps."},
	{name: "extra_float_digits", def: "1", normalize: intRange(-15, 3), description: "Sets the number of digits displayed for floating-point values."},
	{name: "search_path", def: `"$user", public`, description: "Sets the schema search order for names that are not schema-qualified."},
	{name: "password_encryption", def: password.MethodSCRAM, normalize: oneOf(password.MethodSCRAM, password.MethodMD5), description: "Chooses the algorithm for encrypting passwords."},
	{name: "statement_timeout", def: "0", normalize: normDuration, description: "Sets the maximum allowed duration of any statement."},
	{name: "lock_timeout", def: "0", normalize: normDuration, description: "Sets the maximum allowed duration of any wait for a lock."},
	{name: "idle_in_transaction_session_timeout", def: "0", normalize: normDuration, description: "Sets the maximum allowed idle time between queries, when in a transaction."},
	{name: "transaction_isolation", def: "serializable", normalize: normIsolation, description: "Sets the current transaction's isolation level."},
	{name: "default_transaction_isolation", def: "serializable", normalize: normIsolation, description: "Sets the transaction isolation level of each new transaction."},
	{name: "transaction_read_only", def: "off", normalize: normBool, description: "Sets the current transaction's read-only status."},
	{name: "default_transaction_read_only", def: "off", reported: true, normalize: normBool, description: "Sets the default read-only status of new transactions."},
	{name: "standard_conforming_strings", def: "on", reported: true, normalize: oneOf("on"), description: "Causes '...' strings to treat backslashes literally."},
	{name: "integer_datetimes", def: "on", reported: true, readOnly: true, description: "Shows whether datetimes are integer based."},
	{name: "server_version", def: ServerVersion, reported: true, readOnly: true, description: "Shows the server version."},
	{name: "server_version_num", def: "150000", readOnly: true, description: "Shows the server version as an integer."},
	{name: "server_encoding", def: "UTF8", reported: true, readOnly: true, description: "Shows the server (database) character set encoding."},
	{name: "is_superuser", def: "on", reported: true, readOnly: true, description: "Shows whether the current user is a superuser."},
	{name: "session_authorization", def: "postgres", reported: true, readOnly: true, description: "Sets the session user name."},
	{name: "in_hot_standby", def: "off", reported: true, readOnly: true, description: "Shows whether hot standby is currently active."},
	{name: "lc_collate", def: "C", readOnly: true, description: "Shows the collation order locale."},
	{name: "lc_ctype", def: "C", readOnly: true, description: "Shows the character classification and case conversion locale."},
	{name: "lc_messages", def: "C", description: "Sets the language in which messages are displayed."},
	{name: "lc_monetary", def: "C", description: "Sets the locale for formatting monetary amounts."},
	{name: "lc_numeric", def: "C", description: "Sets the locale for formatting numbers."},
	{name: "lc_time", def: "C", description: "Sets the locale for formatting date and time values."},
	{name: "max_identifier_length", def: "63", readOnly: true, description: "Shows the maximum identifier length."},
	{name: "max_index_keys", def: "32", readOnly: true, description: "Shows the maximum number of index keys."},
	{name: "block_size", def: "8192", readOnly: true, description: "Shows the size of a disk block."},
	{name: "bytea_output", def: "hex", normalize: oneOf("hex"), description: "Sets the output format for bytea."},
	{name: "client_min_messages", def: "notice", description: "Sets the message levels that are sent to the client."},
	{name: "synchronous_commit", def: "on", description: "Sets the current transaction's synchronization level."},
	{name: "work_mem", def: "4MB", description: "Sets the maximum memory to be used for query workspaces."},
	{name: "max_stack_depth", def: "2MB", normalize: normStackDepth, description: "Sets the maximum stack depth, in kilobytes."},
	{name: "row_security", def: "on", description: "Enable row security."},
	{name: "timezone_abbreviations", def: "Default", description: "Selects a file of time zone abbreviations."},
	{name: "datestyle", def: "", description: ""}, // alias, resolved below
	{name: "max_connections", def: "100", readOnly: true, description: "Sets the maximum number of concurrent connections."},
	{name: "superuser_reserved_connections", def: "3", readOnly: true, description: "Sets the number of connection slots reserved for superusers."},
	{name: "ssl", def: "off", readOnly: true, description: "Enables SSL connections."},
	{name: "jit", def: "off", description: "Allow JIT compilation."},
	// PostgreSQL's query tuning settings (planner method switches, cost
	// constants, parallelism). quorumdb's planner chooses its own plans,
	// so they change nothing; they are accepted, validated and shown as
	// PostgreSQL shows them, because tests, tools and migration scripts
	// set them around the statements they care about (PostgreSQL's own
	// regression suite does so in 142 of its statements).
	{name: "enable_async_append", def: "on", normalize: normBool, description: "Enables the planner's use of async append plans."},
	{name: "enable_bitmapscan", def: "on", normalize: normBool, description: "Enables the planner's use of bitmap-scan plans."},
	{name: "enable_gathermerge", def: "on", normalize: normBool, description: "Enables the planner's use of gather merge plans."},
	{name: "enable_hashagg", def: "on", normalize: normBool, description: "Enables the planner's use of hashed aggregation plans."},
	{name: "enable_hashjoin", def: "on", normalize: normBool, description: "Enables the planner's use of hash join plans."},
	{name: "enable_incremental_sort", def: "on", normalize: normBool, description: "Enables the planner's use of incremental sort steps."},
	{name: "enable_indexonlyscan", def: "on", normalize: normBool, description: "Enables the planner's use of index-only-scan plans."},
	{name: "enable_indexscan", def: "on", normalize: normBool, description: "Enables the planner's use of index-scan plans."},
	{name: "enable_material", def: "on", normalize: normBool, description: "Enables the planner's use of materialization."},
	{name: "enable_memoize", def: "on", normalize: normBool, description: "Enables the planner's use of memoization."},
	{name: "enable_mergejoin", def: "on", normalize: normBool, description: "Enables the planner's use of merge join plans."},
	{name: "enable_nestloop", def: "on", normalize: normBool, description: "Enables the planner's use of nested-loop join plans."},
	{name: "enable_parallel_append", def: "on", normalize: normBool, description: "Enables the planner's use of parallel append plans."},
	{name: "enable_parallel_hash", def: "on", normalize: normBool, description: "Enables the planner's use of parallel hash plans."},
	{name: "enable_partition_pruning", def: "on", normalize: normBool, description: "Enables plan-time and execution-time partition pruning."},
	{name: "enable_partitionwise_aggregate", def: "off", normalize: normBool, description: "Enables partitionwise aggregation and grouping."},
	{name: "enable_partitionwise_join", def: "off", normalize: normBool, description: "Enables partitionwise join."},
	{name: "enable_seqscan", def: "on", normalize: normBool, description: "Enables the planner's use of sequential-scan plans."},
	{name: "enable_sort", def: "on", normalize: normBool, description: "Enables the planner's use of explicit sort steps."},
	{name: "enable_tidscan", def: "on", normalize: normBool, description: "Enables the planner's use of TID scan plans."},
	{name: "seq_page_cost", def: "1", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of a sequentially fetched disk page."},
	{name: "random_page_cost", def: "4", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of a nonsequentially fetched disk page."},
	{name: "cpu_tuple_cost", def: "0.01", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of processing each tuple (row)."},
	{name: "cpu_index_tuple_cost", def: "0.005", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of processing each index entry during an index scan."},
	{name: "cpu_operator_cost", def: "0.0025", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of processing each operator or function call."},
	{name: "parallel_setup_cost", def: "1000", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of starting up worker processes for parallel query."},
	{name: "parallel_tuple_cost", def: "0.1", normalize: realRange(0, 1.79769e+308), description: "Sets the planner's estimate of the cost of passing each tuple (row) from worker to leader backend."},
	{name: "jit_above_cost", def: "100000", normalize: realRange(-1, 1.79769e+308), description: "Perform JIT compilation if query is more expensive."},
	{name: "jit_inline_above_cost", def: "500000", normalize: realRange(-1, 1.79769e+308), description: "Perform JIT inlining if query is more expensive."},
	{name: "jit_optimize_above_cost", def: "500000", normalize: realRange(-1, 1.79769e+308), description: "Optimize JIT-compiled functions if query is more expensive."},
	{name: "cursor_tuple_fraction", def: "0.1", normalize: realRange(0, 1), description: "Sets the planner's estimate of the fraction of a cursor's rows that will be retrieved."},
	{name: "hash_mem_multiplier", def: "2", normalize: realRange(1, 1000), description: "Multiple of work_mem to use for hash tables."},
	{name: "default_statistics_target", def: "100", normalize: intRange(1, 10000), description: "Sets the default statistics target."},
	{name: "from_collapse_limit", def: "8", normalize: intRange(1, 2147483647), description: "Sets the FROM-list size beyond which subqueries are not collapsed."},
	{name: "join_collapse_limit", def: "8", normalize: intRange(1, 2147483647), description: "Sets the FROM-list size beyond which JOIN constructs are not flattened."},
	{name: "geqo_threshold", def: "12", normalize: intRange(2, 2147483647), description: "Sets the threshold of FROM items beyond which GEQO is used."},
	{name: "max_parallel_workers_per_gather", def: "2", normalize: intRange(0, 1024), description: "Sets the maximum number of parallel processes per executor node."},
	{name: "max_parallel_workers", def: "8", normalize: intRange(0, 1024), description: "Sets the maximum number of parallel workers that can be active at one time."},
	{name: "parallel_leader_participation", def: "on", normalize: normBool, description: "Controls whether Gather and Gather Merge also run subplans."},
	{name: "force_parallel_mode", def: "off", normalize: oneOf("off", "on", "regress"), description: "Forces use of parallel query facilities."},
	{name: "constraint_exclusion", def: "partition", normalize: oneOf("partition", "on", "off"), description: "Enables the planner to use constraints to optimize queries."},
	{name: "plan_cache_mode", def: "auto", normalize: oneOf("auto", "force_generic_plan", "force_custom_plan"), description: "Controls the planner's selection of custom or generic plan."},
	{name: "min_parallel_table_scan_size", def: "8MB", description: "Sets the minimum amount of table data for a parallel scan."},
	{name: "min_parallel_index_scan_size", def: "512kB", description: "Sets the minimum amount of index data for a parallel scan."},
	{name: "effective_cache_size", def: "4GB", description: "Sets the planner's assumption about the total size of the data caches."},
	{name: "maintenance_work_mem", def: "64MB", description: "Sets the maximum memory to be used for maintenance operations."},
	{name: "transaction_deferrable", def: "off", normalize: normBool, description: "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures."},
	{name: "geqo", def: "on", description: "Enables genetic query optimization."},
	{name: "check_function_bodies", def: "on", description: "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE."},
	{name: "xmloption", def: "content", description: "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments."},
	// pg_dump sets these two before its CREATE TABLEs; every table lives in
	// the one storage there is.
	{name: "default_tablespace", def: "", normalize: oneOf("", "pg_default"), description: "Sets the default tablespace to create tables and indexes in."},
	{name: "default_table_access_method", def: "heap", normalize: oneOf("heap"), description: "Sets the default table access method for new tables."},
	// pg_dump turns this off before reading; scans here never start mid-table.
	{name: "synchronize_seqscans", def: "on", normalize: normBool, description: "Enable synchronized sequential scans."},
	{name: "quote_all_identifiers", def: "off", normalize: onlyOff("quote_all_identifiers"), description: "When generating SQL fragments, quote all identifiers."},
	{name: "escape_string_warning", def: "on", description: "Warn about backslash escapes in ordinary string literals."},
}

var settingsByName = func() map[string]*setting {
	m := map[string]*setting{}
	for i := range settingList {
		s := &settingList[i]
		if s.name == "datestyle" {
			continue
		}
		m[strings.ToLower(s.name)] = s
	}
	return m
}()

// sessionVars holds a session's settings by lower-case name.
type sessionVars struct {
	values map[string]string
	tset   *types.Settings
	// gen counts changes; cached plans record the generation they were
	// planned under (constant folding may have used a setting).
	gen uint64
}

func newSessionVars(user string, startup map[string]string) (*sessionVars, error) {
	v := &sessionVars{values: map[string]string{}}
	for name, s := range settingsByName {
		v.values[name] = s.def
	}
	v.values["session_authorization"] = user
	for name, val := range startup {
		name = strings.ToLower(name)
		switch name {
		case "options", "replication", "user", "database":
			continue
		}
		s, ok := settingsByName[name]
		if !ok || s.readOnly {
			continue // PostgreSQL rejects unknown startup parameters; drivers send some we ignore
		}
		if s.normalize != nil {
			n, err := s.normalize(val)
			var sv *settingValueError
			if errors.As(err, &sv) {
				return nil, sv.withName(s.name)
			}
			if err != nil {
				return nil, err
			}
			val = n
		}
		v.values[name] = val
	}
	return v, nil
}

func (v *sessionVars) get(name string) string { return v.values[strings.ToLower(name)] }

func (v *sessionVars) reported() []ParamStatus {
	var out []ParamStatus
	for _, s := range settingList {
		if s.reported {
			out = append(out, ParamStatus{Name: s.name, Value: v.values[strings.ToLower(s.name)]})
		}
	}
	return out
}

func (v *sessionVars) typeSettings() *types.Settings {
	if v.tset == nil {
		set := types.DefaultSettings()
		if loc, err := loadLocation(v.values["timezone"]); err == nil {
			set.Location = loc
		}
		set.DateStyle = v.values["datestyle"]
		set.IntervalStyle = v.values["intervalstyle"]
		set.ExtraFloatDigits, _ = strconv.Atoi(v.values["extra_float_digits"])
		if kb, ok := parseKB(v.values["max_stack_depth"]); ok {
			set.MaxStackDepthKB = int(kb)
		}
		v.tset = set
	}
	return v.tset
}

// statementContext applies statement_timeout.
func (v *sessionVars) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, err := parseDurationSetting(v.values["statement_timeout"]); err == nil && d > 0 {
		return context.WithTimeout(ctx, d)
	}
	return context.WithCancel(ctx)
}

// set changes a setting; it returns the ParameterStatus to report, if any.
func (v *sessionVars) set(name, value string) (*ParamStatus, error) {
	key := strings.ToLower(name)
	s, ok := settingsByName[key]
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if s.readOnly {
		return nil, pgerror.New(pgerror.CantChangeRuntimeParam, "parameter %q cannot be changed", name)
	}
	if s.normalize != nil {
		n, err := s.normalize(value)
		var sv *settingValueError
		if errors.As(err, &sv) {
			return nil, sv.withName(s.name)
		}
		if err != nil {
			return nil, err
		}
		value = n
	}
	v.values[key] = value
	v.tset = nil
	v.gen++
	if s.reported {
		return &ParamStatus{Name: s.name, Value: value}, nil
	}
	return nil, nil
}

func invalidValue(name, v string) *pgerror.Error {
	return pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %q", name, v)
}

func normEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	case "SQL_ASCII":
		return "UTF8", nil
	}
	return "", invalidValue("client_encoding", v)
}

func normDateStyle(v string) (string, error) {
	parts := strings.Split(v, ",")
	style, order := "ISO", "MDY"
	for _, p := range parts {
		switch strings.ToUpper(strings.TrimSpace(p)) {
		case "ISO":
			style = "ISO"
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		case "":
		default:
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"DateStyle\": %q", v).WithDetail("Only the ISO output style is supported.")
		}
	}
	return style + ", " + order, nil
}

// loadLocation reads a TimeZone value: a tz database name or a POSIX
// time zone string (which includes the "<+05>-05" names of offsets).
func loadLocation(name string) (*time.Location, error) {
	switch strings.ToUpper(name) {
	case "UTC", "GMT", "Z", "ZULU", "UCT", "ETC/UTC":
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc, nil
	}
	if loc, ok := types.LoadPosixTZ(name); ok {
		return loc, nil
	}
	return nil, err
}

// normTimeZone is check_timezone: INTERVAL '...' (from SET TIME ZONE
// INTERVAL) and a number of hours are offsets east of Greenwich, named
// as pg_tzset_offset names them ("<+05:30>-05:30", what SHOW prints);
// anything else is a tz database name or a POSIX string ('+00:00' is
// UTC, 'UTC+3' three hours west), kept as given.
func normTimeZone(v string) (string, error) {
	if strings.EqualFold(v, "local") || strings.EqualFold(v, "default") {
		return "UTC", nil
	}
	east, isOffset := 0.0, false
	if len(v) >= 8 && strings.EqualFold(v[:8], "interval") {
		lit := strings.TrimSpace(v[8:])
		if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
			return "", invalidValue("TimeZone", v)
		}
		d, err := types.ParseText(types.IntervalT, strings.ReplaceAll(lit[1:len(lit)-1], "''", "'"), nil)
		if err != nil {
			return "", invalidValue("TimeZone", v)
		}
		iv := d.(types.Interval)
		if iv.Months != 0 {
			return "", invalidValue("TimeZone", v).WithDetail("Cannot specify months in time zone interval.")
		}
		if iv.Days != 0 {
			return "", invalidValue("TimeZone", v).WithDetail("Cannot specify days in time zone interval.")
		}
		east, isOffset = float64(iv.Micros/1e6), true
	} else if h, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsNaN(h) && !math.IsInf(h, 0) {
		east, isOffset = h*3600, true
	}
	if isOffset {
		name := types.OffsetZoneName(int(east))
		if _, ok := types.LoadPosixTZ(name); !ok {
			return "", invalidValue("TimeZone", v).WithDetail("UTC timezone offset is out of range.")
		}
		return name, nil
	}
	if _, err := loadLocation(v); err != nil {
		return "", invalidValue("TimeZone", v)
	}
	if strings.EqualFold(v, "utc") {
		return "UTC", nil
	}
	return v, nil
}

// onlyOff accepts any spelling of false for a boolean setting whose "on"
// quorumdb does not implement.
func onlyOff(name string) func(string) (string, error) {
	return func(v string) (string, error) {
		b, err := normBool(v)
		if err != nil {
			return "", err
		}
		if b != "off" {
			return "", pgerror.New(pgerror.FeatureNotSupported, "%s = on is not supported", name)
		}
		return b, nil
	}
}

func oneOf(allowed ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, a := range allowed {
			if strings.EqualFold(a, v) {
				return a, nil
			}
		}
		return "", &settingValueError{func(name string) error {
			return invalidValue(name, v).WithHint("Available values: %s.", strings.Join(allowed, ", "))
		}}
	}
}

func intRange(lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", &settingValueError{func(name string) error { return invalidValue(name, v) }}
		}
		if n < lo || n > hi {
			return "", &settingValueError{func(name string) error {
				return pgerror.New(pgerror.InvalidParameterValue, "%d is outside the valid range for parameter %q (%d .. %d)", n, name, lo, hi)
			}}
		}
		return strconv.Itoa(n), nil
	}
}

// realRange validates a floating-point setting within [lo, hi] and
// shows it as PostgreSQL does (%g).
func realRange(lo, hi float64) func(string) (string, error) {
	return func(v string) (string, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return "", &settingValueError{func(name string) error { return invalidValue(name, v) }}
		}
		if f < lo || f > hi {
			return "", &settingValueError{func(name string) error {
				return pgerror.New(pgerror.InvalidParameterValue, "%g is outside the valid range for parameter %q (%g .. %g)", f, name, lo, hi)
			}}
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
}

func normBool(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1", "t":
		return "on", nil
	case "off", "false", "no", "0", "f":
		return "off", nil
	}
	return "", &settingValueError{func(name string) error {
		return pgerror.New(pgerror.InvalidParameterValue, "parameter %q requires a Boolean value", name)
	}}
}

// settingValueError is a value a shared normalizer refused; set() turns
// it into PostgreSQL's message, which names the parameter.
type settingValueError struct {
	withName func(name string) error
}

func (e *settingValueError) Error() string { return e.withName("setting").Error() }

func normIsolation(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "serializable", "repeatable read", "read committed", "read uncommitted":
		// Every level runs as SERIALIZABLE, as CockroachDB does.
		return "serializable", nil
	}
	return "", invalidValue("transaction_isolation", v)
}

// parseDurationSetting parses a time setting in milliseconds or with a unit.
func parseDurationSetting(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(n) * time.Millisecond, nil
	}
	units := []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"us", time.Microsecond}, {"min", time.Minute}, {"s", time.Second}, {"h", time.Hour}, {"d", 24 * time.Hour}}
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), 64)
			if err != nil {
				break
			}
			return time.Duration(n * float64(u.d)), nil
		}
	}
	return 0, pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter: %q", v)
}

func normDuration(v string) (string, error) {
	d, err := parseDurationSetting(v)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(d.Milliseconds(), 10), nil
}

// showValue renders a setting for SHOW (time settings with units).
func showValue(name, v string) string {
	switch name {
	case "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout":
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms == 0 {
			return v
		}
		// PostgreSQL shows the largest unit that divides the value.
		for _, u := range []struct {
			n    int64
			name string
		}{{86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}} {
			if ms%u.n == 0 {
				return strconv.FormatInt(ms/u.n, 10) + u.name
			}
		}
		return v + "ms"
	}
	return v
}

// execSessionStmt runs SET, SHOW, RESET, DISCARD, PREPARE and DEALLOCATE, which
// need no transaction. ok is false for every other statement.
func (s *Session) execSessionStmt(ctx context.Context, st statement) (*result, bool, error) {
	switch v := st.node.Node.(type) {
	case *pg_query.Node_VariableSetStmt:
		if res, ok, err := s.execRoleSwitch(ctx, v.VariableSetStmt); ok {
			return res, true, err
		}
		res, err := s.execSet(v.VariableSetStmt)
		return res, true, err
	case *pg_query.Node_VariableShowStmt:
		res, err := s.execShow(v.VariableShowStmt.Name)
		return res, true, err
	case *pg_query.Node_DiscardStmt:
		res, err := s.execDiscard(ctx, v.DiscardStmt.Target)
		return res, true, err
	case *pg_query.Node_DeallocateStmt:
		res, err := s.execDeallocate(v.DeallocateStmt)
		return res, true, err
	case *pg_query.Node_PrepareStmt:
		res, err := s.execPrepare(ctx, v.PrepareStmt, st)
		return res, true, err
	case *pg_query.Node_FetchStmt:
		res, err := s.execFetch(v.FetchStmt)
		return res, true, err
	case *pg_query.Node_ClosePortalStmt:
		res, err := s.execClose(v.ClosePortalStmt)
		return res, true, err
	}
	return nil, false, nil
}

func (s *Session) execSet(vs *pg_query.VariableSetStmt) (*result, error) {
	name := strings.ToLower(vs.Name)
	switch name {
	case "timezone":
		name = "TimeZone"
	case "names":
		name = "client_encoding"
	case "session characteristics", "transaction":
		// SET TRANSACTION / SESSION CHARACTERISTICS AS TRANSACTION ...
		for _, a := range vs.Args {
			de := a.GetDefElem()
			if de == nil {
				continue
			}
			val := defElemString(de)
			switch de.Defname {
			case "transaction_isolation":
				if _, err := normIsolation(val); err != nil {
					return nil, err
				}
			case "transaction_read_only":
				if val == "1" || val == "true" {
					s.readOnly = true
				} else {
					s.readOnly = false
				}
			}
		}
		return &result{tag: "SET"}, nil
	}
	var value string
	switch vs.Kind {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		var parts []string
		for _, a := range vs.Args {
			parts = append(parts, setArgString(a))
		}
		value = strings.Join(parts, ", ")
	case pg_query.VariableSetKind_VAR_SET_DEFAULT, pg_query.VariableSetKind_VAR_RESET:
		st, ok := settingsByName[strings.ToLower(name)]
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", vs.Name)
		}
		value = st.def
		if strings.ToLower(name) == "session_authorization" {
			value = s.user
		}
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		for n, st := range settingsByName {
			if !st.readOnly {
				if _, err := s.vars.set(n, st.def); err != nil {
					return nil, err
				}
			}
		}
		return &result{tag: "RESET"}, nil
	default:
		return nil, unsupported("this form of SET")
	}
	if st, ok := settingsByName[strings.ToLower(name)]; ok && st.name == "transaction_isolation" {
		if _, err := normIsolation(value); err != nil {
			return nil, err
		}
		return &result{tag: "SET"}, nil
	}
	ps, err := s.vars.set(name, value)
	if err != nil {
		return nil, err
	}
	if ps != nil {
		s.pendingStatus = append(s.pendingStatus, *ps)
	}
	tag := "SET"
	if vs.Kind == pg_query.VariableSetKind_VAR_RESET {
		tag = "RESET"
	}
	return &result{tag: tag}, nil
}

func setArgString(n *pg_query.Node) string {
	if c := n.GetAConst(); c != nil {
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Sval:
			return v.Sval.Sval
		case *pg_query.A_Const_Ival:
			return strconv.Itoa(int(v.Ival.Ival))
		case *pg_query.A_Const_Fval:
			return v.Fval.Fval
		case *pg_query.A_Const_Boolval:
			if v.Boolval.Boolval {
				return "on"
			}
			return "off"
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		// SET TIME ZONE INTERVAL '...' [HOUR TO MINUTE]: the interval as
		// flatten_set_variable_args writes it, INTERVAL '<value>', which
		// check_timezone reads back.
		lit := setArgString(tc.Arg)
		if tc.TypeName != nil {
			if t, err := resolveTypeName(tc.TypeName); err == nil && t.Oid == types.OidInterval {
				if d, err := types.ParseText(types.IntervalT, lit, nil); err == nil {
					lit = types.FormatText(types.IntervalT, d, nil)
				}
				return "INTERVAL '" + strings.ReplaceAll(lit, "'", "''") + "'"
			}
		}
		return lit
	}
	return nodeKey(n)
}

func (s *Session) execShow(name string) (*result, error) {
	lname := strings.ToLower(name)
	if lname == "all" {
		cols := utilityColumns(&pg_query.Node{Node: &pg_query.Node_VariableShowStmt{VariableShowStmt: &pg_query.VariableShowStmt{Name: "all"}}})
		var rows []exec.Row
		names := make([]string, 0, len(settingsByName))
		for n := range settingsByName {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			st := settingsByName[n]
			rows = append(rows, exec.Row{st.name, showValue(n, s.vars.values[n]), st.description})
		}
		return &result{cols: cols, rows: rows, tag: "SHOW"}, nil
	}
	switch lname {
	case "transaction isolation level":
		lname = "transaction_isolation"
	case "time zone":
		lname = "timezone"
	}
	st, ok := settingsByName[lname]
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	val := showValue(lname, s.vars.values[lname])
	if lname == "transaction_read_only" && s.readOnly {
		val = "on"
	}
	return &result{cols: []exec.Column{{Name: st.name, T: types.Text}}, rows: []exec.Row{{val}}, tag: "SHOW"}, nil
}

// execDiscard runs DISCARD ALL, PLANS, SEQUENCES and TEMP.
func (s *Session) execDiscard(ctx context.Context, target pg_query.DiscardMode) (*result, error) {
	switch target {
	case pg_query.DiscardMode_DISCARD_ALL:
		if s.state != txnNone {
			return nil, pgerror.New(pgerror.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
		}
		s.prepared.Clear()
		s.cursors = nil
		s.currval, s.lastval, s.hasLastval = nil, 0, false
		if err := s.discardTemp(ctx); err != nil {
			return nil, err
		}
		return &result{tag: "DISCARD ALL"}, nil
	case pg_query.DiscardMode_DISCARD_PLANS:
		s.vars.gen++ // cached plans are replanned
		return &result{tag: "DISCARD PLANS"}, nil
	case pg_query.DiscardMode_DISCARD_SEQUENCES:
		s.currval, s.lastval, s.hasLastval = nil, 0, false
		return &result{tag: "DISCARD SEQUENCES"}, nil
	}
	if err := s.discardTemp(ctx); err != nil {
		return nil, err
	}
	return &result{tag: "DISCARD TEMP"}, nil
}
