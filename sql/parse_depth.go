package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// maxParseDepth bounds how deeply a statement's expressions may nest
// before it reaches the parser. PostgreSQL checks its stack as it
// analyses (54001 "stack depth limit exceeded", near 4,500 levels of
// 1+1+… with its default 2 MB max_stack_depth); the parser quorumdb
// embeds does not: its C code turns a tree into protobuf recursively, on
// the thread's stack, and a chain of some 20,000 operators overflows it
// and kills the node. The parse tree's decoder refuses more than 10,000
// levels anyway, so nothing deeper could run.
const maxParseDepth = 10000

// checkParseDepth refuses, with PostgreSQL's 54001, a statement whose
// expressions may nest deeper than maxParseDepth. It runs the scanner
// (flat, no recursion) and bounds the depth from above: within each
// parenthesis, bracket or CASE, the tokens that can build a level — an
// operator, a cast, a keyword — since the last comma, AND or OR (lists
// and boolean chains are flat in the tree), summed over the groups
// enclosing a token, plus one per group. A statement shorter than the
// limit cannot reach it, so the scan costs nothing for them.
//
// The scanner costs a third of a parse, so a long statement is first
// bounded by quickDepth, which reads the text itself; only a statement it
// cannot bound below the limit is scanned.
func checkParseDepth(query string) error {
	if len(query) <= maxParseDepth {
		return nil
	}
	if d, ok := quickDepth(query); ok && d <= maxParseDepth {
		return nil
	}
	res, err := pg_query.Scan(query)
	if err != nil {
		return nil // the parser reports it with its position
	}
	type group struct {
		isCase  bool
		counted int // levels counted in the current list element
	}
	stack := []group{{}}
	depth := 0 // levels counted in the open groups, groups included
	for _, tok := range res.Tokens {
		top := &stack[len(stack)-1]
		switch tok.Token {
		case pg_query.Token_ASCII_40, pg_query.Token_ASCII_91, pg_query.Token_CASE:
			stack = append(stack, group{isCase: tok.Token == pg_query.Token_CASE})
			depth++
		case pg_query.Token_ASCII_41, pg_query.Token_ASCII_93, pg_query.Token_END_P:
			if len(stack) == 1 || top.isCase != (tok.Token == pg_query.Token_END_P) {
				continue // unbalanced, or END of a transaction
			}
			depth -= top.counted + 1
			stack = stack[:len(stack)-1]
		case pg_query.Token_ASCII_44, pg_query.Token_ASCII_59, pg_query.Token_AND, pg_query.Token_OR,
			pg_query.Token_WHEN, pg_query.Token_THEN, pg_query.Token_ELSE:
			depth -= top.counted
			top.counted = 0
		case pg_query.Token_IDENT, pg_query.Token_UIDENT, pg_query.Token_FCONST, pg_query.Token_SCONST,
			pg_query.Token_USCONST, pg_query.Token_BCONST, pg_query.Token_XCONST, pg_query.Token_ICONST,
			pg_query.Token_PARAM, pg_query.Token_SQL_COMMENT, pg_query.Token_C_COMMENT:
			// Operands and comments add no level.
		default:
			top.counted++
			depth++
		}
		if depth > maxParseDepth {
			return pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded").
				WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
		}
	}
	return nil
}

// quickDepth bounds the same depth as checkParseDepth from above, reading
// the text without the scanner. It counts every operator character and
// every word that is not a number as a level (more than the scanner
// counts, so the bound stays a bound), and lexes only what it can lex
// exactly as PostgreSQL does: standard strings and quoted identifiers
// with their doubled quotes. Anything else that could hide or fake a
// separator — a comment, a dollar quote, an escape string, a Unicode
// escape, a backslash — makes it give up (ok false).
func quickDepth(q string) (depth int, ok bool) {
	type group struct {
		isCase  bool
		counted int
	}
	stack := []group{{}}
	deepest := 0
	level := func() {
		stack[len(stack)-1].counted++
		depth++
		deepest = max(deepest, depth)
	}
	separate := func() {
		top := &stack[len(stack)-1]
		depth -= top.counted
		top.counted = 0
	}
	open := func(isCase bool) {
		stack = append(stack, group{isCase: isCase})
		depth++
		deepest = max(deepest, depth)
	}
	closeGroup := func(isCase bool) {
		top := stack[len(stack)-1]
		if len(stack) > 1 && top.isCase == isCase {
			depth -= top.counted + 1
			stack = stack[:len(stack)-1]
		}
	}
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for {
				k := strings.IndexByte(q[j:], c)
				if k < 0 {
					return 0, false // unterminated: the parser says so
				}
				j += k + 1
				if j < len(q) && q[j] == c {
					j++ // a doubled quote
					continue
				}
				break
			}
			if c == '\'' && strings.IndexByte(q[i:j], '\\') >= 0 {
				return 0, false
			}
			i = j
		case c == '(' || c == '[':
			open(false)
			i++
		case c == ')' || c == ']':
			closeGroup(false)
			i++
		case c == ',' || c == ';':
			separate()
			i++
		case c == '$' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			i++ // a parameter, an operand
			for i < len(q) && q[i] >= '0' && q[i] <= '9' {
				i++
			}
		case c == '$' || c == '\\' || c >= 0x80:
			// A dollar quote or parameter, a backslash, or a letter
			// outside ASCII (identifiers may have them): give up.
			return 0, false
		case c == '-' && i+1 < len(q) && q[i+1] == '-', c == '/' && i+1 < len(q) && q[i+1] == '*':
			return 0, false
		case isWordByte(c):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			word := q[i:j]
			if j < len(q) && q[j] == '\'' {
				return 0, false // E'…', B'…', X'…', U&'…', N'…'
			}
			switch {
			case c >= '0' && c <= '9':
				// A number is an operand.
			case strings.EqualFold(word, "and"), strings.EqualFold(word, "or"), strings.EqualFold(word, "when"),
				strings.EqualFold(word, "then"), strings.EqualFold(word, "else"):
				separate()
			case strings.EqualFold(word, "case"):
				open(true)
			case strings.EqualFold(word, "end"):
				closeGroup(true)
			default:
				level()
			}
			i = j
		default:
			level() // an operator character (each may be one operator)
			i++
		}
	}
	return deepest, true
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
