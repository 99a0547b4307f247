package sql

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgencoding"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// copyOptions are the options of a COPY statement.
type copyOptions struct {
	format    CopyFormat
	delimiter byte
	null      string
	header    bool
	quote     byte
	escape    byte
}

func parseCopyOptions(opts []*pg_query.Node) (copyOptions, error) {
	o := copyOptions{format: CopyText, delimiter: '\t', null: `\N`, quote: '"', escape: '"'}
	nullSet, delimSet := false, false
	for _, n := range opts {
		de := n.GetDefElem()
		val := defElemString(de)
		switch de.Defname {
		case "format":
			switch strings.ToLower(val) {
			case "text":
				o.format = CopyText
			case "csv":
				o.format = CopyCSV
			case "binary":
				o.format = CopyBinary
			default:
				return o, pgerror.New(pgerror.InvalidParameterValue, "COPY format %q not recognized", val)
			}
		case "delimiter":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
			}
			o.delimiter, delimSet = val[0], true
		case "null":
			o.null, nullSet = val, true
		case "header":
			o.header = val == "" || val == "true" || val == "1" || strings.EqualFold(val, "on")
		case "quote":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY quote must be a single one-byte character")
			}
			o.quote = val[0]
		case "escape":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY escape must be a single one-byte character")
			}
			o.escape = val[0]
		case "freeze", "encoding", "force_not_null", "force_null", "force_quote":
			// FREEZE is a storage hint; the encoding is always UTF8.
		default:
			return o, pgerror.New(pgerror.SyntaxError, "option %q not recognized", de.Defname)
		}
	}
	if o.format == CopyCSV {
		if !delimSet {
			o.delimiter = ','
		}
		if !nullSet {
			o.null = ""
		}
	}
	return o, nil
}

func (b *builder) planCopy(cs *pg_query.CopyStmt) (*stmtPlan, error) {
	if cs.Filename != "" || cs.IsProgram {
		return nil, pgerror.New(pgerror.InsufficientPrivilege, "COPY to or from a file is not supported; use COPY ... FROM STDIN or TO STDOUT (psql's \\copy)")
	}
	if cs.WhereClause != nil {
		return nil, unsupported("COPY FROM ... WHERE")
	}
	opts, err := parseCopyOptions(cs.Options)
	if err != nil {
		return nil, err
	}
	if cs.IsFrom {
		return b.planCopyFrom(cs, opts)
	}
	var source exec.Node
	if cs.Query != nil {
		sel := cs.Query.GetSelectStmt()
		if sel == nil {
			return nil, unsupported("COPY of this statement")
		}
		if source, err = b.buildSelect(sel, nil); err != nil {
			return nil, err
		}
	} else {
		sel := &pg_query.SelectStmt{FromClause: []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: cs.Relation}}},
			Op: pg_query.SetOperation_SETOP_NONE, LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT}
		if len(cs.Attlist) == 0 {
			sel.TargetList = []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{{Node: &pg_query.Node_AStar{AStar: &pg_query.A_Star{}}}}}}}}}}}
		}
		for _, a := range cs.Attlist {
			sel.TargetList = append(sel.TargetList, &pg_query.Node{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{a}}}}}}})
		}
		if source, err = b.buildSelect(sel, nil); err != nil {
			return nil, err
		}
	}
	return &stmtPlan{run: func(ec *execCtx) (*result, error) {
		rows, err := exec.Collect(ec.Ctx, source)
		if err != nil {
			return nil, err
		}
		return &result{tag: fmt.Sprintf("COPY %d", len(rows)), copyOut: &copyOutData{cols: source.Columns(), rows: rows, opts: opts}}, nil
	}}, nil
}

// copyOutData is a COPY TO STDOUT result, sent after the transaction.
type copyOutData struct {
	cols []exec.Column
	rows []exec.Row
	opts copyOptions
}

func (c *copyOutData) send(s *Session, w ResultWriter) error {
	out, err := w.CopyOut(c.opts.format, len(c.cols))
	if err != nil {
		return err
	}
	set := s.typeSettings()
	var buf bytes.Buffer
	if c.opts.header {
		for i, col := range c.cols {
			if i > 0 {
				buf.WriteByte(c.opts.delimiter)
			}
			c.writeField(&buf, col.Name)
		}
		buf.WriteByte('\n')
		if err := out.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	for _, r := range c.rows {
		buf.Reset()
		for i, d := range r {
			if i > 0 {
				buf.WriteByte(c.opts.delimiter)
			}
			if d == nil {
				buf.WriteString(c.opts.null)
				continue
			}
			c.writeField(&buf, types.FormatText(c.cols[i].T, d, set))
		}
		buf.WriteByte('\n')
		if err := out.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func (c *copyOutData) writeField(buf *bytes.Buffer, s string) {
	if c.opts.format == CopyCSV {
		needQuote := s == c.opts.null || strings.ContainsAny(s, string([]byte{c.opts.delimiter, c.opts.quote, '\n', '\r'}))
		if !needQuote {
			buf.WriteString(s)
			return
		}
		buf.WriteByte(c.opts.quote)
		for i := 0; i < len(s); i++ {
			if s[i] == c.opts.quote || s[i] == c.opts.escape {
				buf.WriteByte(c.opts.escape)
			}
			buf.WriteByte(s[i])
		}
		buf.WriteByte(c.opts.quote)
		return
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch ch {
		case '\\':
			buf.WriteString(`\\`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			if ch == c.opts.delimiter {
				buf.WriteByte('\\')
			}
			buf.WriteByte(ch)
		}
	}
}

func (b *builder) planCopyFrom(cs *pg_query.CopyStmt, opts copyOptions) (*stmtPlan, error) {
	t, err := b.lookupTable(cs.Relation)
	if err != nil {
		return nil, err
	}
	if err := b.checkRelPrivs(t, acl.Insert); err != nil {
		return nil, err
	}
	var targetIdx []int
	if len(cs.Attlist) == 0 {
		for i, c := range t.Columns {
			if !c.Hidden && c.Generated == "" {
				targetIdx = append(targetIdx, i)
			}
		}
	} else {
		for _, a := range cs.Attlist {
			name := a.GetString_().GetSval()
			i, c := t.ColumnByName(name)
			if c == nil || c.Hidden {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", name, t.Name)
			}
			if c.Generated != "" {
				return nil, pgerror.New(pgerror.InvalidColumnReference, "column %q is a generated column", name).
					WithDetail("Generated columns cannot be used in COPY.")
			}
			targetIdx = append(targetIdx, i)
		}
	}
	defaults := make([]exec.Expr, len(t.Columns))
	for i := range t.Columns {
		if defaults[i], err = b.defaultExpr(t, &t.Columns[i]); err != nil {
			return nil, err
		}
	}
	checker, err := b.newRowChecker(t)
	if err != nil {
		return nil, err
	}
	return &stmtPlan{run: func(ec *execCtx) (*result, error) {
		in, err := ec.w.CopyIn(opts.format, len(targetIdx))
		if err != nil {
			return nil, err
		}
		res := &result{consumedInput: true}
		if opts.format == CopyBinary {
			n, err := copyBinaryIn(ec, in, t, targetIdx, defaults, checker)
			if err != nil {
				return res, err
			}
			res.tag = fmt.Sprintf("COPY %d", n)
			return res, nil
		}
		set := ec.Settings()
		ins, err := newRowInserter(t)
		if err != nil {
			return res, err
		}
		n := 0
		lineNo := 0
		// Reused from line to line: nothing keeps a line's fields or row
		// once it is inserted (kv copies the encoded bytes).
		var fields []string
		var nulls []bool
		full := make(exec.Row, len(t.Columns))
		provided := make([]bool, len(t.Columns))
		for _, i := range targetIdx {
			provided[i] = true
		}
		insertLine := func(line []byte) error {
			lineNo++
			if opts.header && lineNo == 1 {
				return nil
			}
			// The data is text in the client encoding, checked as
			// PostgreSQL converts it; a field whose escapes made bytes
			// (\0, \xff) is checked again once unescaped.
			if err := pgencoding.CheckUTF8(line); err != nil {
				return err.WithDetail("COPY %s, line %d", t.Name, lineNo)
			}
			var err error
			fields, nulls, err = splitCopyLine(line, opts, fields[:0], nulls[:0])
			if err != nil {
				return err
			}
			for k, f := range fields {
				if err := pgencoding.CheckUTF8String(f); err != nil && !nulls[k] {
					return err.WithDetail("COPY %s, line %d, column %s", t.Name, lineNo, t.Columns[targetIdx[min(k, len(targetIdx)-1)]].Name)
				}
			}
			if len(fields) != len(targetIdx) {
				if len(fields) < len(targetIdx) {
					return pgerror.New(pgerror.BadCopyFileFormat, "missing data for column %q", t.Columns[targetIdx[len(fields)]].Name).WithDetail("COPY %s, line %d", t.Name, lineNo)
				}
				return pgerror.New(pgerror.BadCopyFileFormat, "extra data after last expected column").WithDetail("COPY %s, line %d", t.Name, lineNo)
			}
			clear(full)
			for k, i := range targetIdx {
				if nulls[k] {
					continue
				}
				d, err := types.ParseText(t.Columns[i].Type, fields[k], set)
				if err != nil {
					if pe, ok := pgerror.As(err); ok {
						pe.Detail = fmt.Sprintf("COPY %s, line %d, column %s: %q", t.Name, lineNo, t.Columns[i].Name, fields[k])
					}
					return err
				}
				full[i] = d
			}
			for i := range t.Columns {
				if !provided[i] {
					if full[i], err = defaults[i].Eval(ec.Ctx, nil); err != nil {
						return err
					}
				}
			}
			if err := checker.check(ec, full); err != nil {
				return err
			}
			if _, err := ins.insert(ec, full); err != nil {
				return err
			}
			if err := checkChildRow(ec, t, full); err != nil {
				return err
			}
			n++
			return nil
		}
		var pending []byte
		done := false
		var copyErr error
		for !done {
			chunk, err := in.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return res, err
			}
			if copyErr != nil {
				continue // drain the client's data after an error
			}
			pending = append(pending, chunk...)
			for {
				i := bytes.IndexByte(pending, '\n')
				if opts.format == CopyCSV {
					i = csvLineEnd(pending, opts.quote)
				}
				if i < 0 {
					break
				}
				line := pending[:i]
				pending = pending[i+1:]
				line = bytes.TrimSuffix(line, []byte{'\r'})
				if string(line) == `\.` {
					done = true
					break
				}
				if err := insertLine(line); err != nil {
					copyErr = err
					break
				}
			}
		}
		if copyErr != nil {
			return res, copyErr
		}
		if !done && len(pending) > 0 && string(pending) != `\.` {
			if err := insertLine(bytes.TrimSuffix(pending, []byte{'\r'})); err != nil {
				return res, err
			}
		}
		res.tag = fmt.Sprintf("COPY %d", n)
		return res, nil
	}}, nil
}

// csvLineEnd finds the newline ending the first CSV record (newlines
// inside quotes belong to the field), -1 if the record is incomplete.
func csvLineEnd(b []byte, quote byte) int {
	inQuote := false
	for i, c := range b {
		switch {
		case c == quote:
			inQuote = !inQuote
		case c == '\n' && !inQuote:
			return i
		}
	}
	return -1
}

// splitCopyLine splits one line of COPY data into its fields, appended
// to fields and nulls (which the caller may reuse from line to line).
func splitCopyLine(line []byte, o copyOptions, fields []string, nulls []bool) ([]string, []bool, error) {
	if o.format == CopyCSV {
		return splitCSV(line, o)
	}
	for {
		raw, rest, more := bytes.Cut(line, []byte{o.delimiter})
		if string(raw) == o.null {
			fields, nulls = append(fields, ""), append(nulls, true)
		} else {
			s, err := unescapeCopyText(raw)
			if err != nil {
				return nil, nil, err
			}
			fields, nulls = append(fields, s), append(nulls, false)
		}
		if !more {
			break
		}
		line = rest
	}
	return fields, nulls, nil
}

func unescapeCopyText(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw), nil
	}
	var out []byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			out = append(out, c)
			continue
		}
		i++
		switch e := raw[i]; e {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'v':
			out = append(out, '\v')
		case 'x':
			j := i + 1
			for j < len(raw) && j < i+3 && isHex(raw[j]) {
				j++
			}
			if j == i+1 {
				out = append(out, 'x')
				continue
			}
			v, _ := strconv.ParseUint(string(raw[i+1:j]), 16, 8)
			out = append(out, byte(v))
			i = j - 1
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(raw) && j < i+3 && raw[j] >= '0' && raw[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(string(raw[i:j]), 8, 8)
				out = append(out, byte(v))
				i = j - 1
				continue
			}
			out = append(out, e)
		}
	}
	return string(out), nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func splitCSV(line []byte, o copyOptions) ([]string, []bool, error) {
	var fields []string
	var nulls []bool
	i := 0
	for {
		var field []byte
		quoted := false
		if i < len(line) && line[i] == o.quote {
			quoted = true
			i++
			for {
				if i >= len(line) {
					return nil, nil, pgerror.New(pgerror.BadCopyFileFormat, "unterminated CSV quoted field")
				}
				c := line[i]
				if c == o.escape && i+1 < len(line) && line[i+1] == o.quote && (o.escape != o.quote || true) {
					field = append(field, o.quote)
					i += 2
					continue
				}
				if c == o.quote {
					i++
					break
				}
				field = append(field, c)
				i++
			}
		}
		for i < len(line) && line[i] != o.delimiter {
			field = append(field, line[i])
			i++
		}
		s := string(field)
		fields = append(fields, s)
		nulls = append(nulls, !quoted && s == o.null)
		if i >= len(line) {
			return fields, nulls, nil
		}
		i++ // delimiter
	}
}

// copyBinarySignature starts PostgreSQL's binary COPY format.
const copyBinarySignature = "PGCOPY\n\xff\r\n\x00"

// copyBinaryIn reads binary COPY data (as pgx's CopyFrom sends it): a
// header, then per row a field count and length-prefixed binary values.
func copyBinaryIn(ec *execCtx, in CopyInReader, t *catalog.Table, targetIdx []int, defaults []exec.Expr, checker *rowChecker) (int, error) {
	ins, err := newRowInserter(t)
	if err != nil {
		return 0, err
	}
	var data []byte
	for {
		chunk, err := in.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		data = append(data, chunk...)
	}
	bad := func(msg string) error {
		return pgerror.New(pgerror.BadCopyFileFormat, "%s", msg)
	}
	if len(data) < 19 || string(data[:11]) != copyBinarySignature {
		return 0, bad("COPY file signature not recognized")
	}
	extLen := int(binary.BigEndian.Uint32(data[15:19]))
	pos := 19 + extLen
	n := 0
	for {
		if pos == len(data) {
			return n, nil // data ended at a row boundary without the trailer
		}
		if pos+2 > len(data) {
			return 0, bad("unexpected EOF in COPY data")
		}
		fields := int(int16(binary.BigEndian.Uint16(data[pos:])))
		pos += 2
		if fields == -1 {
			return n, nil
		}
		if fields != len(targetIdx) {
			return 0, bad(fmt.Sprintf("row field count is %d, expected %d", fields, len(targetIdx)))
		}
		full := make(exec.Row, len(t.Columns))
		provided := make([]bool, len(t.Columns))
		for k, ci := range targetIdx {
			if pos+4 > len(data) {
				return 0, bad("unexpected EOF in COPY data")
			}
			l := int(int32(binary.BigEndian.Uint32(data[pos:])))
			pos += 4
			provided[ci] = true
			if l < 0 {
				continue
			}
			if pos+l > len(data) {
				return 0, bad("unexpected EOF in COPY data")
			}
			d, err := types.DecodeBinary(t.Columns[ci].Type, data[pos:pos+l])
			if err != nil {
				return 0, err
			}
			pos += l
			full[ci] = d
			_ = k
		}
		for i := range t.Columns {
			if !provided[i] {
				var err error
				if full[i], err = defaults[i].Eval(ec.Ctx, nil); err != nil {
					return 0, err
				}
			}
		}
		if err := checker.check(ec, full); err != nil {
			return 0, err
		}
		if _, err := ins.insert(ec, full); err != nil {
			return 0, err
		}
		if err := checkChildRow(ec, t, full); err != nil {
			return 0, err
		}
		n++
	}
}
