package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

func (b *builder) planCreateSequence(cs *pg_query.CreateSeqStmt) (*stmtPlan, error) {
	return tagOnly("CREATE SEQUENCE", func(ec *execCtx) error {
		schema, _, err := b.creationSchema(cs.Sequence.Schemaname, cs.Sequence.Relpersistence == "t")
		if err != nil {
			return err
		}
		if _, exists, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, cs.Sequence.Relname); err != nil {
			return err
		} else if exists {
			if cs.IfNotExists {
				ec.AddNotice("relation \"" + cs.Sequence.Relname + "\" already exists, skipping")
				return nil
			}
			return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", cs.Sequence.Relname)
		}
		spec, err := b.parseSeqOptions(cs.Options)
		if err != nil {
			return err
		}
		opts, err := spec.newSeqOptions(types.Int8)
		if err != nil {
			return err
		}
		seq, err := b.createSequence(ec, schema, cs.Sequence.Relname, opts)
		if err != nil {
			return err
		}
		if spec.ownedBy != nil {
			if err := b.setSequenceOwnedBy(seq, spec.ownedBy); err != nil {
				return err
			}
		}
		return b.cat.WriteTable(b.ctx, seq)
	}), nil
}

// planAlterSequence changes a sequence's options or the column it
// belongs to (pg_dump's ALTER SEQUENCE ... OWNED BY after a serial
// column's CREATE SEQUENCE). Like the option changes, RESTART commits
// with the statement's transaction.
func (b *builder) planAlterSequence(as *pg_query.AlterSeqStmt) (*stmtPlan, error) {
	spec, err := b.parseSeqOptions(as.Options)
	if err != nil {
		return nil, err
	}
	if spec.sequenceName != nil {
		return nil, pgerror.New(pgerror.SyntaxError, "invalid sequence option SEQUENCE NAME")
	}
	return tagOnly("ALTER SEQUENCE", func(ec *execCtx) error {
		seq, err := b.lookupSequence(as.Sequence)
		if err != nil {
			if as.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
				ec.AddNotice("relation \"" + as.Sequence.Relname + "\" does not exist, skipping")
				return nil
			}
			return err
		}
		seq = seq.Clone()
		if err := spec.alter(seq.Sequence); err != nil {
			return err
		}
		if spec.ownedBy != nil {
			if err := b.setSequenceOwnedBy(seq, spec.ownedBy); err != nil {
				return err
			}
		}
		if err := b.cat.WriteTable(b.ctx, seq); err != nil {
			return err
		}
		if spec.restart {
			v := seq.Sequence.Start
			if spec.restartWith != nil {
				v = *spec.restartWith
			}
			if err := seqValueInRange("RESTART", v, seq.Sequence); err != nil {
				return err
			}
			// Transactional, as in PostgreSQL: the stored value is the
			// last one handed out, the one before the restart value.
			return kverror.AsSQL(ec.Txn.Put(ec.Context, catalog.SequenceValueKey(seq.ID), be64(v-seq.Sequence.Increment)))
		}
		return nil
	}), nil
}

// lookupSequence resolves a sequence by name; other relations are 42809
// as in PostgreSQL ("x" is not a sequence).
func (b *builder) lookupSequence(rv *pg_query.RangeVar) (*catalog.Table, error) {
	schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
	if err != nil {
		return nil, err
	}
	t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", qualifiedName(rv))
	}
	if t.Kind != catalog.KindSequence {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", rv.Relname)
	}
	if rv == b.ownerTarget {
		if err := b.checkOwner(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func qualifiedName(rv *pg_query.RangeVar) string {
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// setSequenceOwnedBy ties a sequence to table.column (dropped with the
// table), or unties it for OWNED BY NONE. As in PostgreSQL the table must
// be in the sequence's schema.
func (b *builder) setSequenceOwnedBy(seq *catalog.Table, names []string) error {
	if len(names) == 1 && strings.EqualFold(names[0], "none") {
		seq.OwnedBy = ""
		return nil
	}
	if len(names) < 2 {
		return pgerror.New(pgerror.InvalidParameterValue, "invalid OWNED BY option").
			WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
	}
	col := names[len(names)-1]
	rv := &pg_query.RangeVar{Relname: names[len(names)-2], Location: -1}
	if len(names) > 2 {
		rv.Schemaname = names[len(names)-3]
	}
	t, err := b.lookupTable(rv)
	if err != nil {
		return err
	}
	if t.Schema != seq.Schema {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to")
	}
	if _, c := t.ColumnByName(col); c == nil || c.Hidden {
		return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", col, t.Name)
	}
	seq.OwnedBy = t.Name + "." + col
	return nil
}
