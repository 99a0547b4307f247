package sql

import (
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// validateConstraint runs ALTER TABLE ... VALIDATE CONSTRAINT: the rows
// a NOT VALID CHECK or FOREIGN KEY skipped are checked now, and the
// constraint becomes valid. Validating a valid constraint does nothing.
func (b *builder) validateConstraint(ec *execCtx, t *catalog.Table, name string) error {
	for i := range t.Checks {
		ch := &t.Checks[i]
		if ch.Name != name {
			continue
		}
		if !ch.NotValid {
			return nil
		}
		checker, err := b.newRowChecker(t)
		if err != nil {
			return err
		}
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			d, err := checker.checks[i].Eval(ec.Ctx, r)
			if err != nil {
				return err
			}
			if d == false {
				return pgerror.New(pgerror.CheckViolation, "check constraint %q of relation %q is violated by some row", ch.Name, t.Name)
			}
		}
		ch.NotValid = false
		return nil
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if fk.Name != name {
			continue
		}
		if !fk.NotValid {
			return nil
		}
		parent := t
		if fk.RefTable != t.ID {
			var err error
			if parent, err = b.cat.TableByID(b.ctx, fk.RefTable); err != nil {
				return err
			}
		}
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := checkReference(ec, t, fk, parent, r); err != nil {
				return err
			}
		}
		fk.NotValid = false
		return nil
	}
	for _, idx := range t.Indexes {
		if idx.Constraint && idx.Name == name {
			return pgerror.New(pgerror.WrongObjectType, "constraint %q of relation %q is not a foreign key or check constraint", name, t.Name)
		}
	}
	return pgerror.New(pgerror.UndefinedObject, "constraint %q of relation %q does not exist", name, t.Name)
}
