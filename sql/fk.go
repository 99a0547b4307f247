package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Foreign keys (MATCH SIMPLE: a row with a NULL in its key references
// nothing). The child's descriptor holds the constraint; the parent's
// lists who references it, so deleting or updating a parent row finds
// the children without scanning the catalog. Every check reads through
// the statement's transaction, so a concurrent change that would break
// the constraint conflicts at commit.

func actionCode(a string) string {
	if a == "" || a == " " {
		return "a"
	}
	return a
}

func (b *builder) addForeignKey(ec *execCtx, t *catalog.Table, c *pg_query.Constraint, col string, validate bool) error {
	var parent *catalog.Table
	if c.Pktable.Relname == t.Name && (c.Pktable.Schemaname == "" || c.Pktable.Schemaname == t.Schema) {
		parent = t
	} else {
		p, err := b.lookupTable(c.Pktable)
		if err != nil {
			return err
		}
		parent = p.Clone()
		switch {
		case !t.Temporary() && parent.Temporary():
			return pgerror.New(pgerror.InvalidTableDefinition, "constraints on permanent tables may reference only permanent tables")
		case t.Temporary() && !parent.Temporary():
			return pgerror.New(pgerror.InvalidTableDefinition, "constraints on temporary tables may reference only temporary tables")
		}
	}
	fkCols := keyNames(c.FkAttrs)
	if col != "" && len(fkCols) == 0 {
		fkCols = []string{col}
	}
	refCols := keyNames(c.PkAttrs)
	if len(refCols) == 0 {
		for _, id := range parent.Primary().ColumnIDs {
			rc := parent.Columns[parent.ColumnIndexByID(id)]
			if rc.Hidden {
				return pgerror.New(pgerror.InvalidForeignKey, "there is no primary key for referenced table %q", parent.Name)
			}
			refCols = append(refCols, rc.Name)
		}
	}
	if len(fkCols) != len(refCols) {
		return pgerror.New(pgerror.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	fk := catalog.ForeignKey{Name: c.Conname, RefTable: parent.ID, OnDelete: actionCode(c.FkDelAction), OnUpdate: actionCode(c.FkUpdAction),
		Deferrable: c.Deferrable || c.Initdeferred, InitiallyDeferred: c.Initdeferred}
	for i, name := range fkCols {
		_, cc := t.ColumnByName(name)
		if cc == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", name)
		}
		_, rc := parent.ColumnByName(refCols[i])
		if rc == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", refCols[i])
		}
		if !types.CanCast(cc.Type, rc.Type, types.Implicit) && !cc.Type.Equal(rc.Type) {
			return pgerror.New(pgerror.DatatypeMismatch, "foreign key constraint %q cannot be implemented", fk.Name).
				WithDetail("Key columns %q and %q are of incompatible types: %s and %s.", name, refCols[i], types.TypeName(cc.Type), types.TypeName(rc.Type))
		}
		fk.ColumnIDs = append(fk.ColumnIDs, cc.ID)
		fk.RefColumnIDs = append(fk.RefColumnIDs, rc.ID)
	}
	if parentIndex(parent, fk.RefColumnIDs) == nil {
		return pgerror.New(pgerror.InvalidForeignKey, "there is no unique constraint matching given keys for referenced table %q", parent.Name)
	}
	if fk.Name == "" {
		// ChooseConstraintName: a number is appended until the name is
		// free (c_a_fkey, c_a_fkey1, ...).
		base := fmt.Sprintf("%s_%s_fkey", t.Name, strings.Join(fkCols, "_"))
		fk.Name = base
		for n := 1; t.HasConstraintNamed(fk.Name); n++ {
			fk.Name = fmt.Sprintf("%s%d", base, n)
		}
	}
	t.ForeignKeys = append(t.ForeignKeys, fk)
	parent.ReferencedBy = append(parent.ReferencedBy, catalog.ForeignKeyRef{Table: t.ID, Name: fk.Name})
	if parent != t {
		if err := b.cat.WriteTable(b.ctx, parent); err != nil {
			return err
		}
	}
	if validate {
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := checkReference(ec, t, &t.ForeignKeys[len(t.ForeignKeys)-1], parent, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// parentIndex finds the parent's unique index on exactly cols.
func parentIndex(parent *catalog.Table, cols []uint32) *catalog.Index {
	for i := range parent.Indexes {
		idx := &parent.Indexes[i]
		if (idx.Unique || idx.Primary) && idx.Plain() && sameIDs(idx.ColumnIDs, cols) {
			return idx
		}
	}
	return nil
}

func fkValues(t *catalog.Table, ids []uint32, r exec.Row) (exec.Row, bool) {
	out := make(exec.Row, len(ids))
	for i, id := range ids {
		out[i] = r[t.ColumnIndexByID(id)]
		if out[i] == nil {
			return nil, false
		}
	}
	return out, true
}

// checkReference verifies that child row r's key exists in the parent.
func checkReference(ec *execCtx, child *catalog.Table, fk *catalog.ForeignKey, parent *catalog.Table, r exec.Row) error {
	vals, ok := fkValues(child, fk.ColumnIDs, r)
	if !ok {
		return nil
	}
	idx := parentIndex(parent, fk.RefColumnIDs)
	probe := make(exec.Row, len(parent.Columns))
	for i, id := range fk.RefColumnIDs {
		ci := parent.ColumnIndexByID(id)
		v, err := types.Cast(vals[i], child.Columns[child.ColumnIndexByID(fk.ColumnIDs[i])].Type, parent.Columns[ci].Type, false, ec.Settings())
		if err != nil {
			return err
		}
		probe[ci] = v
	}
	var exists bool
	if idx.Primary {
		// Only the parent row's existence matters: an existence read does
		// not conflict with concurrent updates of the parent's other
		// columns (PostgreSQL takes a KEY SHARE lock for the same reason).
		key, err := primaryKey(parent, probe)
		if err != nil {
			return err
		}
		if exists, err = ec.Txn.Exists(ec.Context, key); err != nil {
			return kverror.AsSQL(err)
		}
	} else {
		found, err := fetchByIndex(ec, parent, idx, probe)
		if err != nil {
			return err
		}
		exists = found != nil
	}
	if !exists {
		return pgerror.New(pgerror.ForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", child.Name, fk.Name).
			WithDetail("Key %s is not present in table %q.", fkKeyText(ec, child, fk.ColumnIDs, r), parent.Name).
			WithConstraint(child.Schema, child.Name, fk.Name)
	}
	return nil
}

func fkKeyText(ec *execCtx, t *catalog.Table, ids []uint32, r exec.Row) string {
	var names, vals []string
	for _, id := range ids {
		ci := t.ColumnIndexByID(id)
		names = append(names, t.Columns[ci].Name)
		if r[ci] == nil {
			vals = append(vals, "null")
		} else {
			vals = append(vals, types.FormatText(t.Columns[ci].Type, r[ci], ec.Settings()))
		}
	}
	return fmt.Sprintf("(%s)=(%s)", strings.Join(names, ", "), strings.Join(vals, ", "))
}

// checkChildRow enforces t's foreign keys for a new or changed row.
func checkChildRow(ec *execCtx, t *catalog.Table, r exec.Row) error {
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		parent := t
		if fk.RefTable != t.ID {
			var err error
			if parent, err = ec.Catalog.TableByID(ec.Context, fk.RefTable); err != nil {
				return err
			}
			if parent == nil {
				continue
			}
		}
		if ec.fkDeferred(t, fk) {
			if err := ec.deferChildCheck(t, fk, r); err != nil {
				return err
			}
			continue
		}
		if err := checkReference(ec, t, fk, parent, r); err != nil {
			return err
		}
	}
	return nil
}

// referencingRows returns the child rows whose key equals the parent
// row's referenced values.
func referencingRows(ec *execCtx, child *catalog.Table, fk *catalog.ForeignKey, parent *catalog.Table, pr exec.Row) ([]exec.Row, error) {
	want := make(exec.Row, len(fk.RefColumnIDs))
	for i, id := range fk.RefColumnIDs {
		want[i] = pr[parent.ColumnIndexByID(id)]
		if want[i] == nil {
			return nil, nil
		}
	}
	sc := &exec.ScanNode{Table: child, Cols: tableCols(child, child.Name), Index: child.Primary()}
	// Use an index whose leading columns are the key, if there is one.
	for i := range child.Indexes {
		idx := &child.Indexes[i]
		if !idx.Partial() && len(idx.ColumnIDs) >= len(fk.ColumnIDs) && sameIDs(idx.ColumnIDs[:len(fk.ColumnIDs)], fk.ColumnIDs) {
			sc.Index = idx
			for _, id := range idx.ColumnIDs[:len(fk.ColumnIDs)] {
				for k, fid := range fk.ColumnIDs {
					if fid == id {
						ct := child.Columns[child.ColumnIndexByID(id)].Type
						pt := parent.Columns[parent.ColumnIndexByID(fk.RefColumnIDs[k])].Type
						sc.Eq = append(sc.Eq, &exec.ConstExpr{Value: want[k], T: pt})
						_ = ct
					}
				}
			}
			break
		}
	}
	rows, err := exec.Collect(ec.Ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, r := range rows {
		match := true
		for k, id := range fk.ColumnIDs {
			ci := child.ColumnIndexByID(id)
			pt := parent.Columns[parent.ColumnIndexByID(fk.RefColumnIDs[k])].Type
			if r[ci] == nil {
				match = false
				break
			}
			v, err := types.Cast(r[ci], child.Columns[ci].Type, pt, false, ec.Settings())
			if err != nil || types.Compare(pt, v, want[k]) != 0 {
				match = false
				break
			}
		}
		if match {
			out = append(out, r)
		}
	}
	return out, nil
}

// onParentChange applies the referencing constraints of parent when row
// old is deleted (new == nil) or updated to new.
func onParentChange(ec *execCtx, parent *catalog.Table, old, new exec.Row, depth int) error {
	if len(parent.ReferencedBy) == 0 {
		return nil
	}
	if depth > 64 {
		return pgerror.New(pgerror.ProgramLimitExceeded, "foreign key cascade too deep")
	}
	for _, ref := range parent.ReferencedBy {
		child := parent
		if ref.Table != parent.ID {
			var err error
			if child, err = ec.Catalog.TableByID(ec.Context, ref.Table); err != nil {
				return err
			}
			if child == nil {
				continue
			}
		}
		var fk *catalog.ForeignKey
		for i := range child.ForeignKeys {
			if child.ForeignKeys[i].Name == ref.Name {
				fk = &child.ForeignKeys[i]
			}
		}
		if fk == nil {
			continue
		}
		if new != nil {
			changed := false
			for _, id := range fk.RefColumnIDs {
				ci := parent.ColumnIndexByID(id)
				if (old[ci] == nil) != (new[ci] == nil) || (old[ci] != nil && types.Compare(parent.Columns[ci].Type, old[ci], new[ci]) != 0) {
					changed = true
				}
			}
			if !changed {
				continue
			}
		}
		children, err := referencingRows(ec, child, fk, parent, old)
		if err != nil || len(children) == 0 {
			if err != nil {
				return err
			}
			continue
		}
		action := fk.OnDelete
		if new != nil {
			action = fk.OnUpdate
		}
		switch action {
		case "c":
			for _, cr := range children {
				if new == nil {
					if err := deleteRow(ec, child, cr); err != nil {
						return err
					}
					if err := onParentChange(ec, child, cr, nil, depth+1); err != nil {
						return err
					}
					continue
				}
				nr := append(exec.Row(nil), cr...)
				for k, id := range fk.ColumnIDs {
					nr[child.ColumnIndexByID(id)] = new[parent.ColumnIndexByID(fk.RefColumnIDs[k])]
				}
				if err := updateRow(ec, child, cr, nr); err != nil {
					return err
				}
			}
		case "n":
			for _, cr := range children {
				nr := append(exec.Row(nil), cr...)
				for _, id := range fk.ColumnIDs {
					nr[child.ColumnIndexByID(id)] = nil
				}
				if err := updateRow(ec, child, cr, nr); err != nil {
					return err
				}
			}
		default:
			if action == "a" && ec.fkDeferred(child, fk) {
				// NO ACTION waits: the key may be back, or the children
				// gone, by the time the constraint is checked.
				if err := ec.deferParentCheck(parent, child, fk, old); err != nil {
					return err
				}
				continue
			}
			return pgerror.New(pgerror.ForeignKeyViolation, "update or delete on table %q violates foreign key constraint %q on table %q", parent.Name, fk.Name, child.Name).
				WithDetail("Key %s is still referenced from table %q.", fkKeyText(ec, parent, fk.RefColumnIDs, old), child.Name).
				WithConstraint(child.Schema, child.Name, fk.Name)
		}
	}
	return nil
}

// dropForeignKeys detaches t from the constraints it takes part in before
// it is dropped: references from other tables block the drop unless they
// are dropped too or CASCADE removes the constraints.
func (b *builder) dropForeignKeys(ec *execCtx, t *catalog.Table) error {
	for _, ref := range t.ReferencedBy {
		if ref.Table == t.ID || b.dropping[ref.Table] {
			continue
		}
		child, err := b.cat.TableByID(b.ctx, ref.Table)
		if err != nil {
			return err
		}
		if child == nil {
			continue
		}
		if !b.dropCascade {
			return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", t.Name).
				WithDetail("constraint %s on table %s depends on table %s", ref.Name, child.Name, t.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		child = child.Clone()
		removeFK(child, ref.Name)
		if err := b.cat.WriteTable(b.ctx, child); err != nil {
			return err
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.RefTable == t.ID || b.dropping[fk.RefTable] {
			continue
		}
		if err := b.detachReference(fk.RefTable, t.ID, fk.Name); err != nil {
			return err
		}
	}
	return nil
}

// detachReference removes (child, name) from the parent's ReferencedBy.
func (b *builder) detachReference(parentID, childID uint32, name string) error {
	parent, err := b.cat.TableByID(b.ctx, parentID)
	if err != nil || parent == nil {
		return err
	}
	parent = parent.Clone()
	kept := parent.ReferencedBy[:0]
	for _, r := range parent.ReferencedBy {
		if r.Table != childID || r.Name != name {
			kept = append(kept, r)
		}
	}
	parent.ReferencedBy = kept
	return b.cat.WriteTable(b.ctx, parent)
}

func removeFK(t *catalog.Table, name string) bool {
	for i, fk := range t.ForeignKeys {
		if fk.Name == name {
			t.ForeignKeys = append(t.ForeignKeys[:i], t.ForeignKeys[i+1:]...)
			return true
		}
	}
	return false
}

// checkChildRowChanged checks the foreign keys whose columns an UPDATE
// changed; an unchanged key needs no check (as PostgreSQL's RI triggers
// do), which keeps updates of other columns from reading the parent.
func checkChildRowChanged(ec *execCtx, t *catalog.Table, old, new exec.Row) error {
	if len(t.ForeignKeys) == 0 {
		return nil
	}
	var changed []catalog.ForeignKey
	for _, fk := range t.ForeignKeys {
		for _, id := range fk.ColumnIDs {
			ci := t.ColumnIndexByID(id)
			if (old[ci] == nil) != (new[ci] == nil) || (old[ci] != nil && types.Compare(t.Columns[ci].Type, old[ci], new[ci]) != 0) {
				changed = append(changed, fk)
				break
			}
		}
	}
	if len(changed) == 0 {
		return nil
	}
	view := *t
	view.ForeignKeys = changed
	return checkChildRow(ec, &view, new)
}
