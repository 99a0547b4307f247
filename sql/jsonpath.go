package sql

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// jsonpath (SQL/JSON path language) is not implemented. Its operators
// (jsonb @? and @@), functions and type are refused with 0A000 naming
// it, rather than failing as an unknown operator or type or, worse,
// matching another overload (tsvector's @@).

// jsonpathFuncs are the functions that take a jsonpath.
var jsonpathFuncs = map[string]bool{
	"jsonb_path_exists": true, "jsonb_path_match": true, "jsonb_path_query": true,
	"jsonb_path_query_array": true, "jsonb_path_query_first": true,
	"jsonb_path_exists_tz": true, "jsonb_path_match_tz": true, "jsonb_path_query_tz": true,
	"jsonb_path_query_array_tz": true, "jsonb_path_query_first_tz": true,
	"jsonb_path_exists_opr": true, "jsonb_path_match_opr": true,
}

func errJSONPath(what string) *pgerror.Error {
	return pgerror.New(pgerror.FeatureNotSupported, "jsonpath is not supported (%s)", what)
}

// jsonpathOperator reports whether l op … is a jsonpath operator.
func jsonpathOperator(op string, l types.T) bool {
	return (op == "@?" || op == "@@") && l.Oid == types.OidJSONB
}

// isJSONPathType reports whether a type name is jsonpath or its array.
func isJSONPathType(name string) bool { return name == "jsonpath" || name == "_jsonpath" }
