package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// selectField builds (e).name with PostgreSQL's errors for a value that
// is not a record or a record without that column.
func selectField(e exec.Expr, name string) (exec.Expr, error) {
	t := e.Typ()
	if t.Family != types.RecordFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", name, types.TypeName(t))
	}
	if t.Fields != nil {
		for i, n := range t.Fields.Names {
			if n == name {
				return &exec.FieldExpr{E: e, Idx: i, T: t.Fields.Types[i]}, nil
			}
		}
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "could not identify column \"%s\" in record data type", name)
}

// expandRecordStar expands (e).* in a select list into one entry per
// column of the record e.
func (b *builder) expandRecordStar(ind *pg_query.A_Indirection, s *scope) ([]target, error) {
	inner := &pg_query.A_Indirection{Arg: ind.Arg, Indirection: ind.Indirection[:len(ind.Indirection)-1]}
	var e exec.Expr
	var err error
	if len(inner.Indirection) == 0 {
		e, err = b.buildExpr(inner.Arg, s)
	} else {
		e, err = b.buildExpr(&pg_query.Node{Node: &pg_query.Node_AIndirection{AIndirection: inner}}, s)
	}
	if err != nil {
		return nil, err
	}
	t := e.Typ()
	if t.Family != types.RecordFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "type %s is not composite", types.TypeName(t))
	}
	if t.Fields == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "record type has not been registered")
	}
	out := make([]target, len(t.Fields.Names))
	for i, n := range t.Fields.Names {
		out[i] = target{e: &exec.FieldExpr{E: e, Idx: i, T: t.Fields.Types[i]}, col: exec.Column{Name: n, T: t.Fields.Types[i]}}
	}
	return out, nil
}
