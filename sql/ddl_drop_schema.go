package sql

import (
	"fmt"
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// schemaDropDependents is DROP SCHEMA's report of what lives in the
// schema, as PostgreSQL's reportDependentObjects makes it: without
// CASCADE a 2BP01 naming each object, with it a NOTICE listing what is
// dropped. The objects come in creation order, each followed by the
// views outside the schema that read it; sequences owned by a column go
// with their table unreported, as PostgreSQL's auto dependencies do.
// b.dropping must already hold the schema's relations.
func (b *builder) schemaDropDependents(ec *execCtx, schema string, all []*catalog.Table, cascade bool) error {
	in := make([]*catalog.Table, 0, len(all))
	for _, t := range all {
		if t.Schema == schema {
			in = append(in, t)
		}
	}
	sort.Slice(in, func(i, j int) bool { return in[i].ID < in[j].ID })
	path := searchPathSchemas(b.sess.vars.get("search_path"), b.sess.user)
	// Named as getObjectDescription names relations: with the schema
	// when it is not on the search path.
	describe := func(t *catalog.Table) string {
		if path[t.Schema] {
			return relKindName(t) + " " + quoteIdent(t.Name)
		}
		return relKindName(t) + " " + quoteIdent(t.Schema) + "." + quoteIdent(t.Name)
	}
	type object struct{ desc, on string }
	var objs []object
	seen := map[uint32]bool{}
	for _, t := range in {
		if t.Kind == catalog.KindSequence && t.OwnedBy != "" {
			continue
		}
		objs = append(objs, object{describe(t), "schema " + quoteIdent(schema)})
		deps, err := b.dependentsOf(t, 0, "")
		if err != nil {
			return err
		}
		direct := relKindName(t) + " " + t.Name
		for _, d := range deps {
			if d.view != nil && !b.dropping[d.view.ID] && !seen[d.view.ID] {
				seen[d.view.ID] = true
				on := d.on
				if on == direct {
					on = describe(t)
				}
				objs = append(objs, object{describe(d.view), on})
			}
		}
	}
	if len(objs) == 0 {
		return nil
	}
	lines := make([]string, len(objs))
	for i, o := range objs {
		if cascade {
			lines[i] = "drop cascades to " + o.desc
		} else {
			lines[i] = o.desc + " depends on " + o.on
		}
	}
	switch {
	case !cascade:
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", schema).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	case len(lines) == 1:
		ec.AddNotice(lines[0])
	default:
		ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion,
			Message: fmt.Sprintf("drop cascades to %d other objects", len(lines)), Detail: strings.Join(lines, "\n")})
	}
	return nil
}
