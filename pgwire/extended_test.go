package pgwire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
)

func TestExtendedPgxModes(t *testing.T) {
	s := startServer(t, Config{})
	for _, mode := range []pgx.QueryExecMode{
		pgx.QueryExecModeCacheStatement,
		pgx.QueryExecModeCacheDescribe,
		pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeExec,
	} {
		t.Run(mode.String(), func(t *testing.T) {
			c := s.connect(t)
			ctx := testCtx(t)
			for i := range 3 { // twice from the statement cache
				var n int
				var str string
				var null *string
				err := c.QueryRow(ctx, "select $1::int4, $2, $3", mode, 40+i, fmt.Sprint("x", i), nil).Scan(&n, &str, &null)
				if err != nil || n != 40+i || str != fmt.Sprint("x", i) || null != nil {
					t.Fatalf("echo: %d %q %v, %v", n, str, null, err)
				}
			}
			var n int32
			if err := c.QueryRow(ctx, "select 7", mode).Scan(&n); err != nil || n != 7 {
				t.Fatalf("select 7: %d, %v", n, err)
			}
			if _, err := c.Exec(ctx, "error 22012 division by zero", mode); pgCode(err) != "22012" {
				t.Fatalf("error: %v", err)
			}
			if tag, err := c.Exec(ctx, "insert $1::int4", mode, 1); err != nil || tag.String() != "INSERT 0 1" {
				t.Fatalf("insert: %q, %v", tag, err)
			}
		})
	}
}

func TestExtendedDescribeAndReuse(t *testing.T) {
	s := startServer(t, Config{})
	c := s.connect(t)
	ctx := testCtx(t)
	sd, err := c.Prepare(ctx, "s1", "select $1::int4, $2")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sd.ParamOIDs) != "[23 25]" || len(sd.Fields) != 2 || sd.Fields[0].DataTypeOID != 23 || sd.Fields[1].DataTypeOID != 25 {
		t.Fatalf("description: %+v", sd)
	}
	for i := range 1000 {
		var n int
		var str string
		if err := c.QueryRow(ctx, "s1", i, "v").Scan(&n, &str); err != nil || n != i || str != "v" {
			t.Fatalf("execution %d: %d %q, %v", i, n, str, err)
		}
	}
	// Re-parsing the same name is refused; the statement still works.
	if _, err := c.PgConn().Prepare(ctx, "s1", "select 1", nil); pgCode(err) != "42P05" {
		t.Fatalf("re-parse: %v", err)
	}
	if err := c.Deallocate(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Prepare(ctx, "s1", "select 2"); err != nil {
		t.Fatalf("parse after close: %v", err)
	}
	if _, err := c.Prepare(ctx, "s2", "bad statement"); pgCode(err) != "42601" {
		t.Fatalf("bad statement: %v", err)
	}
}

func TestBatch(t *testing.T) {
	s := startServer(t, Config{})
	c := s.connect(t)
	ctx := testCtx(t)
	b := &pgx.Batch{}
	for i := range 10 {
		b.Queue("select $1::int4", i)
	}
	b.Queue("rows 3")
	br := c.SendBatch(ctx, b)
	for i := range 10 {
		var n int
		if err := br.QueryRow().Scan(&n); err != nil || n != i {
			t.Fatalf("batch row %d: %d, %v", i, n, err)
		}
	}
	rows, err := br.Query()
	if err != nil {
		t.Fatal(err)
	}
	ns, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil || fmt.Sprint(ns) != "[1 2 3]" {
		t.Fatalf("rows 3: %v, %v", ns, err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
	// An error in the middle of a batch fails the rest of it.
	b = &pgx.Batch{}
	b.Queue("select 1")
	b.Queue("error 40001 conflict")
	b.Queue("select 3")
	err = c.SendBatch(ctx, b).Close()
	if pgCode(err) != "40001" {
		t.Fatalf("batch error: %v", err)
	}
	var n int
	if err := c.QueryRow(ctx, "select 4").Scan(&n); err != nil || n != 4 {
		t.Fatalf("after failed batch: %d, %v", n, err)
	}
}

func TestLibPQParams(t *testing.T) {
	s := startServer(t, Config{})
	db := openPQ(t, s.url("postgres", "", "db"))
	var n int
	var str string
	if err := db.QueryRow("select $1::int4, $2", 12, "twelve").Scan(&n, &str); err != nil || n != 12 || str != "twelve" {
		t.Fatalf("lib/pq params: %d %q, %v", n, str, err)
	}
	stmt, err := db.Prepare("select $1::int8")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	for i := range 5 {
		if err := stmt.QueryRow(i).Scan(&n); err != nil || n != i {
			t.Fatalf("prepared %d: %d, %v", i, n, err)
		}
	}
}

// TestPortalSuspended drives row limits on the wire: Execute with a
// maximum suspends the portal, later Executes continue it.
func TestPortalSuspended(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)
	c.send(
		&pgproto3.Parse{Query: "rows 5"},
		&pgproto3.Bind{DestinationPortal: "p", ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'P', Name: "p"},
		&pgproto3.Execute{Portal: "p", MaxRows: 2},
		&pgproto3.Flush{},
	)
	equalTrace(t, []string{c.recv(), c.recv(), c.recv(), c.recv(), c.recv(), c.recv()},
		"ParseComplete", "BindComplete", "RowDescription n:23/1",
		`DataRow "\x00\x00\x00\x01"`, `DataRow "\x00\x00\x00\x02"`, "PortalSuspended")
	c.send(
		&pgproto3.Execute{Portal: "p", MaxRows: 2},
		&pgproto3.Execute{Portal: "p", MaxRows: 2},
		&pgproto3.Sync{},
	)
	equalTrace(t, c.untilReady(),
		`DataRow "\x00\x00\x00\x03"`, `DataRow "\x00\x00\x00\x04"`, "PortalSuspended",
		`DataRow "\x00\x00\x00\x05"`, "CommandComplete SELECT 1", "ReadyForQuery I")
	// The transaction ended at Sync and took the portal with it.
	c.send(&pgproto3.Execute{Portal: "p"}, &pgproto3.Sync{})
	equalTrace(t, c.untilReady(), `ErrorResponse ERROR 34000 portal "p" does not exist`, "ReadyForQuery I")
}

func TestExtendedProtocolMessages(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)
	for _, tc := range []struct {
		name string
		msgs []pgproto3.FrontendMessage
		want []string
	}{
		{"describe statement", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Name: "st", Query: "select $1::int8, $2", ParameterOIDs: []uint32{0, 25}},
			&pgproto3.Describe{ObjectType: 'S', Name: "st"},
			&pgproto3.Parse{Name: "noop", Query: "insert"},
			&pgproto3.Describe{ObjectType: 'S', Name: "noop"},
			&pgproto3.Sync{},
		}, []string{"ParseComplete", "ParameterDescription [20 25]", "RowDescription p1:20/0,p2:25/0",
			"ParseComplete", "ParameterDescription []", "NoData", "ReadyForQuery I"}},
		{"bind and execute", []pgproto3.FrontendMessage{
			&pgproto3.Bind{PreparedStatement: "st", ParameterFormatCodes: []int16{1, 0},
				Parameters: [][]byte{{0, 0, 0, 0, 0, 0, 0, 9}, []byte("nine")}, ResultFormatCodes: []int16{0, 1}},
			&pgproto3.Describe{ObjectType: 'P'},
			&pgproto3.Execute{},
			&pgproto3.Bind{PreparedStatement: "noop"},
			&pgproto3.Describe{ObjectType: 'P'},
			&pgproto3.Execute{},
			&pgproto3.Sync{},
		}, []string{"BindComplete", "RowDescription p1:20/0,p2:25/1", `DataRow "9","nine"`, "CommandComplete SELECT 1",
			"BindComplete", "NoData", "CommandComplete INSERT 0 1", "ReadyForQuery I"}},
		// After an error everything up to Sync is skipped.
		{"error skips to sync", []pgproto3.FrontendMessage{
			&pgproto3.Bind{PreparedStatement: "nope"},
			&pgproto3.Describe{ObjectType: 'P'},
			&pgproto3.Execute{},
			&pgproto3.Parse{Name: "never", Query: "select 1"},
			&pgproto3.Query{String: "select 1"},
			&pgproto3.Sync{},
		}, []string{`ErrorResponse ERROR 26000 prepared statement "nope" does not exist`, "ReadyForQuery I"}},
		{"skipped parse did not happen", []pgproto3.FrontendMessage{
			&pgproto3.Describe{ObjectType: 'S', Name: "never"}, &pgproto3.Sync{},
		}, []string{`ErrorResponse ERROR 26000 prepared statement "never" does not exist`, "ReadyForQuery I"}},
		{"execution error", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Query: "error 22012 division by zero"},
			&pgproto3.Bind{},
			&pgproto3.Execute{},
			&pgproto3.Execute{},
			&pgproto3.Sync{},
			&pgproto3.Bind{},
			&pgproto3.Execute{},
			&pgproto3.Sync{},
		}, []string{"ParseComplete", "BindComplete", "ErrorResponse ERROR 22012 division by zero", "ReadyForQuery I",
			"BindComplete", "ErrorResponse ERROR 22012 division by zero", "ReadyForQuery I"}},
		{"duplicate statement", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Name: "st", Query: "select 1"}, &pgproto3.Sync{},
		}, []string{`ErrorResponse ERROR 42P05 prepared statement "st" already exists`, "ReadyForQuery I"}},
		{"unnamed statement replaced", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Query: "select 1"}, &pgproto3.Parse{Query: "select 2"},
			&pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{},
		}, []string{"ParseComplete", "ParseComplete", "BindComplete", `DataRow "2"`, "CommandComplete SELECT 1", "ReadyForQuery I"}},
		{"parameter count", []pgproto3.FrontendMessage{
			&pgproto3.Bind{PreparedStatement: "st", Parameters: [][]byte{[]byte("1")}}, &pgproto3.Sync{},
		}, []string{`ErrorResponse ERROR 08P01 bind message supplies 1 parameters, but prepared statement "st" requires 2`, "ReadyForQuery I"}},
		{"format counts", []pgproto3.FrontendMessage{
			&pgproto3.Bind{PreparedStatement: "st", ParameterFormatCodes: []int16{0, 0, 0}, Parameters: [][]byte{nil, nil}}, &pgproto3.Sync{},
			&pgproto3.Bind{PreparedStatement: "st", Parameters: [][]byte{nil, nil}, ResultFormatCodes: []int16{0, 0, 0}}, &pgproto3.Sync{},
			&pgproto3.Bind{PreparedStatement: "st", Parameters: [][]byte{nil, nil}, ResultFormatCodes: []int16{2}}, &pgproto3.Sync{},
		}, []string{"ErrorResponse ERROR 08P01 bind message has 3 parameter formats but 2 parameters", "ReadyForQuery I",
			"ErrorResponse ERROR 08P01 bind message has 3 result formats but query has 2 columns", "ReadyForQuery I",
			"ErrorResponse ERROR 22023 unsupported format code: 2", "ReadyForQuery I"}},
		{"named portals", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Query: "rows 3"},
			&pgproto3.Bind{DestinationPortal: "a"},
			&pgproto3.Bind{DestinationPortal: "b"},
			&pgproto3.Execute{Portal: "a", MaxRows: 1},
			&pgproto3.Execute{Portal: "b", MaxRows: 1},
			&pgproto3.Close{ObjectType: 'P', Name: "a"},
			&pgproto3.Execute{Portal: "b"},
			&pgproto3.Bind{DestinationPortal: "b"},
			&pgproto3.Sync{},
		}, []string{"ParseComplete", "BindComplete", "BindComplete",
			`DataRow "1"`, "PortalSuspended", `DataRow "1"`, "PortalSuspended", "CloseComplete",
			`DataRow "2"`, `DataRow "3"`, "CommandComplete SELECT 2",
			`ErrorResponse ERROR 42P03 portal "b" already exists`, "ReadyForQuery I"}},
		{"close statement", []pgproto3.FrontendMessage{
			&pgproto3.Close{ObjectType: 'S', Name: "st"},
			&pgproto3.Close{ObjectType: 'S', Name: "st"},
			&pgproto3.Bind{PreparedStatement: "st"},
			&pgproto3.Sync{},
		}, []string{"CloseComplete", "CloseComplete", `ErrorResponse ERROR 26000 prepared statement "st" does not exist`, "ReadyForQuery I"}},
		{"bad subtype", []pgproto3.FrontendMessage{
			&pgproto3.Describe{ObjectType: 'X'}, &pgproto3.Sync{},
			&pgproto3.Close{ObjectType: 'X'}, &pgproto3.Sync{},
		}, []string{"ErrorResponse ERROR 08P01 invalid DESCRIBE message subtype 88", "ReadyForQuery I",
			"ErrorResponse ERROR 08P01 invalid CLOSE message subtype 88", "ReadyForQuery I"}},
		{"explicit transaction", []pgproto3.FrontendMessage{
			&pgproto3.Parse{Query: "begin"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{},
			&pgproto3.Parse{Query: "rows 2"}, &pgproto3.Bind{DestinationPortal: "c"},
			&pgproto3.Execute{Portal: "c", MaxRows: 1}, &pgproto3.Sync{},
			// The portal survives Sync inside a transaction.
			&pgproto3.Execute{Portal: "c", MaxRows: 1}, &pgproto3.Sync{},
			&pgproto3.Query{String: "commit"},
		}, []string{"ParseComplete", "BindComplete", "CommandComplete BEGIN", "ReadyForQuery T",
			"ParseComplete", "BindComplete", `DataRow "1"`, "PortalSuspended", "ReadyForQuery T",
			`DataRow "2"`, "CommandComplete SELECT 1", "ReadyForQuery T",
			"CommandComplete COMMIT", "ReadyForQuery I"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.send(tc.msgs...)
			var got []string
			for range countReady(tc.want) {
				got = append(got, c.untilReady()...)
			}
			equalTrace(t, got, tc.want...)
		})
	}
}

func countReady(trace []string) int {
	n := 0
	for _, m := range trace {
		if strings.HasPrefix(m, "ReadyForQuery") {
			n++
		}
	}
	return n
}
