package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Named windows: a SELECT's WINDOW clause and the OVER clauses that refer
// to it, with the SQL standard's copying rules as PostgreSQL applies them.

// frameNonDefault is FRAMEOPTION_NONDEFAULT: the window has a frame clause.
const frameNonDefault = 0x00001

// resolveWindowClause resolves a WINDOW clause into its definitions by
// name, each with the windows it refers to already merged in.
func resolveWindowClause(clause []*pg_query.Node) (map[string]*pg_query.WindowDef, error) {
	if len(clause) == 0 {
		return nil, nil
	}
	defs := make(map[string]*pg_query.WindowDef, len(clause))
	for _, n := range clause {
		d := n.GetWindowDef()
		if d == nil {
			continue
		}
		if _, dup := defs[d.Name]; dup {
			return nil, pgerror.New(pgerror.WindowingError, "window \"%s\" is already defined", d.Name).WithPosition(int(d.Location) + 1)
		}
		resolved := d
		if d.Refname != "" {
			ref, ok := defs[d.Refname]
			if !ok {
				return nil, pgerror.New(pgerror.UndefinedObject, "window \"%s\" does not exist", d.Refname).WithPosition(int(d.Location) + 1)
			}
			var err error
			if resolved, err = mergeWindowRef(d, ref); err != nil {
				return nil, err
			}
		}
		defs[d.Name] = resolved
	}
	return defs, nil
}

// resolveOver returns the window an OVER clause means: OVER w is w itself,
// OVER (w ...) copies w's partitioning and ordering.
func resolveOver(w *pg_query.WindowDef, defs map[string]*pg_query.WindowDef) (*pg_query.WindowDef, error) {
	switch {
	case w.Name != "":
		d, ok := defs[w.Name]
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "window \"%s\" does not exist", w.Name).WithPosition(int(w.Location) + 1)
		}
		return d, nil
	case w.Refname != "":
		ref, ok := defs[w.Refname]
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "window \"%s\" does not exist", w.Refname).WithPosition(int(w.Location) + 1)
		}
		return mergeWindowRef(w, ref)
	}
	return w, nil
}

// mergeWindowRef applies the standard's rules for a window that names an
// earlier one: the partitioning is copied and may not be restated, the
// ordering may be added only when the referenced window has none, and the
// referenced window may not have a frame clause.
func mergeWindowRef(w, ref *pg_query.WindowDef) (*pg_query.WindowDef, error) {
	if len(w.PartitionClause) > 0 {
		return nil, pgerror.New(pgerror.WindowingError, "cannot override PARTITION BY clause of window \"%s\"", w.Refname).WithPosition(int(w.Location) + 1)
	}
	if len(w.OrderClause) > 0 && len(ref.OrderClause) > 0 {
		return nil, pgerror.New(pgerror.WindowingError, "cannot override ORDER BY clause of window \"%s\"", w.Refname).WithPosition(int(w.Location) + 1)
	}
	if ref.FrameOptions&frameNonDefault != 0 {
		return nil, pgerror.New(pgerror.WindowingError, "cannot copy window \"%s\" because it has a frame clause", w.Refname).WithPosition(int(w.Location) + 1)
	}
	merged := &pg_query.WindowDef{
		Name:            w.Name,
		PartitionClause: ref.PartitionClause,
		OrderClause:     w.OrderClause,
		FrameOptions:    w.FrameOptions,
		StartOffset:     w.StartOffset,
		EndOffset:       w.EndOffset,
		Location:        w.Location,
	}
	if len(merged.OrderClause) == 0 {
		merged.OrderClause = ref.OrderClause
	}
	return merged, nil
}
