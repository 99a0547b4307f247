package sql

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// intRelOptionBounds are the ranges PostgreSQL 15 enforces for the
// integer storage parameters of tables that migrations set; the others
// of tableRelOptions are accepted as given.
var intRelOptionBounds = map[string][2]int64{
	"fillfactor":         {10, 100},
	"toast_tuple_target": {128, 8160},
	"parallel_workers":   {0, 1024},
}

// tableRelOptions are PostgreSQL 15's table storage parameters. They tune
// its heap and autovacuum, which quorumdb does not have: setting them is
// accepted and recorded (pg_class.reloptions) and changes nothing else.
var tableRelOptions = map[string]bool{
	"fillfactor": true, "toast_tuple_target": true, "parallel_workers": true,
	"autovacuum_enabled": true, "vacuum_index_cleanup": true, "vacuum_truncate": true,
	"user_catalog_table": true, "log_autovacuum_min_duration": true,
	"autovacuum_vacuum_threshold": true, "autovacuum_vacuum_insert_threshold": true,
	"autovacuum_analyze_threshold": true, "autovacuum_vacuum_cost_delay": true,
	"autovacuum_vacuum_cost_limit": true, "autovacuum_freeze_min_age": true,
	"autovacuum_freeze_max_age": true, "autovacuum_freeze_table_age": true,
	"autovacuum_multixact_freeze_min_age": true, "autovacuum_multixact_freeze_max_age": true,
	"autovacuum_multixact_freeze_table_age": true, "autovacuum_vacuum_scale_factor": true,
	"autovacuum_vacuum_insert_scale_factor": true, "autovacuum_analyze_scale_factor": true,
}

// setRelOptions runs ALTER TABLE ... SET (name = value, ...) and, with
// reset, RESET (name, ...).
func setRelOptions(t *catalog.Table, list *pg_query.Node, reset bool) error {
	for _, n := range list.GetList().GetItems() {
		de := n.GetDefElem()
		name := de.Defname
		if de.Defnamespace != "" {
			name = de.Defnamespace + "." + de.Defname
		}
		known := tableRelOptions[de.Defname] && (de.Defnamespace == "" || de.Defnamespace == "toast" && strings.HasPrefix(de.Defname, "autovacuum_"))
		if !known {
			return pgerror.New(pgerror.InvalidParameterValue, "unrecognized parameter %q", name)
		}
		t.RelOptions = slices.DeleteFunc(t.RelOptions, func(o string) bool { return strings.HasPrefix(o, name+"=") })
		if reset {
			continue
		}
		value := defElemString(de)
		if de.Arg == nil {
			value = "true"
		}
		if bounds, ok := intRelOptionBounds[name]; ok {
			v, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return pgerror.New(pgerror.InvalidParameterValue, "invalid value for integer option %q: %s", name, value)
			}
			if v < bounds[0] || v > bounds[1] {
				return pgerror.New(pgerror.InvalidParameterValue, "value %d out of bounds for option %q", v, name).
					WithDetail("Valid values are between \"%d\" and \"%d\".", bounds[0], bounds[1])
			}
		}
		t.RelOptions = append(t.RelOptions, name+"="+value)
	}
	return nil
}
