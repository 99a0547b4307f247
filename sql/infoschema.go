package sql

import (
	"fmt"
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// information_schema, as PostgreSQL 15 defines it, for the session's
// database. PostgreSQL declares these columns with the domains
// sql_identifier (name), character_data (varchar), cardinal_number
// (int4), yes_or_no (varchar(3)); we use the base types, which is what
// clients decode anyway.
var (
	isIdent    = types.Name
	isChars    = types.Varchar
	isCardinal = types.Int4
	isYesNo    = types.Varchar
)

// registerInfoschema adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerInfoschema() {
	reg := func(name string, cols []vcol, rows func(ec *execCtx) ([]exec.Row, error)) {
		registerVirtualTable(&virtualTable{schema: "information_schema", name: name, cols: cols, rows: rows})
	}
	reg("schemata", []vcol{
		{"catalog_name", isIdent}, {"schema_name", isIdent}, {"schema_owner", isIdent},
		{"default_character_set_catalog", isIdent}, {"default_character_set_schema", isIdent},
		{"default_character_set_name", isIdent}, {"sql_path", isChars},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		// The same schemas as pg_namespace, the operator tables' included.
		names := []string{"quorumdb"}
		for n := range s.schemas {
			if n != "quorumdb" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		out := make([]exec.Row, 0, len(names))
		for _, n := range names {
			owner, shown, err := schemataOwner(ec, s, n)
			if err != nil {
				return nil, err
			}
			if shown {
				out = append(out, exec.Row{s.dbName, n, owner, nil, nil, nil, nil})
			}
		}
		return out, nil
	})

	reg("tables", []vcol{
		{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent},
		{"table_type", isChars}, {"self_referencing_column_name", isIdent},
		{"reference_generation", isChars}, {"user_defined_type_catalog", isIdent},
		{"user_defined_type_schema", isIdent}, {"user_defined_type_name", isIdent},
		{"is_insertable_into", isYesNo}, {"is_typed", isYesNo}, {"commit_action", isChars},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		add := func(schema, name, typ, insertable string) {
			out = append(out, exec.Row{s.dbName, schema, name, typ, nil, nil, nil, nil, nil, insertable, "NO", nil})
		}
		g := newRoleGraph(ec.Context, ec.Catalog)
		for _, t := range s.rels {
			if ok, err := infoRelVisible(ec, g, t); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			if t.Kind == catalog.KindTable {
				typ := "BASE TABLE"
				if t.Temporary() {
					typ = "LOCAL TEMPORARY"
				}
				add(t.Schema, t.Name, typ, "YES")
			}
		}
		for _, vt := range sortedVirtualTables() {
			typ := "VIEW"
			if virtualRelkind(vt) == "r" {
				typ = "BASE TABLE"
			}
			add(vt.schema, vt.name, typ, "NO")
		}
		return out, nil
	})

	reg("columns", infoColumnsCols, infoColumnsRows)

	reg("table_constraints", []vcol{
		{"constraint_catalog", isIdent}, {"constraint_schema", isIdent}, {"constraint_name", isIdent},
		{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent},
		{"constraint_type", isChars}, {"is_deferrable", isYesNo}, {"initially_deferred", isYesNo},
		{"enforced", isYesNo}, {"nulls_distinct", isYesNo},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			if t.Kind != catalog.KindTable {
				continue
			}
			for _, c := range s.constraints(t) {
				var nullsDistinct types.Datum
				if c.index != nil {
					nullsDistinct = yesNo(!c.index.NullsNotDistinct)
				}
				out = append(out, exec.Row{s.dbName, t.Schema, c.name, s.dbName, t.Schema, t.Name, c.infoSchemaType(),
					yesNo(c.deferrable), yesNo(c.initiallyDeferred), "YES", nullsDistinct})
			}
			// PostgreSQL lists NOT NULL columns as CHECK constraints named
			// <namespace oid>_<table oid>_<attnum>_not_null.
			for i, c := range visibleColumns(t) {
				if c.NotNull {
					name := fmt.Sprintf("%d_%d_%d_not_null", s.nsOID(t.Schema), t.ID, i+1)
					out = append(out, exec.Row{s.dbName, t.Schema, name, s.dbName, t.Schema, t.Name, "CHECK", "NO", "NO", "YES", nil})
				}
			}
		}
		return out, nil
	})

	reg("key_column_usage", []vcol{
		{"constraint_catalog", isIdent}, {"constraint_schema", isIdent}, {"constraint_name", isIdent},
		{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent},
		{"column_name", isIdent}, {"ordinal_position", isCardinal},
		{"position_in_unique_constraint", isCardinal},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			for _, c := range s.constraints(t) {
				switch c.kind {
				case 'p', 'u':
					for i, id := range c.index.ColumnIDs {
						col := t.Columns[t.ColumnIndexByID(id)]
						out = append(out, exec.Row{s.dbName, t.Schema, c.name, s.dbName, t.Schema, t.Name, col.Name, int64(i + 1), nil})
					}
				case 'f':
					// A foreign key's columns, each with its position in
					// the referenced unique constraint.
					for i, id := range c.fk.ColumnIDs {
						col := t.Columns[t.ColumnIndexByID(id)]
						var pos types.Datum
						if c.parentIndex != nil {
							for j, rid := range c.parentIndex.ColumnIDs {
								if rid == c.fk.RefColumnIDs[i] {
									pos = int64(j + 1)
								}
							}
						}
						out = append(out, exec.Row{s.dbName, t.Schema, c.name, s.dbName, t.Schema, t.Name, col.Name, int64(i + 1), pos})
					}
				}
			}
		}
		return out, nil
	})

	// constraint_column_usage: the columns a constraint uses — a CHECK's,
	// a PRIMARY KEY's or UNIQUE's own, a FOREIGN KEY's referenced ones
	// (Sequelize reads a table's foreign keys through it).
	reg("constraint_column_usage", []vcol{
		{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent}, {"column_name", isIdent},
		{"constraint_catalog", isIdent}, {"constraint_schema", isIdent}, {"constraint_name", isIdent},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		add := func(t *catalog.Table, col, schema, name string) {
			out = append(out, exec.Row{s.dbName, t.Schema, t.Name, col, s.dbName, schema, name})
		}
		for _, t := range s.rels {
			byNum := map[int64]string{} // checkColumns' numbering
			for i, c := range visibleColumns(t) {
				byNum[int64(i+1)] = c.Name
			}
			for _, c := range s.constraints(t) {
				switch c.kind {
				case 'c':
					for _, a := range checkColumns(t, c.check.Expr) {
						if n, ok := a.(int64); ok {
							add(t, byNum[n], t.Schema, c.name)
						}
					}
				case 'p', 'u':
					for _, id := range c.index.ColumnIDs {
						add(t, t.Columns[t.ColumnIndexByID(id)].Name, t.Schema, c.name)
					}
				case 'f':
					if c.parent == nil {
						continue
					}
					for _, id := range c.fk.RefColumnIDs {
						add(c.parent, c.parent.Columns[c.parent.ColumnIndexByID(id)].Name, t.Schema, c.name)
					}
				}
			}
		}
		return out, nil
	})

	reg("referential_constraints", []vcol{
		{"constraint_catalog", isIdent}, {"constraint_schema", isIdent}, {"constraint_name", isIdent},
		{"unique_constraint_catalog", isIdent}, {"unique_constraint_schema", isIdent}, {"unique_constraint_name", isIdent},
		{"match_option", isChars}, {"update_rule", isChars}, {"delete_rule", isChars},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		rules := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
		var out []exec.Row
		for _, t := range s.rels {
			for _, c := range s.constraints(t) {
				if c.kind != 'f' {
					continue
				}
				var uschema, uname types.Datum
				if c.parentIndex != nil {
					uschema, uname = c.parent.Schema, c.parentIndex.Name
				}
				out = append(out, exec.Row{s.dbName, t.Schema, c.name, s.dbName, uschema, uname, "NONE", rules[c.fk.OnUpdate], rules[c.fk.OnDelete]})
			}
		}
		return out, nil
	})

	reg("check_constraints", []vcol{
		{"constraint_catalog", isIdent}, {"constraint_schema", isIdent}, {"constraint_name", isIdent},
		{"check_clause", isChars},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			for _, c := range s.constraints(t) {
				if c.kind == 'c' {
					// substring(pg_get_constraintdef(oid) from 7), as PostgreSQL's view
					out = append(out, exec.Row{s.dbName, t.Schema, c.name, strings.TrimPrefix(checkDefText(c.check.Expr, false), "CHECK ")})
				}
			}
		}
		return out, nil
	})

	reg("sequences", []vcol{
		{"sequence_catalog", isIdent}, {"sequence_schema", isIdent}, {"sequence_name", isIdent},
		{"data_type", isChars}, {"numeric_precision", isCardinal}, {"numeric_precision_radix", isCardinal},
		{"numeric_scale", isCardinal}, {"start_value", isChars}, {"minimum_value", isChars},
		{"maximum_value", isChars}, {"increment", isChars}, {"cycle_option", isYesNo},
	}, func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			if t.Kind != catalog.KindSequence || t.Sequence == nil {
				continue
			}
			st := seqType(t)
			o := t.Sequence
			out = append(out, exec.Row{s.dbName, t.Schema, t.Name, types.TypeName(st), numericPrecision(st), int64(2), int64(0),
				fmt.Sprint(o.Start), fmt.Sprint(o.Min), fmt.Sprint(o.Max), fmt.Sprint(o.Increment), map[bool]string{false: "NO", true: "YES"}[o.Cycle]})
		}
		return out, nil
	})

	reg("views", []vcol{
		{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent},
		{"view_definition", isChars}, {"check_option", isChars}, {"is_updatable", isYesNo},
		{"is_insertable_into", isYesNo}, {"is_trigger_updatable", isYesNo},
		{"is_trigger_deletable", isYesNo}, {"is_trigger_insertable_into", isYesNo},
	}, func(*execCtx) ([]exec.Row, error) { return nil, nil })
}

var infoColumnsCols = []vcol{
	{"table_catalog", isIdent}, {"table_schema", isIdent}, {"table_name", isIdent},
	{"column_name", isIdent}, {"ordinal_position", isCardinal}, {"column_default", isChars},
	{"is_nullable", isYesNo}, {"data_type", isChars}, {"character_maximum_length", isCardinal},
	{"character_octet_length", isCardinal}, {"numeric_precision", isCardinal},
	{"numeric_precision_radix", isCardinal}, {"numeric_scale", isCardinal},
	{"datetime_precision", isCardinal}, {"interval_type", isChars}, {"interval_precision", isCardinal},
	{"character_set_catalog", isIdent}, {"character_set_schema", isIdent},
	{"character_set_name", isIdent}, {"collation_catalog", isIdent}, {"collation_schema", isIdent},
	{"collation_name", isIdent}, {"domain_catalog", isIdent}, {"domain_schema", isIdent},
	{"domain_name", isIdent}, {"udt_catalog", isIdent}, {"udt_schema", isIdent},
	{"udt_name", isIdent}, {"scope_catalog", isIdent}, {"scope_schema", isIdent},
	{"scope_name", isIdent}, {"maximum_cardinality", isCardinal}, {"dtd_identifier", isIdent},
	{"is_self_referencing", isYesNo}, {"is_identity", isYesNo}, {"identity_generation", isChars},
	{"identity_start", isChars}, {"identity_maximum", isChars}, {"identity_increment", isChars},
	{"identity_minimum", isChars}, {"identity_cycle", isYesNo}, {"is_generated", isChars},
	{"generation_expression", isChars}, {"is_updatable", isYesNo},
}

func infoColumnsRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	add := func(schema, table string, pos int, name string, t types.T, notNull bool, def string, updatable string) {
		var defV types.Datum
		if def != "" {
			defV = def
		}
		nullable := "YES"
		if notNull {
			nullable = "NO"
		}
		out = append(out, exec.Row{
			s.dbName, schema, table,
			name, int64(pos), defV,
			nullable, infoDataType(t), charMaxLength(t),
			charOctetLength(t), numericPrecision(t),
			numericRadix(t), numericScale(t),
			datetimePrecision(t), nil, nil,
			nil, nil,
			nil, nil, nil,
			nil, nil, nil,
			nil, s.dbName, "pg_catalog",
			types.SQLName(t), nil, nil,
			nil, nil, fmt.Sprint(pos),
			"NO", "NO", nil,
			nil, nil, nil,
			nil, "NO", "NEVER",
			nil, updatable,
		})
	}
	g := newRoleGraph(ec.Context, ec.Catalog)
	for _, t := range s.rels {
		if t.Kind != catalog.KindTable {
			continue
		}
		if ok, err := infoRelVisible(ec, g, t); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		for i, c := range visibleColumns(t) {
			def := c.Default
			if c.Identity != "" {
				def = "" // the sequence default is the identity, not a DEFAULT
			}
			add(t.Schema, t.Name, i+1, c.Name, c.Type, c.NotNull, def, "YES")
			if c.Identity != "" {
				setIdentityInfo(out[len(out)-1], c, identitySequence(s.rels, t, c))
			}
			if c.Generated != "" {
				r := out[len(out)-1]
				r[len(r)-3], r[len(r)-2] = "ALWAYS", c.Generated // is_generated, generation_expression
			}
		}
	}
	for _, vt := range sortedVirtualTables() {
		for i, c := range vt.cols {
			add(vt.schema, vt.name, i+1, c.name, c.t, false, "", "NO")
		}
	}
	return out, nil
}

// infoDataType is information_schema's data_type: format_type without
// modifiers for pg_catalog's types, "ARRAY" for variable-length arrays
// (int2vector and oidvector included; udt_name says which).
func infoDataType(t types.T) string {
	if t.Family == types.ArrayFamily {
		return "ARRAY"
	}
	if t.Oid == types.OidBPChar {
		// format_type(oid, NULL) says "character", unlike typmod -1.
		return "character"
	}
	if t.Family == types.EnumFamily {
		return "USER-DEFINED"
	}
	return types.TypeName(types.T{Family: t.Family, Oid: t.Oid})
}

func charMaxLength(t types.T) types.Datum {
	if (t.Oid == types.OidVarchar || t.Oid == types.OidBPChar) && t.Width > 0 {
		return int64(t.Width)
	}
	return nil
}

// charOctetLength is the longest value in bytes (4 per character in
// UTF8); unbounded strings report PostgreSQL's 1 GB limit.
func charOctetLength(t types.T) types.Datum {
	switch t.Oid {
	case types.OidVarchar, types.OidBPChar, types.OidText:
		if t.Width > 0 {
			return int64(t.Width) * 4
		}
		return int64(1073741824)
	}
	return nil
}

func numericPrecision(t types.T) types.Datum {
	switch t.Oid {
	case types.OidInt2:
		return int64(16)
	case types.OidInt4:
		return int64(32)
	case types.OidInt8:
		return int64(64)
	case types.OidFloat4:
		return int64(24)
	case types.OidFloat8:
		return int64(53)
	case types.OidNumeric:
		if t.Width > 0 {
			return int64(t.Width)
		}
	}
	return nil
}

func numericRadix(t types.T) types.Datum {
	switch t.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8, types.OidFloat4, types.OidFloat8:
		return int64(2)
	case types.OidNumeric:
		return int64(10)
	}
	return nil
}

func numericScale(t types.T) types.Datum {
	switch t.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8:
		return int64(0)
	case types.OidNumeric:
		if t.Width > 0 {
			return int64(t.Scale)
		}
	}
	return nil
}

// datetimePrecision is the fractional-second digits: 0 for date, 6
// (microseconds, the default and what quorumdb keeps) for the rest.
func datetimePrecision(t types.T) types.Datum {
	switch t.Oid {
	case types.OidDate:
		return int64(0)
	case types.OidTime, types.OidTimestamp, types.OidTimestampTZ, types.OidInterval:
		return int64(6)
	}
	return nil
}

// identitySequence finds the sequence identity column c of t owns.
func identitySequence(rels []*catalog.Table, t *catalog.Table, c *catalog.Column) *catalog.Table {
	for _, o := range rels {
		if o.Kind == catalog.KindSequence && o.Schema == t.Schema && o.OwnedBy == t.Name+"."+c.Name {
			return o
		}
	}
	return nil
}

// setIdentityInfo fills information_schema.columns' identity_* columns
// (the ten before is_generated) of row r from column c and its sequence.
func setIdentityInfo(r exec.Row, c *catalog.Column, seq *catalog.Table) {
	id := r[len(r)-10:]
	id[0], id[1] = "YES", "BY DEFAULT"
	if c.Identity == "a" {
		id[1] = "ALWAYS"
	}
	if seq == nil || seq.Sequence == nil {
		return
	}
	o := seq.Sequence
	id[2], id[3], id[4], id[5] = fmt.Sprint(o.Start), fmt.Sprint(o.Max), fmt.Sprint(o.Increment), fmt.Sprint(o.Min)
	id[6] = "NO"
	if o.Cycle {
		id[6] = "YES"
	}
}
