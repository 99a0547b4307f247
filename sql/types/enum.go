package types

import (
	"bytes"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Enum types (CREATE TYPE ... AS ENUM). A value of an enum type is its
// label (a Go string); its T carries the type's labels (T.Enum), filled
// in from the catalog when a plan is built (the sql package's type
// descriptors), so that comparisons, ORDER BY and index keys follow the
// declaration order rather than the labels' bytes.
//
// Each label has an oid (what a row stores, so RENAME VALUE rewrites
// nothing), PostgreSQL's displayed sort order (pg_enum.enumsortorder)
// and an order key: a byte string, compared bytewise, that never
// changes once given. ALTER TYPE ... ADD VALUE BEFORE/AFTER takes a key
// strictly between its neighbours' (EnumKeyBetween), so existing index
// entries stay in order; PostgreSQL renumbers its float sort orders when
// they run out of precision, which here changes only what pg_enum shows.

// EnumInfo is an enum type's labels, in their order.
type EnumInfo struct {
	TypeOid, ArrayOid Oid
	Schema, Name      string
	Labels            []EnumLabel
	byLabel           map[string]int
	byOid             map[uint32]int
	byKey             map[string]int
}

// EnumLabel is one value of an enum type.
type EnumLabel struct {
	Oid   uint32
	Label string
	Sort  float32 // pg_enum.enumsortorder
	Key   []byte  // order key (see above)
}

// NewEnumInfo builds an EnumInfo from labels sorted by Key.
func NewEnumInfo(typeOid, arrayOid Oid, schema, name string, labels []EnumLabel) *EnumInfo {
	e := &EnumInfo{TypeOid: typeOid, ArrayOid: arrayOid, Schema: schema, Name: name, Labels: labels,
		byLabel: make(map[string]int, len(labels)), byOid: make(map[uint32]int, len(labels)), byKey: make(map[string]int, len(labels))}
	for i, l := range labels {
		e.byLabel[l.Label] = i
		e.byOid[l.Oid] = i
		e.byKey[string(l.Key)] = i
	}
	return e
}

// EnumOf is the enum type described by e.
func EnumOf(e *EnumInfo) T { return T{Family: EnumFamily, Oid: e.TypeOid, Enum: e} }

// Position is the label's index in the type's order.
func (e *EnumInfo) Position(label string) (int, bool) {
	i, ok := e.byLabel[label]
	return i, ok
}

// ByOid finds a label by its oid.
func (e *EnumInfo) ByOid(oid uint32) (*EnumLabel, bool) {
	i, ok := e.byOid[oid]
	if !ok {
		return nil, false
	}
	return &e.Labels[i], true
}

// ByKey finds a label by its order key.
func (e *EnumInfo) ByKey(key []byte) (*EnumLabel, bool) {
	i, ok := e.byKey[string(key)]
	if !ok {
		return nil, false
	}
	return &e.Labels[i], true
}

// Label finds a label by its text.
func (e *EnumInfo) Label(label string) (*EnumLabel, bool) {
	i, ok := e.byLabel[label]
	if !ok {
		return nil, false
	}
	return &e.Labels[i], true
}

// QualifiedName is the type's name as format_type prints it: qualified
// outside public and pg_catalog.
func (e *EnumInfo) QualifiedName() string {
	name := quoteTypeIdent(e.Name)
	if e.Schema != "public" && e.Schema != "pg_catalog" && e.Schema != "" {
		return quoteTypeIdent(e.Schema) + "." + name
	}
	return name
}

// quoteTypeIdent quotes an identifier that is not a plain lower-case
// name.
func quoteTypeIdent(s string) string {
	plain := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// parseEnum is enum_in: the label must be one of the type's.
func parseEnum(t T, s string) (Datum, error) {
	if t.Enum == nil {
		return nil, pgerror.New(pgerror.InternalError, "enum type %d has no labels loaded", t.Oid)
	}
	if _, ok := t.Enum.byLabel[s]; !ok {
		return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input value for enum %s: %q", t.Enum.QualifiedName(), s)
	}
	return s, nil
}

// compareEnum orders two labels of enum type t by declaration order.
func compareEnum(t T, a, b string) int {
	if t.Enum == nil {
		return strings.Compare(a, b)
	}
	i, iok := t.Enum.byLabel[a]
	j, jok := t.Enum.byLabel[b]
	if !iok || !jok {
		return strings.Compare(a, b)
	}
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}

// EnumKeyBetween returns an order key strictly between a and b (a < b
// bytewise); a nil a is below every key, a nil b above every key. The
// result never ends in a zero byte, so there is always room below it.
func EnumKeyBetween(a, b []byte) []byte {
	var out []byte
	bounded := b != nil
	for i := 0; ; i++ {
		da := 0
		if i < len(a) {
			da = int(a[i])
		}
		db := 256
		if bounded {
			if i < len(b) {
				db = int(b[i])
			} else {
				db = 0 // cannot happen for a < b
			}
		}
		if db-da >= 2 {
			return append(out, byte((da+db)/2))
		}
		out = append(out, byte(da))
		if da < db {
			bounded = false // out is below b from here on
		}
		if i >= len(a) && !bounded && bytes.Compare(out, a) > 0 {
			// out already above a; one more byte keeps it off zero.
			return append(out, 128)
		}
	}
}

// EnumInitialKeys are the order keys of a new enum type's n labels:
// evenly spaced four-byte keys.
func EnumInitialKeys(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		k := uint64(i+1) * (1 << 32) / uint64(n+1)
		out[i] = []byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
	}
	return out
}
