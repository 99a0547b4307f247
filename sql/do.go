package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// DO with the one PL/pgSQL shape the frameworks send: a block of plain
// SQL statements with an optional exception handler that ignores (or
// answers with more SQL) the errors it names. Sequelize creates enum
// types so:
//
//	DO 'BEGIN CREATE TYPE ... AS ENUM (...); EXCEPTION WHEN duplicate_object THEN null; END';
//
// The statements run in the DO's transaction; as in PL/pgSQL, a block
// with an exception handler runs in a subtransaction (a kv savepoint), so
// a caught error undoes the block's work before the handler runs. Any
// other PL/pgSQL (variables, IF, LOOP, PERFORM, RAISE) is 0A000.

// doConditions maps PL/pgSQL condition names to their SQLSTATEs (the
// ones frameworks' DO blocks name; plerrcodes.h has them all).
var doConditions = map[string]string{
	"duplicate_object": "42710", "duplicate_table": "42P07", "duplicate_column": "42701",
	"duplicate_schema": "42P06", "duplicate_function": "42723", "duplicate_database": "42P04",
	"undefined_table": "42P01", "undefined_object": "42704", "undefined_column": "42703",
	"undefined_function": "42883", "invalid_schema_name": "3F000", "unique_violation": "23505",
	"foreign_key_violation": "23503", "check_violation": "23514", "not_null_violation": "23502",
	"invalid_text_representation": "22P02", "division_by_zero": "22012", "feature_not_supported": "0A000",
	"dependent_objects_still_exist": "2BP01", "insufficient_privilege": "42501", "syntax_error": "42601",
	"wrong_object_type": "42809", "object_in_use": "55006", "invalid_parameter_value": "22023",
	"serialization_failure": "40001", "raise_exception": "P0001",
}

// doBlock is a parsed DO body.
type doBlock struct {
	body     []statement
	handlers []doHandler
}

type doHandler struct {
	codes  []string // SQLSTATEs; "others" matches any
	action []statement
}

func (b *builder) planDo(ds *pg_query.DoStmt) (*stmtPlan, error) {
	var body string
	for _, a := range ds.Args {
		de := a.GetDefElem()
		if de == nil {
			continue
		}
		switch de.Defname {
		case "as":
			body = de.Arg.GetString_().GetSval()
		case "language":
			if lang := strings.ToLower(de.Arg.GetString_().GetSval()); lang != "plpgsql" {
				if lang == "sql" {
					return nil, pgerror.New(pgerror.FeatureNotSupported, "language \"sql\" does not support inline code execution")
				}
				return nil, pgerror.New(pgerror.UndefinedObject, "language %q does not exist", lang)
			}
		}
	}
	blk, err := parseDoBlock(body)
	if err != nil {
		return nil, err
	}
	return tagOnly("DO", func(ec *execCtx) error { return b.runDoBlock(ec, blk) }), nil
}

// parseDoBlock reads BEGIN stmts [EXCEPTION WHEN c [OR c] THEN stmts
// ...] END.
func parseDoBlock(src string) (*doBlock, error) {
	unsupportedDo := pgerror.New(pgerror.FeatureNotSupported, "DO blocks other than BEGIN <SQL statements> [EXCEPTION WHEN ... THEN ...] END are not supported")
	words := splitTopLevelWords(src)
	if len(words) < 2 || !strings.EqualFold(words[0].text, "begin") {
		return nil, unsupportedDo
	}
	last := len(words) - 1
	if words[last].text == ";" {
		last--
	}
	if last < 1 || !strings.EqualFold(words[last].text, "end") {
		return nil, unsupportedDo
	}
	inner := src[words[0].end:words[last].start]
	bodyText, excText := inner, ""
	for _, w := range words[1:last] {
		if strings.EqualFold(w.text, "exception") {
			bodyText, excText = src[words[0].end:w.start], src[w.end:words[last].start]
			break
		}
	}
	blk := &doBlock{}
	var err error
	if blk.body, err = doStatements(bodyText); err != nil {
		return nil, unsupportedDo
	}
	if excText == "" {
		return blk, nil
	}
	// WHEN cond [OR cond ...] THEN action, repeated.
	ws := splitTopLevelWords(excText)
	for i := 0; i < len(ws); {
		if !strings.EqualFold(ws[i].text, "when") {
			return nil, unsupportedDo
		}
		i++
		var h doHandler
		for i < len(ws) && !strings.EqualFold(ws[i].text, "then") {
			w := strings.ToLower(ws[i].text)
			switch {
			case w == "or":
			case w == "others":
				h.codes = append(h.codes, "others")
			case w == "sqlstate" && i+1 < len(ws):
				i++
				h.codes = append(h.codes, strings.Trim(ws[i].text, "'"))
			default:
				code, ok := doConditions[w]
				if !ok {
					return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized exception condition %q", w)
				}
				h.codes = append(h.codes, code)
			}
			i++
		}
		if i >= len(ws) {
			return nil, unsupportedDo
		}
		i++ // THEN
		start := i
		for i < len(ws) && !strings.EqualFold(ws[i].text, "when") {
			i++
		}
		if start < len(ws) {
			end := len(excText)
			if i < len(ws) {
				end = ws[i].start
			}
			action := excText[ws[start].start:end]
			if t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(action), ";")); !strings.EqualFold(t, "null") {
				if h.action, err = doStatements(action); err != nil {
					return nil, unsupportedDo
				}
			}
		}
		blk.handlers = append(blk.handlers, h)
	}
	return blk, nil
}

// doStatements parses plain SQL statements (and PL/pgSQL's NULL;).
func doStatements(text string) ([]statement, error) {
	var out []statement
	start := 0
	words := splitTopLevelWords(text)
	for i, w := range words {
		if w.text != ";" && i < len(words)-1 {
			continue
		}
		end := w.end
		if w.text == ";" {
			end = w.start
		}
		piece := strings.TrimSpace(text[start:end])
		start = w.end
		if piece == "" || strings.EqualFold(piece, "null") {
			continue
		}
		sts, err := parse(piece)
		if err != nil {
			return nil, err
		}
		out = append(out, sts...)
	}
	return out, nil
}

// doWord is a word or ';' of a DO body outside quotes, with its span.
type doWord struct {
	text       string
	start, end int
}

// splitTopLevelWords splits s into words and semicolons, skipping over
// quoted strings, quoted identifiers and dollar quotes.
func splitTopLevelWords(s string) []doWord {
	var out []doWord
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == ';':
			out = append(out, doWord{";", i, i + 1})
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			out = append(out, doWord{s[i:min(j+1, len(s))], i, min(j+1, len(s))})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r;'\"", rune(s[j])) {
				j++
			}
			out = append(out, doWord{s[i:j], i, j})
			i = j
		}
	}
	return out
}

// runDoBlock runs the block's statements, in a savepoint when it has a
// handler.
func (b *builder) runDoBlock(ec *execCtx, blk *doBlock) error {
	if len(blk.handlers) == 0 {
		return b.runDoStatements(ec, blk.body)
	}
	sp, err := ec.txn.Savepoint()
	if err != nil {
		return kvError(err)
	}
	err = b.runDoStatements(ec, blk.body)
	if err == nil {
		return nil
	}
	code := pgerror.CodeOf(err)
	for _, h := range blk.handlers {
		for _, c := range h.codes {
			if c == code || c == "others" && code != pgerror.QueryCanceled {
				if rerr := ec.txn.RollbackTo(sp); rerr != nil {
					return kvError(rerr)
				}
				return b.runDoStatements(ec, h.action)
			}
		}
	}
	return err
}

func (b *builder) runDoStatements(ec *execCtx, stmts []statement) error {
	for _, st := range stmts {
		switch st.node.Node.(type) {
		case *pg_query.Node_TransactionStmt, *pg_query.Node_DoStmt:
			return pgerror.New(pgerror.FeatureNotSupported, "%s in a DO block is not supported", strings.TrimPrefix(nodeName(st.node), "*pg_query.Node_"))
		}
		nb := &builder{ctx: b.ctx, sess: b.sess, cat: b.cat, params: &paramTypes{}}
		p, err := nb.planStatement(st)
		if err != nil {
			return err
		}
		if _, err := p.run(ec); err != nil {
			return err
		}
	}
	return nil
}
