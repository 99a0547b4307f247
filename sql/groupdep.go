package sql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Functional dependency in GROUP BY (check_functional_grouping): when a
// query groups by every column of a table's primary key, the table's
// other columns have one value per group, so the select list, HAVING and
// ORDER BY may name them ungrouped — what Django's annotate(Count(...))
// writes (SELECT t.id, t.name, count(...) ... GROUP BY t.id). As in
// PostgreSQL 15 only the primary key counts (not a UNIQUE NOT NULL
// constraint), its columns must be grouped as plain columns of the same
// FROM item, and the table must be read directly (not through a view or
// subquery). A view relying on it records the dependency, so dropping the
// key is 2BP01 (depend.go).

// functionallyDependent reports whether col, an ungrouped column of the
// aggregation's input, is determined by the grouped columns.
func (b *builder) functionallyDependent(info *aggInfo, col exec.Column) (bool, error) {
	if !col.Base || col.TableOID == 0 || len(info.groups) == 0 {
		return false, nil
	}
	t, err := b.cat.TableByID(b.ctx, col.TableOID)
	if err != nil || t == nil || t.Kind != catalog.KindTable || len(t.Indexes) == 0 || t.HasHiddenRowID() {
		return false, err
	}
	pk := t.Primary()
	for _, id := range pk.ColumnIDs {
		i := t.ColumnIndexByID(id)
		if id == 0 || i < 0 {
			return false, nil
		}
		grouped := false
		for _, g := range info.groups {
			ref, ok := g.(*exec.ColRef)
			if !ok || ref.Level != 0 {
				continue
			}
			gc := info.input.cols[ref.Idx]
			if gc.Base && gc.TableOID == col.TableOID && gc.Table == col.Table && gc.AttNum == int16(i+1) {
				grouped = true
				break
			}
		}
		if !grouped {
			return false, nil
		}
	}
	if b.groupDeps == nil {
		b.groupDeps = map[uint32]string{}
	}
	b.groupDeps[t.ID] = pk.Name
	return true, nil
}

// dependentColumn carries a functionally dependent column through the
// aggregation as a hidden aggregate keeping its group's value.
func (b *builder) dependentColumn(info *aggInfo, ref *exec.ColRef, key string) exec.Expr {
	key = "dependent:" + key
	for i, k := range info.aggKeys {
		if k == key {
			return &exec.ColRef{Idx: len(info.groups) + i, T: ref.T, Name: ref.Name}
		}
	}
	info.aggs = append(info.aggs, &exec.AggCall{Agg: groupValueAgg, Args: []exec.Expr{&exec.ColRef{Idx: ref.Idx, T: ref.T, Name: ref.Name}}, T: ref.T})
	info.aggKeys = append(info.aggKeys, key)
	return &exec.ColRef{Idx: len(info.groups) + len(info.aggs) - 1, T: ref.T, Name: ref.Name}
}

// groupValueAgg keeps the first value it sees, NULL included: every row
// of a group has the same value of a dependent column.
var groupValueAgg = &builtins.Aggregate{
	Args:        []types.T{types.Any},
	CountsNulls: true,
	New:         func() builtins.Accumulator { return &groupValueAcc{} },
}

type groupValueAcc struct {
	v    types.Datum
	seen bool
}

func (a *groupValueAcc) Add(_ *builtins.Context, args []types.Datum) error {
	if !a.seen {
		a.v, a.seen = args[0], true
	}
	return nil
}

func (a *groupValueAcc) Result(*builtins.Context) (types.Datum, error) { return a.v, nil }

// primaryKeyDependents refuses (2BP01) to drop t's primary key while a
// foreign key references it or a view's GROUP BY relies on it, with
// PostgreSQL's DETAIL lines.
func (b *builder) primaryKeyDependents(t *catalog.Table) error {
	pk := t.Primary()
	var lines []string
	for _, r := range t.ReferencedBy {
		child, err := b.cat.TableByID(b.ctx, r.Table)
		if err != nil {
			return err
		}
		if child == nil {
			continue
		}
		for _, fk := range child.ForeignKeys {
			if fk.Name == r.Name && fk.RefTable == t.ID && slices.Equal(fk.RefColumnIDs, pk.ColumnIDs) {
				lines = append(lines, fmt.Sprintf("constraint %s on table %s depends on index %s", fk.Name, child.Name, pk.Name))
			}
		}
	}
	all, err := b.cat.Tables(b.ctx, t.DBID)
	if err != nil {
		return err
	}
	for _, v := range all {
		if v.Kind != catalog.KindView {
			continue
		}
		for _, d := range v.ViewDeps {
			if d.RelID == t.ID && d.Constraint == pk.Name {
				lines = append(lines, fmt.Sprintf("view %s depends on constraint %s on table %s", v.Name, pk.Name, t.Name))
			}
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop constraint %s on table %s because other objects depend on it", pk.Name, t.Name).
		WithDetail("%s", strings.Join(lines, "\n")).
		WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
}
