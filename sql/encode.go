package sql

import (
	"context"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// wireColumns describes result columns for RowDescription with the
// client's requested formats.
func wireColumns(cols []exec.Column, formats []int16) []Column {
	out := make([]Column, 0, len(cols))
	for i, c := range cols {
		if c.Hidden && c.Name == "?sort?" {
			continue
		}
		out = append(out, Column{
			Name:         c.Name,
			TableOid:     c.TableOID,
			ColumnAttNum: c.AttNum,
			TypeOid:      c.T.Oid,
			TypeSize:     types.TypLen(c.T.Oid),
			TypeModifier: types.TypMod(c.T),
			Format:       formatAt(formats, i),
		})
	}
	return out
}

// writeRow encodes one row in the columns' formats and sends it.
func writeRow(s *Session, w ResultWriter, wire []Column, cols []exec.Column, r exec.Row) error {
	values := make([][]byte, len(wire))
	set := s.typeSettings()
	for i := range wire {
		d := r[i]
		if d == nil {
			continue
		}
		if wire[i].Format == 1 {
			b, err := types.EncodeBinary(cols[i].T, d)
			if err != nil {
				return err
			}
			values[i] = b
			continue
		}
		switch cols[i].T.Oid {
		case types.OidRegclass, types.OidRegtype, types.OidRegproc, types.OidRegprocedure, types.OidRegoper,
			types.OidRegoperator, types.OidRegnamespace, types.OidRegrole, types.OidRegcollation:
			if v, ok := d.(int64); ok {
				values[i] = []byte(s.regName(cols[i].T.Oid, v))
				continue
			}
		case types.OidRegtypeArray:
			values[i] = []byte(s.regtypeArrayText(d.(*types.Array)))
			continue
		}
		values[i] = []byte(types.FormatText(cols[i].T, d, set))
	}
	return w.Row(values)
}

// regtypeArrayText renders a one-dimensional regtype[] as type names,
// quoted where array syntax needs it ({integer,"timestamp with time zone"}).
func (s *Session) regtypeArrayText(a *types.Array) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range a.Elems {
		if i > 0 {
			b.WriteByte(',')
		}
		if e == nil {
			b.WriteString("NULL")
			continue
		}
		name := s.regName(types.OidRegtype, e.(int64))
		if strings.ContainsAny(name, " ,{}\"\\") {
			name = `"` + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), `"`, `\"`) + `"`
		}
		b.WriteString(name)
	}
	b.WriteByte('}')
	return b.String()
}

// RegName is regName for the builtins (to_json of a regclass).
func (s *Session) RegName(oid types.Oid, v int64) string { return s.regName(oid, v) }

// regName renders a regclass or regtype value as PostgreSQL does: the
// relation or type name, or the number when nothing has that oid.
func (s *Session) regName(oid types.Oid, v int64) string {
	if oid != types.OidRegclass && oid != types.OidRegtype {
		return s.regOutput(oid, v)
	}
	if oid == types.OidRegtype {
		if t, ok := types.FromOid(uint32(v)); ok {
			return types.TypeNameNoMod(t)
		}
		if v >= catalog.FirstUserID && v < derivedFlag {
			if name := s.typeNameOfOid(uint32(v)); name != "" {
				return name
			}
		}
		return strconv.FormatInt(v, 10)
	}
	for _, vt := range virtualTables {
		if int64(vt.oid) == v {
			return vt.name
		}
	}
	name := ""
	_ = s.engine.withReadTxn(context.Background(), func(c *catalog.Txn) error {
		all, err := c.Tables(context.Background(), s.dbID)
		if err != nil {
			return err
		}
		for _, t := range all {
			if int64(t.ID) == v {
				name = t.Name
			}
			for _, idx := range t.Indexes {
				if int64(idx.OID) == v {
					name = idx.Name
				}
			}
			if name != "" {
				if t.Schema != "public" {
					name = t.Schema + "." + name
				}
				return nil
			}
		}
		return nil
	})
	if name == "" {
		return strconv.FormatInt(v, 10)
	}
	return name
}

// writeNotices sends the notices of a statement result, which go before
// its rows and command tag.
func writeNotices(w ResultWriter, res *result) error {
	notices := res.notices
	if res.notice != nil {
		notices = append([]*pgerror.Error{res.notice}, notices...)
	}
	for _, rn := range notices {
		n := *rn
		if n.Severity == "" {
			n.Severity = "WARNING"
		}
		if err := w.Notice(&n); err != nil {
			return err
		}
	}
	return nil
}

// writeResult sends a whole buffered statement result. describe is true
// in the simple protocol, where RowDescription precedes the rows.
func writeResult(s *Session, w ResultWriter, res *result, formats []int16, describe bool) error {
	if err := writeNotices(w, res); err != nil {
		return err
	}
	if res.copyOut != nil {
		if err := res.copyOut.send(s, w); err != nil {
			return err
		}
		return w.Complete(res.tag)
	}
	if res.cols != nil {
		wire := wireColumns(res.cols, formats)
		if describe && !res.streamed {
			if err := w.Columns(wire); err != nil {
				return err
			}
		}
		for _, r := range res.rows {
			if err := writeRow(s, w, wire, res.cols, r); err != nil {
				return err
			}
		}
	}
	return w.Complete(res.tag)
}
