package builtins

import (
	"strings"
	"sync"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Number templates (to_char(number, fmt), to_number): digit positions
// 9 and 0, the decimal point (. or D), group separators (, or G), sign
// positions (S, MI, PL, SG, PR), V (shift by powers of ten), EEEE
// (scientific notation), RN (Roman numerals), TH, FM, and literal text.

type numTokKind int

const (
	numLiteral numTokKind = iota
	numDigit9
	numDigit0
	numDecimal
	numGroup
	numSignS
	numMI
	numPL
	numSG
	numPR
	numTH
	numEEEE
	numRN
	numCurrency
)

type numTok struct {
	kind  numTokKind
	lit   string
	upper bool // TH vs th, RN vs rn
}

// numTemplate is a parsed number template.
type numTemplate struct {
	toks []numTok
	// pre and post count the digit positions before and after the
	// decimal point; shift counts the digits after V, which multiply the
	// value by 10^shift and print as integer digits.
	pre, post, shift int
	// zeroStart is the first integer position printed as 0 when the
	// number has fewer digits (len: none); zeroEnd is the last fraction
	// position FM keeps even when zero (-1: none).
	zeroStart, zeroEnd int
	fm                 bool
	hasSign            bool // S, MI, SG or PR: no default sign position
	leadingSign        bool // S before the first digit
	decimal            bool
	eeee, roman        bool
}

var numTemplateCache sync.Map

// numKeywords maps template words to tokens, longest first.
var numKeywords = []struct {
	text  string
	kind  numTokKind
	upper bool
}{
	{"EEEE", numEEEE, true}, {"eeee", numEEEE, false},
	{"MI", numMI, true}, {"mi", numMI, false}, {"PL", numPL, true}, {"pl", numPL, false},
	{"SG", numSG, true}, {"sg", numSG, false}, {"PR", numPR, true}, {"pr", numPR, false},
	{"RN", numRN, true}, {"rn", numRN, false}, {"TH", numTH, true}, {"th", numTH, false},
	{"9", numDigit9, true}, {"0", numDigit0, true}, {".", numDecimal, true}, {"D", numDecimal, true}, {"d", numDecimal, true},
	// L is the currency symbol, which the C locale leaves blank.
	{"L", numCurrency, true}, {"l", numCurrency, false},
	{",", numGroup, true}, {"G", numGroup, true}, {"g", numGroup, true}, {"S", numSignS, true}, {"s", numSignS, true},
}

func parseNumTemplate(f string) (*numTemplate, error) {
	if v, ok := numTemplateCache.Load(f); ok {
		return v.(*numTemplate), nil
	}
	t := &numTemplate{zeroEnd: -1}
	t.zeroStart = -1
	afterV := false
	for i := 0; i < len(f); {
		if hasPrefixFold(f[i:], "FM") {
			t.fm = true
			i += 2
			continue
		}
		if f[i] == 'V' || f[i] == 'v' {
			if t.decimal {
				return nil, newErr(pgerror.SyntaxError, "cannot use \"V\" and decimal point together")
			}
			afterV = true
			i++
			continue
		}
		if f[i] == '"' {
			j := i + 1
			var lit strings.Builder
			for j < len(f) && f[j] != '"' {
				if f[j] == '\\' && j+1 < len(f) {
					j++
				}
				lit.WriteByte(f[j])
				j++
			}
			t.toks = append(t.toks, numTok{kind: numLiteral, lit: lit.String()})
			i = j + 1
			continue
		}
		matched := false
		for _, k := range numKeywords {
			if !strings.HasPrefix(f[i:], k.text) {
				continue
			}
			matched = true
			tok := numTok{kind: k.kind, lit: k.text, upper: k.upper}
			switch k.kind {
			case numDigit9, numDigit0, numDecimal:
				if hasTok(t.toks, numPR) {
					return nil, newErr(pgerror.SyntaxError, "\"%s\" must be ahead of \"PR\"", k.text)
				}
			}
			switch k.kind {
			case numDigit9, numDigit0:
				switch {
				case t.decimal:
					if k.kind == numDigit0 {
						t.zeroEnd = t.post
					}
					t.post++
				default:
					if k.kind == numDigit0 && t.zeroStart < 0 {
						t.zeroStart = t.pre + t.shift
					}
					if afterV {
						t.shift++
					} else {
						t.pre++
					}
				}
			case numDecimal:
				if t.decimal {
					return nil, newErr(pgerror.SyntaxError, "multiple decimal points")
				}
				if afterV {
					return nil, newErr(pgerror.SyntaxError, "cannot use \"V\" and decimal point together")
				}
				t.decimal = true
			case numSignS:
				t.hasSign = true
				t.leadingSign = t.pre == 0 && !t.decimal
			case numMI, numSG, numPR:
				t.hasSign = true
			case numEEEE:
				t.eeee = true
			case numRN:
				t.roman = true
			}
			t.toks = append(t.toks, tok)
			i += len(k.text)
			break
		}
		if !matched {
			j := i + 1
			for j < len(f) && f[j]&0xC0 == 0x80 {
				j++
			}
			t.toks = append(t.toks, numTok{kind: numLiteral, lit: f[i:j]})
			i = j
		}
	}
	if t.zeroStart < 0 {
		t.zeroStart = t.pre + t.shift
	}
	numTemplateCache.Store(f, t)
	return t, nil
}
