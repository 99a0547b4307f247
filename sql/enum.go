package sql

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Enum types: CREATE TYPE ... AS ENUM, ALTER TYPE, DROP TYPE. A type is
// a descriptor in kv's system space, like a table's, read through the
// statement's transaction, so every node sees a new label the moment
// the ALTER TYPE commits, and a statement that used the old list
// conflicts with it:
//
//	type/<id>                        → catalog.UserType (JSON)
//	tns/<db id>/<schema>\x00<name>   → type id (uint32 BE)
//
// Its id is the type's pg_type oid (from the shared id generator, like
// relations), the array type takes the next id. Table descriptors store
// an enum column's type by oid only; tableByID fills in the labels from
// the type's current descriptor (hydrateEnums), and the label list
// travels with the column's types.T (types/enum.go has the value
// semantics: labels, order keys, comparisons).

// lookupUserType resolves a type name that is no builtin: an enum type
// of the session's database by schema-qualified name or on the search
// path, or its array (name[] or _name). ok is false when there is none.
func (b *builder) lookupUserType(names []string, arrayBounds int) (types.T, bool, error) {
	var schemas []string
	name := names[len(names)-1]
	switch len(names) {
	case 1:
		for _, s := range b.sess.searchPath() {
			if s == "pg_temp" {
				if own := b.sess.ownTempSchema(); own != "" {
					schemas = append(schemas, own)
				}
				continue
			}
			schemas = append(schemas, s)
		}
	case 2:
		schemas = []string{names[0]}
	case 3:
		if names[0] != b.sess.dbName {
			return types.T{}, false, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: %s", strings.Join(names, "."))
		}
		schemas = []string{names[1]}
	default:
		return types.T{}, false, nil
	}
	for _, s := range schemas {
		_, info, err := b.cat.TypeByName(b.ctx, b.sess.dbID, s, name)
		if err != nil {
			return types.T{}, false, err
		}
		isArray := false
		if info == nil && strings.HasPrefix(name, "_") {
			if _, info, err = b.cat.TypeByName(b.ctx, b.sess.dbID, s, name[1:]); err != nil {
				return types.T{}, false, err
			}
			isArray = info != nil
		}
		if info == nil {
			continue
		}
		t := types.EnumOf(info)
		if isArray || arrayBounds > 0 {
			t = types.ArrayOf(t)
		}
		return t, true, nil
	}
	return types.T{}, false, nil
}

// typeNameOfOid is format_type's name of oid, "" when no type has it.
func (s *Session) typeNameOfOid(oid uint32) string {
	name := ""
	_ = s.engine.withReadTxn(context.Background(), func(c *catalog.Txn) error {
		c.Session = s
		t, ok, err := c.TypeFromOID(context.Background(), oid)
		if ok {
			name = types.TypeNameNoMod(t)
		}
		return err
	})
	return name
}

// paramTypeOfOid is the type a Parse message names by oid: a builtin, or
// an enum type (or its array) of the catalog, which psycopg's EnumInfo
// adapters send values as.
func (s *Session) paramTypeOfOid(ctx context.Context, oid uint32) (types.T, bool, error) {
	if t, ok := types.FromOid(oid); ok || oid < catalog.FirstUserID {
		return t, ok, nil
	}
	var t types.T
	var ok bool
	err := s.engine.withReadTxn(ctx, func(c *catalog.Txn) error {
		c.Session = s
		var err error
		t, ok, err = c.TypeFromOID(ctx, oid)
		return err
	})
	return t, ok, err
}

// qualifiedTypeName splits a CREATE/ALTER/DROP TYPE name.
func (b *builder) typeTarget(names []*pg_query.Node, creating bool) (schema, name string, err error) {
	parts := keyNames(names)
	name = parts[len(parts)-1]
	if len(parts) >= 2 {
		schema = parts[len(parts)-2]
	}
	if creating {
		s, _, err := b.creationSchema(schema, false)
		return s, name, err
	}
	if schema != "" {
		return schema, name, nil
	}
	for _, s := range b.sess.searchPath() {
		if s == "pg_temp" {
			continue
		}
		d, _, err := b.cat.TypeByName(b.ctx, b.sess.dbID, s, name)
		if err != nil {
			return "", "", err
		}
		if d != nil {
			return s, name, nil
		}
	}
	return "public", name, nil
}

// planCreateEnum runs CREATE TYPE name AS ENUM ('a', 'b', ...).
func (b *builder) planCreateEnum(cs *pg_query.CreateEnumStmt) (*stmtPlan, error) {
	return tagOnly("CREATE TYPE", func(ec *execCtx) error {
		schema, name, err := b.typeTarget(cs.TypeName, true)
		if err != nil {
			return err
		}
		if d, _, err := b.cat.TypeByName(b.ctx, b.sess.dbID, schema, name); err != nil {
			return err
		} else if d != nil {
			return pgerror.New(pgerror.DuplicateObject, "type %q already exists", name)
		}
		if _, err := types.ParseTypeName([]string{name}, nil, 0); err == nil && schema == "pg_catalog" {
			return pgerror.New(pgerror.DuplicateObject, "type %q already exists", name)
		}
		if t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, name); err != nil {
			return err
		} else if t != nil {
			// A relation has a row type of its name.
			return pgerror.New(pgerror.DuplicateObject, "type %q already exists", name).
				WithHint("A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type.")
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		arrayID, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		d := &catalog.UserType{ID: id, ArrayID: arrayID, DBID: b.sess.dbID, Schema: schema, Name: name, Owner: b.sess.user}
		labels := make([]string, len(cs.Vals))
		for i, v := range cs.Vals {
			labels[i] = v.GetString_().GetSval()
		}
		keys := types.EnumInitialKeys(len(labels))
		seen := map[string]bool{}
		for i, l := range labels {
			if err := checkEnumLabel(l); err != nil {
				return err
			}
			if seen[l] {
				// What PostgreSQL's unique index on pg_enum reports.
				return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"").
					WithDetail("Key (enumtypid, enumlabel)=(%d, %s) already exists.", id, l)
			}
			seen[l] = true
			oid, err := b.cat.NewID(b.ctx)
			if err != nil {
				return err
			}
			d.Labels = append(d.Labels, catalog.EnumLabel{OID: oid, Label: l, Sort: float32(i + 1), Key: keys[i]})
		}
		return b.cat.WriteType(b.ctx, d)
	}), nil
}

// checkEnumLabel applies PostgreSQL's limits on a label.
func checkEnumLabel(l string) error {
	if len(l) > 63 || l == "" {
		return pgerror.New(pgerror.InvalidName, "invalid enum label %q", l).WithDetail("Labels must be 63 bytes or less.")
	}
	return nil
}

// findType resolves an ALTER/DROP TYPE name to its descriptor; nil
// without error when missing and missingOK.
func (b *builder) findType(names []*pg_query.Node, missingOK bool) (*catalog.UserType, error) {
	schema, name, err := b.typeTarget(names, false)
	if err != nil {
		return nil, err
	}
	d, _, err := b.cat.TypeByName(b.ctx, b.sess.dbID, schema, name)
	if err != nil {
		return nil, err
	}
	if d == nil {
		if missingOK {
			return nil, nil
		}
		if _, err := types.ParseTypeName(keyNames(names), nil, 0); err == nil {
			return nil, pgerror.New(pgerror.WrongObjectType, "%s is not an enum", strings.Join(keyNames(names), "."))
		}
		return nil, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", strings.Join(keyNames(names), "."))
	}
	cp := *d
	cp.Labels = append([]catalog.EnumLabel(nil), d.Labels...)
	return &cp, nil
}

// planAlterEnum runs ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v'
// [BEFORE | AFTER 'w'] and ALTER TYPE name RENAME VALUE 'a' TO 'b'.
func (b *builder) planAlterEnum(as *pg_query.AlterEnumStmt) (*stmtPlan, error) {
	return tagOnly("ALTER TYPE", func(ec *execCtx) error {
		d, err := b.findType(as.TypeName, false)
		if err != nil {
			return err
		}
		if as.OldVal != "" {
			return b.renameEnumValue(d, as.OldVal, as.NewVal)
		}
		return b.addEnumValue(ec, d, as)
	}), nil
}

func (b *builder) renameEnumValue(d *catalog.UserType, oldVal, newVal string) error {
	at := -1
	for i, l := range d.Labels {
		if l.Label == newVal {
			return pgerror.New(pgerror.DuplicateObject, "enum label %q already exists", newVal)
		}
		if l.Label == oldVal {
			at = i
		}
	}
	if at < 0 {
		return pgerror.New(pgerror.InvalidParameterValue, "%q is not an existing enum label", oldVal)
	}
	if err := checkEnumLabel(newVal); err != nil {
		return err
	}
	d.Labels[at].Label = newVal
	return b.cat.WriteType(b.ctx, d)
}

// addEnumValue is AddEnumLabel: the new label goes at the end or beside
// its neighbour, with a displayed sort order halfway between the
// neighbours' (PostgreSQL renumbers them 1..n when a float4 has no room
// left), and an order key between theirs.
func (b *builder) addEnumValue(ec *execCtx, d *catalog.UserType, as *pg_query.AlterEnumStmt) error {
	for _, l := range d.Labels {
		if l.Label == as.NewVal {
			if as.SkipIfNewValExists {
				ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.DuplicateObject,
					Message: fmt.Sprintf("enum label %q already exists, skipping", as.NewVal)})
				return nil
			}
			return pgerror.New(pgerror.DuplicateObject, "enum label %q already exists", as.NewVal)
		}
	}
	if err := checkEnumLabel(as.NewVal); err != nil {
		return err
	}
	pos := len(d.Labels) // insert before index pos
	if as.NewValNeighbor != "" {
		nb := -1
		for i, l := range d.Labels {
			if l.Label == as.NewValNeighbor {
				nb = i
			}
		}
		if nb < 0 {
			return pgerror.New(pgerror.InvalidParameterValue, "%q is not an existing enum label", as.NewValNeighbor)
		}
		pos = nb
		if as.NewValIsAfter {
			pos = nb + 1
		}
	}
	var prevKey, nextKey []byte
	if pos > 0 {
		prevKey = d.Labels[pos-1].Key
	}
	if pos < len(d.Labels) {
		nextKey = d.Labels[pos].Key
	}
	oid, err := b.cat.NewID(b.ctx)
	if err != nil {
		return err
	}
	nl := catalog.EnumLabel{OID: oid, Label: as.NewVal, Key: types.EnumKeyBetween(prevKey, nextKey)}
	for {
		switch {
		case len(d.Labels) == 0:
			nl.Sort = 1
		case pos == len(d.Labels):
			nl.Sort = d.Labels[pos-1].Sort + 1
		case pos == 0:
			nl.Sort = d.Labels[0].Sort - 1
		default:
			lo, hi := d.Labels[pos-1].Sort, d.Labels[pos].Sort
			nl.Sort = lo + (hi-lo)/2
			if nl.Sort == lo || nl.Sort == hi {
				for i := range d.Labels {
					d.Labels[i].Sort = float32(i + 1)
				}
				continue
			}
		}
		break
	}
	if math.IsInf(float64(nl.Sort), 0) {
		return pgerror.New(pgerror.ProgramLimitExceeded, "enum sort order out of range")
	}
	d.Labels = append(d.Labels, catalog.EnumLabel{})
	copy(d.Labels[pos+1:], d.Labels[pos:])
	d.Labels[pos] = nl
	sort.SliceStable(d.Labels, func(i, j int) bool { return bytes.Compare(d.Labels[i].Key, d.Labels[j].Key) < 0 })
	return b.cat.WriteType(b.ctx, d)
}

// planDropType runs DROP TYPE [IF EXISTS] name [, ...] [CASCADE |
// RESTRICT]: a column of the type (or of its array) blocks it (2BP01)
// unless CASCADE drops the column.
func (b *builder) planDropType(ds *pg_query.DropStmt) (*stmtPlan, error) {
	return tagOnly("DROP TYPE", func(ec *execCtx) error {
		cascade := ds.Behavior == pg_query.DropBehavior_DROP_CASCADE
		for _, obj := range ds.Objects {
			tn := obj.GetTypeName()
			if tn == nil {
				continue
			}
			if names := keyNames(tn.Names); len(names) == 1 || names[0] == "pg_catalog" {
				// pg_catalog is searched first: a builtin type's name
				// means the builtin.
				if bt, err := resolveTypeName(tn); err == nil {
					return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop type %s because it is required by the database system", types.TypeNameNoMod(bt))
				}
			}
			d, err := b.findType(tn.Names, ds.MissingOk)
			if err != nil {
				return err
			}
			if d == nil {
				ec.AddNotice(fmt.Sprintf("type %q does not exist, skipping", strings.Join(keyNames(tn.Names), ".")))
				continue
			}
			if err := b.dropTypeDependents(ec, d, cascade); err != nil {
				return err
			}
			if err := b.cat.DeleteType(b.ctx, d); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

// dropTypeDependents finds the columns of type d (or its array): 2BP01,
// or with cascade they are dropped with PostgreSQL's notice.
func (b *builder) dropTypeDependents(ec *execCtx, d *catalog.UserType, cascade bool) error {
	all, err := b.cat.Tables(b.ctx, d.DBID)
	if err != nil {
		return err
	}
	type dep struct {
		t     *catalog.Table
		col   string
		array bool
	}
	var deps, direct []dep
	for _, t := range all {
		if t.Kind != catalog.KindTable && t.Kind != catalog.KindView {
			continue
		}
		for _, c := range t.Columns {
			// The array type's dependents come first, as PostgreSQL
			// reaches them through the array type.
			switch c.Type.Oid {
			case d.ArrayID:
				deps = append(deps, dep{t, c.Name, true})
			case d.ID:
				direct = append(direct, dep{t, c.Name, false})
			}
		}
	}
	deps = append(deps, direct...)
	if len(deps) == 0 {
		return nil
	}
	lines := make([]string, len(deps))
	for i, x := range deps {
		what := fmt.Sprintf("column %s of table %s", x.col, x.t.Name)
		if x.t.Kind == catalog.KindView {
			what = "view " + x.t.Name
		}
		on := "type " + d.Name
		if x.array {
			on += "[]"
		}
		if cascade {
			lines[i] = "drop cascades to " + what
		} else {
			lines[i] = what + " depends on " + on
		}
	}
	if !cascade {
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop type %s because other objects depend on it", d.Name).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(lines) == 1 {
		ec.AddNotice(lines[0])
	} else {
		ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion,
			Message: fmt.Sprintf("drop cascades to %d other objects", len(lines)), Detail: strings.Join(lines, "\n")})
	}
	for _, x := range deps {
		if x.t.Kind == catalog.KindView {
			if err := b.cat.DeleteTable(b.ctx, x.t); err != nil {
				return err
			}
			continue
		}
		t, err := b.cat.TableByID(b.ctx, x.t.ID)
		if err != nil || t == nil {
			return err
		}
		cmd := &pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_DropColumn, Name: x.col, Behavior: pg_query.DropBehavior_DROP_CASCADE}
		t = t.Clone()
		if err := b.alterCmd(ec, t, cmd); err != nil {
			return err
		}
		if err := b.cat.WriteTable(b.ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// alterTypeRename runs ALTER TYPE name RENAME TO new.
func (b *builder) alterTypeRename(rs *pg_query.RenameStmt) error {
	names := rs.Object.GetList().GetItems()
	d, err := b.findType(names, false)
	if err != nil {
		return err
	}
	if o, _, err := b.cat.TypeByName(b.ctx, d.DBID, d.Schema, rs.Newname); err != nil {
		return err
	} else if o != nil {
		return pgerror.New(pgerror.DuplicateObject, "type %q already exists", rs.Newname)
	}
	if err := b.cat.KV.Delete(b.ctx, catalog.TypeNameKey(d.DBID, d.Schema, d.Name)); err != nil {
		return kverror.AsSQL(err)
	}
	d.Name = rs.Newname
	return b.cat.WriteType(b.ctx, d)
}

// planAlterTypeSchema runs ALTER TYPE name SET SCHEMA s.
func (b *builder) planAlterTypeSchema(as *pg_query.AlterObjectSchemaStmt) (*stmtPlan, error) {
	return tagOnly("ALTER TYPE", func(ec *execCtx) error {
		tn := as.Object.GetList().GetItems()
		if t := as.Object.GetTypeName(); t != nil {
			tn = t.Names
		}
		d, err := b.findType(tn, as.MissingOk)
		if err != nil || d == nil {
			return err
		}
		schema, err := b.schemaFor(as.Newschema)
		if err != nil {
			return err
		}
		if o, _, err := b.cat.TypeByName(b.ctx, d.DBID, schema, d.Name); err != nil {
			return err
		} else if o != nil {
			return pgerror.New(pgerror.DuplicateObject, "type %q already exists in schema %q", d.Name, schema)
		}
		if err := b.cat.KV.Delete(b.ctx, catalog.TypeNameKey(d.DBID, d.Schema, d.Name)); err != nil {
			return kverror.AsSQL(err)
		}
		d.Schema = schema
		return b.cat.WriteType(b.ctx, d)
	}), nil
}

// alterTypeOwner runs ALTER TYPE name OWNER TO role.
func (b *builder) alterTypeOwner(ao *pg_query.AlterOwnerStmt) error {
	tn := ao.Object.GetList().GetItems()
	if t := ao.Object.GetTypeName(); t != nil {
		tn = t.Names
	}
	d, err := b.findType(tn, false)
	if err != nil {
		return err
	}
	role := ao.Newowner.GetRolename()
	if ao.Newowner.Roletype == pg_query.RoleSpecType_ROLESPEC_CURRENT_USER || ao.Newowner.Roletype == pg_query.RoleSpecType_ROLESPEC_SESSION_USER {
		role = b.sess.user
	}
	r, err := b.cat.Role(b.ctx, role)
	if err != nil {
		return err
	}
	if r == nil {
		return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", role)
	}
	d.Owner = role
	return b.cat.WriteType(b.ctx, d)
}
