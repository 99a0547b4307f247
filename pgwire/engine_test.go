package pgwire

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// testEngine is a tiny SQL layer for driving pgwire with real clients.
// Its sessions understand:
//
//	select <int>               one int4 row
//	select $1[::type], ...     echoes its parameters (extended protocol)
//	select "a", "b" from "t"   describes columns a int4, b text (pgx CopyFrom)
//	rows <n>                   n int4 rows 1..n
//	error <sqlstate> <message> fails with that error
//	notice <message>           sends a NOTICE
//	set <name> = <value>       reports a ParameterStatus
//	sleep                      blocks until canceled
//	panic                      panics
//	begin | commit | rollback  transaction status
//	insert ...                 INSERT 0 1
//	copy ... from stdin [csv|binary], copy ... to stdout
type testEngine struct {
	// passwords are the roles and their stored passwords.
	passwords map[string]string
	// fuzzing makes sleep return at once and panic do nothing.
	fuzzing bool

	opened, closed atomic.Int32

	mu         sync.Mutex
	copied     []string       // COPY FROM STDIN data, one entry per COPY
	lastParams api.ConnParams // of the last Connect
}

func newTestEngine() *testEngine {
	return &testEngine{passwords: map[string]string{
		"postgres": "",
		"alice":    "secret",
		"bob":      "md5" + md5hex("hunter2", "bob"),
		// A SCRAM-SHA-256 verifier made by PostgreSQL 15 itself
		// (CREATE ROLE dave PASSWORD 'correct horse'; pg_authid).
		"dave": "SCRAM-SHA-256$4096:BvcM56A957W+YZlZL6zkDw==$sI4p/CapHrlTkHcAKtlpmOaN9xBWAmNzU2BKi7S21Jg=:t8Pf0EVq7RUjVdn6JuT+4j4P51oRnVr2v7jie3F9VKs=",
	}}
}

func (e *testEngine) RolePassword(ctx context.Context, role string) (string, bool, error) {
	pw, ok := e.passwords[role]
	return pw, ok, nil
}

func (e *testEngine) Connect(ctx context.Context, p api.ConnParams) (Session, error) {
	if _, ok := e.passwords[p.User]; !ok {
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", p.User)
	}
	if p.Database == "nodb" {
		return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", p.Database)
	}
	e.mu.Lock()
	e.lastParams = p
	e.mu.Unlock()
	e.opened.Add(1)
	return &testSession{
		e:       e,
		txn:     api.TxnIdle,
		stmts:   make(map[*api.PreparedStatement]*testStmt),
		portals: make(map[*api.Portal]*testPortal),
	}, nil
}

func (e *testEngine) copies() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.copied...)
}

type testSession struct {
	e       *testEngine
	txn     api.TxnStatus
	stmts   map[*api.PreparedStatement]*testStmt
	portals map[*api.Portal]*testPortal
	named   api.PreparedStatements
	closed  bool
}

func (s *testSession) Statements() *api.PreparedStatements { return &s.named }

type testStmt struct {
	query string
	oids  []uint32
	cols  []api.Column
}

type testPortal struct {
	stmt   *testStmt
	cols   []api.Column
	rows   [][]any // nil unless the statement returns rows
	params []any
	pos    int
}

var _ Session = (*testSession)(nil)

func (s *testSession) StartupNotices() []*pgerror.Error { return nil }

func (s *testSession) InitialParamStatus() []api.ParamStatus {
	return []api.ParamStatus{
		{Name: "server_version", Value: "16.0"},
		{Name: "server_encoding", Value: "UTF8"},
		{Name: "client_encoding", Value: "UTF8"},
		{Name: "DateStyle", Value: "ISO, MDY"},
		{Name: "integer_datetimes", Value: "on"},
		{Name: "standard_conforming_strings", Value: "on"},
		{Name: "TimeZone", Value: "UTC"},
		{Name: "application_name", Value: ""},
		{Name: "is_superuser", Value: "on"},
		{Name: "session_authorization", Value: "postgres"},
	}
}

func (s *testSession) ExecSimple(ctx context.Context, query string, w api.ResultWriter) error {
	ran := false
	for _, stmt := range strings.Split(query, ";") {
		stmt = strings.TrimSpace(stmt)
		if stmt == "" {
			continue
		}
		ran = true
		if err := s.exec(ctx, stmt, nil, w); err != nil {
			return err
		}
	}
	if !ran {
		return w.EmptyQuery()
	}
	return nil
}

// exec runs one statement; params are the bound values (extended).
func (s *testSession) exec(ctx context.Context, stmt string, params []any, w api.ResultWriter) (err error) {
	defer func() {
		if err != nil && s.txn == api.TxnInTxn {
			s.txn = api.TxnFailed
		}
	}()
	low := strings.ToLower(stmt)
	word, rest, _ := strings.Cut(low, " ")
	if s.txn == api.TxnFailed && word != "rollback" && word != "commit" {
		return pgerror.New(pgerror.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if cols, rows, ok := describe(stmt, nil); ok {
		if rows == nil {
			rows = [][]any{params}
		}
		if err := w.Columns(cols); err != nil {
			return err
		}
		for _, r := range rows {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.Row(encodeRow(r, cols)); err != nil {
				return err
			}
		}
		return w.Complete(fmt.Sprintf("SELECT %d", len(rows)))
	}
	switch word {
	case "sleep":
		if s.e.fuzzing {
			return w.Complete("SLEEP")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Second):
			return pgerror.New(pgerror.InternalError, "sleep was never canceled")
		}
	case "error":
		// The statement may be the bare word (the fuzzer found that).
		code, msg, _ := strings.Cut(strings.TrimSpace(stmt[len("error"):]), " ")
		return pgerror.New(code, "%s", msg).WithHint("a test error")
	case "notice":
		if err := w.Notice(&pgerror.Error{Message: strings.TrimSpace(stmt[len("notice"):])}); err != nil {
			return err
		}
		return w.Complete("DO")
	case "set":
		name, value, ok := strings.Cut(stmt[len("set "):], "=")
		if !ok {
			return pgerror.New(pgerror.SyntaxError, "syntax error in SET")
		}
		if err := w.ParamStatus(api.ParamStatus{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)}); err != nil {
			return err
		}
		return w.Complete("SET")
	case "panic":
		if !s.e.fuzzing {
			panic("test panic")
		}
		return w.Complete("PANIC")
	case "begin":
		s.txn = api.TxnInTxn
		return w.Complete("BEGIN")
	case "commit", "rollback":
		tag := strings.ToUpper(word)
		if s.txn == api.TxnFailed {
			tag = "ROLLBACK"
		}
		s.txn = api.TxnIdle
		return w.Complete(tag)
	case "insert":
		return w.Complete("INSERT 0 1")
	case "copy":
		switch {
		case strings.Contains(rest, "from stdin"):
			return s.copyIn(low, w)
		case strings.Contains(rest, "to stdout"):
			out, err := w.CopyOut(api.CopyText, 2)
			if err != nil {
				return err
			}
			for _, line := range []string{"1\tone\n", "2\ttwo\n", "3\tthree\n"} {
				if err := out.Write([]byte(line)); err != nil {
					return err
				}
			}
			return w.Complete("COPY 3")
		}
	}
	return pgerror.New(pgerror.SyntaxError, "syntax error at or near %q", word).WithPosition(1)
}

func (s *testSession) copyIn(stmt string, w api.ResultWriter) error {
	format := api.CopyText
	switch {
	case strings.Contains(stmt, "binary"):
		format = api.CopyBinary
	case strings.Contains(stmt, "csv"):
		format = api.CopyCSV
	}
	r, err := w.CopyIn(format, 2)
	if err != nil {
		return err
	}
	var data []byte
	for {
		chunk, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		data = append(data, chunk...)
	}
	n := strings.Count(string(data), "\n")
	if format == api.CopyBinary {
		if n, err = binaryCopyRows(data); err != nil {
			return pgerror.New("22P04", "%v", err)
		}
	}
	if !s.e.fuzzing {
		s.e.mu.Lock()
		s.e.copied = append(s.e.copied, string(data))
		s.e.mu.Unlock()
	}
	return w.Complete(fmt.Sprintf("COPY %d", n))
}

// binaryCopyRows counts the tuples of a binary COPY stream.
func binaryCopyRows(data []byte) (int, error) {
	const sig = "PGCOPY\n\xff\r\n\x00"
	if len(data) < len(sig)+8 || string(data[:len(sig)]) != sig {
		return 0, fmt.Errorf("bad binary copy header")
	}
	p := len(sig) + 4
	p += 4 + int(binary.BigEndian.Uint32(data[p:]))
	for n := 0; ; n++ {
		if p == len(data) {
			return n, nil // pgx sends no trailer
		}
		if p+2 > len(data) {
			return 0, fmt.Errorf("truncated binary copy")
		}
		fields := int16(binary.BigEndian.Uint16(data[p:]))
		p += 2
		if fields == -1 {
			return n, nil
		}
		for range fields {
			if p+4 > len(data) {
				return 0, fmt.Errorf("truncated binary copy")
			}
			l := int32(binary.BigEndian.Uint32(data[p:]))
			p += 4
			if l > 0 {
				p += int(l)
			}
		}
	}
}

var (
	selectIntRE = regexp.MustCompile(`^(?i)select\s+(-?\d+)$`)
	rowsRE      = regexp.MustCompile(`^(?i)rows\s+(\d+)$`)
	paramRE     = regexp.MustCompile(`\$(\d+)(?:::(\w+))?`)
	echoRE      = regexp.MustCompile(`^(?i)select\s+\$`)
	describeRE  = regexp.MustCompile(`^(?i)select\s+("\w+"(?:\s*,\s*"\w+")*)\s+from\s+"\w+"$`)
)

// describe returns the columns of a row-returning statement and its rows
// (nil rows for an echo: the parameters are the row); ok is false for
// other statements. oids are the parameter types of an echo.
func describe(stmt string, oids []uint32) (cols []api.Column, rows [][]any, ok bool) {
	stmt = strings.TrimSpace(stmt)
	if m := selectIntRE.FindStringSubmatch(stmt); m != nil {
		v, _ := strconv.ParseInt(m[1], 10, 64)
		return []api.Column{column("?column?", 23)}, [][]any{{v}}, true
	}
	if m := rowsRE.FindStringSubmatch(stmt); m != nil {
		n, _ := strconv.Atoi(m[1])
		rows = make([][]any, min(n, 100000))
		for i := range rows {
			rows[i] = []any{int64(i + 1)}
		}
		return []api.Column{column("n", 23)}, rows, true
	}
	if echoRE.MatchString(stmt) {
		for i, oid := range oids {
			cols = append(cols, column(fmt.Sprintf("p%d", i+1), oid))
		}
		return cols, nil, true
	}
	if m := describeRE.FindStringSubmatch(stmt); m != nil {
		for i, name := range strings.Split(m[1], ",") {
			oid := uint32(25)
			if i == 0 {
				oid = 23
			}
			cols = append(cols, column(strings.Trim(strings.TrimSpace(name), `"`), oid))
		}
		return cols, [][]any{}, true
	}
	return nil, nil, false
}

func column(name string, oid uint32) api.Column {
	size := int16(-1)
	switch oid {
	case 23:
		size = 4
	case 20:
		size = 8
	}
	return api.Column{Name: name, TypeOid: oid, TypeSize: size, TypeModifier: -1}
}

// paramOids infers the parameter types of stmt: the client's, else the
// cast's, else text.
func paramOids(stmt string, given []uint32) ([]uint32, error) {
	var oids []uint32
	for _, m := range paramRE.FindAllStringSubmatch(stmt, -1) {
		i, err := strconv.Atoi(m[1])
		if err != nil || i < 1 || i > 1000 {
			return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%s", m[1])
		}
		for len(oids) < i {
			oids = append(oids, 0)
		}
		if oids[i-1] == 0 {
			switch strings.ToLower(m[2]) {
			case "int", "int4", "integer":
				oids[i-1] = 23
			case "int8", "bigint":
				oids[i-1] = 20
			}
		}
	}
	for i := range oids {
		if i < len(given) && given[i] != 0 {
			oids[i] = given[i]
		}
		if oids[i] == 0 {
			oids[i] = 25
		}
	}
	return oids, nil
}

func encodeRow(vals []any, cols []api.Column) [][]byte {
	out := make([][]byte, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
		case int64:
			switch {
			case cols[i].Format == 0:
				out[i] = strconv.AppendInt(nil, v, 10)
			case cols[i].TypeOid == 20:
				out[i] = binary.BigEndian.AppendUint64(nil, uint64(v))
			default:
				out[i] = binary.BigEndian.AppendUint32(nil, uint32(v))
			}
		case string:
			out[i] = []byte(v)
		}
	}
	return out
}

func decodeParam(b []byte, oid uint32, format int16) (any, error) {
	if b == nil {
		return nil, nil
	}
	switch {
	case oid != 23 && oid != 20:
		return string(b), nil
	case format == 0:
		v, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type integer: %q", b)
		}
		return v, nil
	case len(b) == 4:
		return int64(int32(binary.BigEndian.Uint32(b))), nil
	case len(b) == 8:
		return int64(binary.BigEndian.Uint64(b)), nil
	}
	return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "incorrect binary data format")
}

// formatAt applies the protocol's format list rules.
func formatAt(formats []int16, i int) int16 {
	switch len(formats) {
	case 0:
		return 0
	case 1:
		return formats[0]
	}
	return formats[i]
}

func (s *testSession) Prepare(ctx context.Context, query string, oids []uint32) (*api.PreparedStatement, error) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(query)), "bad") {
		return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near %q", "bad").WithPosition(1)
	}
	oids, err := paramOids(query, oids)
	if err != nil {
		return nil, err
	}
	st := &testStmt{query: strings.TrimSpace(query), oids: oids}
	st.cols, _, _ = describe(st.query, st.oids)
	ps := &api.PreparedStatement{ParamOids: st.oids, Columns: st.cols}
	s.stmts[ps] = st
	return ps, nil
}

func (s *testSession) Bind(ctx context.Context, ps *api.PreparedStatement, params [][]byte, paramFormats, resultFormats []int16) (*api.Portal, error) {
	st := s.stmts[ps]
	tp := &testPortal{stmt: st}
	for i, b := range params {
		v, err := decodeParam(b, st.oids[i], formatAt(paramFormats, i))
		if err != nil {
			return nil, err
		}
		tp.params = append(tp.params, v)
	}
	if cols, rows, ok := describe(st.query, st.oids); ok {
		if rows == nil {
			rows = [][]any{tp.params}
		}
		tp.rows = rows
		for i, col := range cols {
			col.Format = formatAt(resultFormats, i)
			tp.cols = append(tp.cols, col)
		}
	}
	p := &api.Portal{Columns: tp.cols}
	s.portals[p] = tp
	return p, nil
}

func (s *testSession) Execute(ctx context.Context, p *api.Portal, maxRows int, w api.ResultWriter) (bool, error) {
	tp := s.portals[p]
	if tp.rows == nil {
		return false, s.exec(ctx, tp.stmt.query, tp.params, w)
	}
	sent := 0
	for ; tp.pos < len(tp.rows); tp.pos++ {
		if maxRows > 0 && sent == maxRows {
			return true, nil
		}
		if err := w.Row(encodeRow(tp.rows[tp.pos], tp.cols)); err != nil {
			return false, err
		}
		sent++
	}
	return false, w.Complete(fmt.Sprintf("SELECT %d", sent))
}

func (s *testSession) Sync(ctx context.Context) error { return nil }
func (s *testSession) AbortBatch()                    {}

func (s *testSession) TxnStatus() api.TxnStatus { return s.txn }

func (s *testSession) Close() {
	if s.closed {
		panic("testSession closed twice")
	}
	s.closed = true
	s.e.closed.Add(1)
}
