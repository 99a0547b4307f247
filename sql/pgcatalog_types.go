package sql

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pgTypeInfo is what pg_type says of a type beyond what sql/types knows
// (name, length, array oid). The values are PostgreSQL 15's.
type pgTypeInfo struct {
	category  string // typcategory
	preferred bool   // typispreferred
	typtype   string // 'b' base, 'p' pseudo
	subscript string // typsubscript
	in, out   string // typinput, typoutput
	recv      string // typreceive
	send      string // typsend
	modin     string // typmodin
	modout    string // typmodout
	align     string // typalign
	storage   string // typstorage
	collation uint32 // typcollation
}

// pgBaseTypes holds the non-array types, by oid; the array types are
// derived from their element (pgTypeInfoOf).
var pgBaseTypes = map[types.Oid]pgTypeInfo{
	types.OidBool:         {"B", true, "b", "-", "boolin", "boolout", "boolrecv", "boolsend", "-", "-", "c", "p", 0},
	types.OidBytea:        {"U", false, "b", "-", "byteain", "byteaout", "bytearecv", "byteasend", "-", "-", "i", "x", 0},
	types.OidChar:         {"Z", false, "b", "-", "charin", "charout", "charrecv", "charsend", "-", "-", "c", "p", 0},
	types.OidName:         {"S", false, "b", "raw_array_subscript_handler", "namein", "nameout", "namerecv", "namesend", "-", "-", "c", "p", oidCColl},
	types.OidInt8:         {"N", false, "b", "-", "int8in", "int8out", "int8recv", "int8send", "-", "-", "d", "p", 0},
	types.OidInt2:         {"N", false, "b", "-", "int2in", "int2out", "int2recv", "int2send", "-", "-", "s", "p", 0},
	types.OidInt2Vector:   {"A", false, "b", "array_subscript_handler", "int2vectorin", "int2vectorout", "int2vectorrecv", "int2vectorsend", "-", "-", "i", "p", 0},
	types.OidInt4:         {"N", false, "b", "-", "int4in", "int4out", "int4recv", "int4send", "-", "-", "i", "p", 0},
	types.OidRegproc:      {"N", false, "b", "-", "regprocin", "regprocout", "regprocrecv", "regprocsend", "-", "-", "i", "p", 0},
	types.OidText:         {"S", true, "b", "-", "textin", "textout", "textrecv", "textsend", "-", "-", "i", "x", oidDefaultColl},
	types.OidOid:          {"N", true, "b", "-", "oidin", "oidout", "oidrecv", "oidsend", "-", "-", "i", "p", 0},
	types.OidOidVector:    {"A", false, "b", "array_subscript_handler", "oidvectorin", "oidvectorout", "oidvectorrecv", "oidvectorsend", "-", "-", "i", "p", 0},
	types.OidJSON:         {"U", false, "b", "-", "json_in", "json_out", "json_recv", "json_send", "-", "-", "i", "x", 0},
	types.OidFloat4:       {"N", false, "b", "-", "float4in", "float4out", "float4recv", "float4send", "-", "-", "i", "p", 0},
	types.OidFloat8:       {"N", true, "b", "-", "float8in", "float8out", "float8recv", "float8send", "-", "-", "d", "p", 0},
	types.OidUnknown:      {"X", false, "p", "-", "unknownin", "unknownout", "unknownrecv", "unknownsend", "-", "-", "c", "p", 0},
	types.OidBPChar:       {"S", false, "b", "-", "bpcharin", "bpcharout", "bpcharrecv", "bpcharsend", "bpchartypmodin", "bpchartypmodout", "i", "x", oidDefaultColl},
	types.OidVarchar:      {"S", false, "b", "-", "varcharin", "varcharout", "varcharrecv", "varcharsend", "varchartypmodin", "varchartypmodout", "i", "x", oidDefaultColl},
	types.OidDate:         {"D", false, "b", "-", "date_in", "date_out", "date_recv", "date_send", "-", "-", "i", "p", 0},
	types.OidTime:         {"D", false, "b", "-", "time_in", "time_out", "time_recv", "time_send", "timetypmodin", "timetypmodout", "d", "p", 0},
	types.OidTimestamp:    {"D", false, "b", "-", "timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send", "timestamptypmodin", "timestamptypmodout", "d", "p", 0},
	types.OidTimestampTZ:  {"D", true, "b", "-", "timestamptz_in", "timestamptz_out", "timestamptz_recv", "timestamptz_send", "timestamptztypmodin", "timestamptztypmodout", "d", "p", 0},
	types.OidInterval:     {"T", true, "b", "-", "interval_in", "interval_out", "interval_recv", "interval_send", "intervaltypmodin", "intervaltypmodout", "d", "p", 0},
	types.OidNumeric:      {"N", false, "b", "-", "numeric_in", "numeric_out", "numeric_recv", "numeric_send", "numerictypmodin", "numerictypmodout", "i", "m", 0},
	types.OidRegclass:     {"N", false, "b", "-", "regclassin", "regclassout", "regclassrecv", "regclasssend", "-", "-", "i", "p", 0},
	types.OidRegtype:      {"N", false, "b", "-", "regtypein", "regtypeout", "regtyperecv", "regtypesend", "-", "-", "i", "p", 0},
	types.OidRecord:       {"P", false, "p", "-", "record_in", "record_out", "record_recv", "record_send", "-", "-", "d", "x", 0},
	types.OidAny:          {"P", false, "p", "-", "any_in", "any_out", "-", "-", "-", "-", "i", "p", 0},
	types.OidVoid:         {"P", false, "p", "-", "void_in", "void_out", "void_recv", "void_send", "-", "-", "i", "p", 0},
	types.OidUUID:         {"U", false, "b", "-", "uuid_in", "uuid_out", "uuid_recv", "uuid_send", "-", "-", "c", "p", 0},
	types.OidJSONB:        {"U", false, "b", "jsonb_subscript_handler", "jsonb_in", "jsonb_out", "jsonb_recv", "jsonb_send", "-", "-", "i", "x", 0},
	types.OidRegnamespace: {"N", false, "b", "-", "regnamespacein", "regnamespaceout", "regnamespacerecv", "regnamespacesend", "-", "-", "i", "p", 0},
	types.OidRegrole:      {"N", false, "b", "-", "regrolein", "regroleout", "regrolerecv", "regrolesend", "-", "-", "i", "p", 0},
	types.OidRegprocedure: {"N", false, "b", "-", "regprocedurein", "regprocedureout", "regprocedurerecv", "regproceduresend", "-", "-", "i", "p", 0},
	types.OidRegoper:      {"N", false, "b", "-", "regoperin", "regoperout", "regoperrecv", "regopersend", "-", "-", "i", "p", 0},
	types.OidRegoperator:  {"N", false, "b", "-", "regoperatorin", "regoperatorout", "regoperatorrecv", "regoperatorsend", "-", "-", "i", "p", 0},
	types.OidRegcollation: {"N", false, "b", "-", "regcollationin", "regcollationout", "regcollationrecv", "regcollationsend", "-", "-", "i", "p", 0},
}

// pgTypeInfoOf returns the pg_type facts of oid: an array type takes its
// element's modifier functions and collation, is aligned for its
// element, and is stored extended.
func pgTypeInfoOf(oid types.Oid) pgTypeInfo {
	if info, ok := pgBaseTypes[oid]; ok {
		return info
	}
	t, ok := types.FromOid(oid)
	if !ok || t.Family != types.ArrayFamily || t.Elem == nil {
		return pgTypeInfo{category: "U", typtype: "b", subscript: "-", in: "-", out: "-", recv: "-", send: "-", modin: "-", modout: "-", align: "i", storage: "x"}
	}
	elem := pgBaseTypes[t.Elem.Oid]
	info := pgTypeInfo{category: "A", typtype: "b", subscript: "array_subscript_handler",
		in: "array_in", out: "array_out", recv: "array_recv", send: "array_send",
		modin: elem.modin, modout: elem.modout, align: "i", storage: "x", collation: elem.collation}
	if elem.align == "d" {
		info.align = "d"
	}
	if elem.typtype == "p" {
		// _record is a pseudo-type like record.
		info.category, info.typtype = "P", "p"
	}
	return info
}

// typByVal is pg_type.typbyval: fixed-size values of up to 8 bytes are
// passed by value (on 64-bit builds).
func typByVal(typlen int64) bool {
	switch typlen {
	case 1, 2, 4, 8:
		return true
	}
	return false
}

// pgTypeOIDs lists every type sql/types knows, base types first, each
// group by oid.
func pgTypeOIDs() []types.Oid {
	var base, arrays []types.Oid
	for oid := range pgBaseTypes {
		if _, ok := types.FromOid(oid); !ok {
			continue
		}
		base = append(base, oid)
		if a := types.ArrayOid(oid); a != 0 {
			if _, ok := types.FromOid(a); ok {
				arrays = append(arrays, a)
			}
		}
	}
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	sort.Slice(arrays, func(i, j int) bool { return arrays[i] < arrays[j] })
	return append(base, arrays...)
}

// typElem is pg_type.typelem: the element type of arrays (including
// int2vector and oidvector) and of name, which is subscriptable as
// "char".
func typElem(oid types.Oid) types.Oid {
	if oid == types.OidName {
		return types.OidChar
	}
	if t, ok := types.FromOid(oid); ok && t.Family == types.ArrayFamily && t.Elem != nil {
		return t.Elem.Oid
	}
	return 0
}

// registerPgcatalogTypes adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgcatalogTypes() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_type", oid: 1247, cols: []vcol{
		{"oid", pgOid}, {"typname", pgName}, {"typnamespace", pgOid}, {"typowner", pgOid},
		{"typlen", pgInt2}, {"typbyval", pgBool}, {"typtype", pgChar}, {"typcategory", pgChar},
		{"typispreferred", pgBool}, {"typisdefined", pgBool}, {"typdelim", pgChar},
		{"typrelid", pgOid}, {"typsubscript", pgRegproc}, {"typelem", pgOid}, {"typarray", pgOid},
		{"typinput", pgRegproc}, {"typoutput", pgRegproc}, {"typreceive", pgRegproc},
		{"typsend", pgRegproc}, {"typmodin", pgRegproc}, {"typmodout", pgRegproc},
		{"typanalyze", pgRegproc}, {"typalign", pgChar}, {"typstorage", pgChar},
		{"typnotnull", pgBool}, {"typbasetype", pgOid}, {"typtypmod", pgInt4},
		{"typndims", pgInt4}, {"typcollation", pgOid}, {"typdefaultbin", pgNodeTree},
		{"typdefault", pgText}, {"typacl", pgACL},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		oids := pgTypeOIDs()
		out := make([]exec.Row, 0, len(oids))
		for _, oid := range oids {
			t, _ := types.FromOid(oid)
			info := pgTypeInfoOf(oid)
			typlen := int64(types.TypLen(oid))
			analyze := "-"
			if info.category == "A" && oid != types.OidInt2Vector && oid != types.OidOidVector {
				analyze = "array_typanalyze"
			}
			out = append(out, exec.Row{
				int64(oid), types.SQLName(t), int64(catalog.OIDPgCatalogSchema), int64(catalog.OIDPostgresRole),
				typlen, typByVal(typlen), info.typtype, info.category,
				info.preferred, true, ",",
				int64(0), info.subscript, int64(typElem(oid)), int64(types.ArrayOid(oid)),
				info.in, info.out, info.recv,
				info.send, info.modin, info.modout,
				analyze, info.align, info.storage,
				false, int64(0), int64(-1),
				int64(0), int64(info.collation), nil,
				nil, nil,
			})
		}
		user, err := enumTypeRows(ec)
		return append(out, user...), err
	}})
}
