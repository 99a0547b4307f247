package sql

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	pgparser "github.com/pganalyze/pg_query_go/v5/parser"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// statement is one parsed SQL statement with its source text.
type statement struct {
	node *pg_query.Node
	// sql is the statement's own text (for logs, EXPLAIN and errors).
	sql string
	// offset is where sql starts in the message the client sent, so an
	// error position can be reported relative to the whole message.
	offset int
}

// parse splits query into its statements using the PostgreSQL parser. A
// syntax error becomes 42601 with the position PostgreSQL would report.
func parse(query string) ([]statement, error) {
	if err := checkParseDepth(query); err != nil {
		return nil, err
	}
	res, err := pg_query.Parse(query)
	if err != nil {
		return nil, parseError(err)
	}
	out := make([]statement, 0, len(res.Stmts))
	for _, raw := range res.Stmts {
		start := int(raw.StmtLocation)
		end := len(query)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		if start > len(query) {
			start = len(query)
		}
		if end > len(query) {
			end = len(query)
		}
		out = append(out, statement{node: raw.Stmt, sql: strings.TrimSpace(query[start:end]), offset: start})
	}
	return out, nil
}

// parseError converts the parser's error into a PostgreSQL syntax error.
func parseError(err error) error {
	var pe *pgparser.Error
	if errors.As(err, &pe) {
		e := pgerror.New(pgerror.SyntaxError, "%s", pe.Message)
		if strings.HasPrefix(pe.Message, "unterminated") || strings.Contains(pe.Message, "invalid") && !strings.HasPrefix(pe.Message, "syntax error") {
			// Lexer errors keep 42601 as PostgreSQL does.
			e.Code = pgerror.SyntaxError
		}
		if pe.Cursorpos > 0 {
			e.Position = pe.Cursorpos
		}
		return e
	}
	if strings.Contains(err.Error(), "exceeded maximum recursion depth") {
		// The tree decoder's limit (see maxParseDepth).
		return pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded")
	}
	return pgerror.Wrap(err, pgerror.SyntaxError, "")
}

// unsupported reports a construct quorumdb does not implement.
func unsupported(construct string) error {
	return pgerror.New(pgerror.FeatureNotSupported, "%s is not supported", construct)
}
