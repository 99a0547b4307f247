package builtins

import (
	"strings"
	"sync"
)

// Date/time formatting templates (to_char, to_date, to_timestamp), parsed
// into keyword and literal nodes as PostgreSQL's formatting.c does:
// keywords are matched longest first at each position, FM/FX/TM prefixes
// and TH/th suffixes modify the next keyword, double-quoted text and
// backslash-escaped characters are literal.

// dtKeyword is one template pattern.
type dtKeyword int

const (
	kwNone dtKeyword = iota
	kwAD             // AD, BC (and A.D., B.C.)
	kwADDots
	kwAM // AM, PM
	kwAMDots
	kwCC
	kwDAY // full day name
	kwDDD
	kwDD
	kwDY // abbreviated day name
	kwD
	kwFF1
	kwFF2
	kwFF3
	kwFF4
	kwFF5
	kwFF6
	kwHH24
	kwHH12 // HH12 and HH
	kwIDDD
	kwID
	kwIW
	kwIYYY
	kwIYY
	kwIY
	kwI
	kwJ
	kwMI
	kwMM
	kwMONTH
	kwMON
	kwMS
	kwOF
	kwQ
	kwRM
	kwSSSS // SSSS and SSSSS: seconds past midnight
	kwSS
	kwTZH
	kwTZM
	kwTZ
	kwUS
	kwWW
	kwW
	kwYCommaYYY
	kwYYYY
	kwYYY
	kwYY
	kwY
)

// letterCase is how a textual field is capitalised: by its spelling in
// the template (MONTH, Month, month).
type letterCase int

const (
	caseUpper letterCase = iota
	caseTitle
	caseLower
)

// dtPattern is one spelling of a keyword.
type dtPattern struct {
	text string
	kw   dtKeyword
	lc   letterCase
}

// dtPatterns are the keywords, longest first where one is a prefix of
// another (PostgreSQL's DCH_keywords order).
var dtPatterns = []dtPattern{
	{"A.D.", kwADDots, caseUpper}, {"A.M.", kwAMDots, caseUpper}, {"AD", kwAD, caseUpper}, {"AM", kwAM, caseUpper},
	{"B.C.", kwADDots, caseUpper}, {"BC", kwAD, caseUpper},
	{"CC", kwCC, caseUpper},
	{"DAY", kwDAY, caseUpper}, {"DDD", kwDDD, caseUpper}, {"DD", kwDD, caseUpper}, {"DY", kwDY, caseUpper},
	{"Day", kwDAY, caseTitle}, {"Dy", kwDY, caseTitle}, {"D", kwD, caseUpper},
	{"FF1", kwFF1, caseUpper}, {"FF2", kwFF2, caseUpper}, {"FF3", kwFF3, caseUpper},
	{"FF4", kwFF4, caseUpper}, {"FF5", kwFF5, caseUpper}, {"FF6", kwFF6, caseUpper},
	{"HH24", kwHH24, caseUpper}, {"HH12", kwHH12, caseUpper}, {"HH", kwHH12, caseUpper},
	{"IDDD", kwIDDD, caseUpper}, {"ID", kwID, caseUpper}, {"IW", kwIW, caseUpper},
	{"IYYY", kwIYYY, caseUpper}, {"IYY", kwIYY, caseUpper}, {"IY", kwIY, caseUpper}, {"I", kwI, caseUpper},
	{"J", kwJ, caseUpper},
	{"MI", kwMI, caseUpper}, {"MM", kwMM, caseUpper}, {"MONTH", kwMONTH, caseUpper}, {"MON", kwMON, caseUpper},
	{"MS", kwMS, caseUpper}, {"Month", kwMONTH, caseTitle}, {"Mon", kwMON, caseTitle},
	{"OF", kwOF, caseUpper},
	{"P.M.", kwAMDots, caseUpper}, {"PM", kwAM, caseUpper},
	{"Q", kwQ, caseUpper},
	{"RM", kwRM, caseUpper},
	{"SSSSS", kwSSSS, caseUpper}, {"SSSS", kwSSSS, caseUpper}, {"SS", kwSS, caseUpper},
	{"TZH", kwTZH, caseUpper}, {"TZM", kwTZM, caseUpper}, {"TZ", kwTZ, caseUpper},
	{"US", kwUS, caseUpper},
	{"WW", kwWW, caseUpper}, {"W", kwW, caseUpper},
	{"Y,YYY", kwYCommaYYY, caseUpper}, {"YYYY", kwYYYY, caseUpper}, {"YYY", kwYYY, caseUpper},
	{"YY", kwYY, caseUpper}, {"Y", kwY, caseUpper},
	{"a.d.", kwADDots, caseLower}, {"a.m.", kwAMDots, caseLower}, {"ad", kwAD, caseLower}, {"am", kwAM, caseLower},
	{"b.c.", kwADDots, caseLower}, {"bc", kwAD, caseLower},
	{"cc", kwCC, caseLower},
	{"day", kwDAY, caseLower}, {"ddd", kwDDD, caseLower}, {"dd", kwDD, caseLower}, {"dy", kwDY, caseLower}, {"d", kwD, caseLower},
	{"ff1", kwFF1, caseLower}, {"ff2", kwFF2, caseLower}, {"ff3", kwFF3, caseLower},
	{"ff4", kwFF4, caseLower}, {"ff5", kwFF5, caseLower}, {"ff6", kwFF6, caseLower},
	{"hh24", kwHH24, caseLower}, {"hh12", kwHH12, caseLower}, {"hh", kwHH12, caseLower},
	{"iddd", kwIDDD, caseLower}, {"id", kwID, caseLower}, {"iw", kwIW, caseLower},
	{"iyyy", kwIYYY, caseLower}, {"iyy", kwIYY, caseLower}, {"iy", kwIY, caseLower}, {"i", kwI, caseLower},
	{"j", kwJ, caseLower},
	{"mi", kwMI, caseLower}, {"mm", kwMM, caseLower}, {"month", kwMONTH, caseLower}, {"mon", kwMON, caseLower},
	{"ms", kwMS, caseLower},
	{"of", kwOF, caseLower},
	{"p.m.", kwAMDots, caseLower}, {"pm", kwAM, caseLower},
	{"q", kwQ, caseLower},
	{"rm", kwRM, caseLower},
	{"sssss", kwSSSS, caseLower}, {"ssss", kwSSSS, caseLower}, {"ss", kwSS, caseLower},
	{"tzh", kwTZH, caseLower}, {"tzm", kwTZM, caseLower}, {"tz", kwTZ, caseLower},
	{"us", kwUS, caseLower},
	{"ww", kwWW, caseLower}, {"w", kwW, caseLower},
	{"y,yyy", kwYCommaYYY, caseLower}, {"yyyy", kwYYYY, caseLower}, {"yyy", kwYYY, caseLower},
	{"yy", kwYY, caseLower}, {"y", kwY, caseLower},
}

// dtNode is one element of a parsed template: a keyword with its
// modifiers, or literal text.
type dtNode struct {
	kw      dtKeyword
	pattern string // the keyword as written, for error messages
	lc      letterCase
	fm      bool // FM: no padding
	fx      bool // FX: exact input matching (to_timestamp), from here on
	tm      bool // TM: translated names, which are never padded
	th      int  // 1: TH suffix, 2: th suffix
	literal string
	quoted  bool // literal came from "..." (skips as many input characters)
}

var dtTemplateCache sync.Map // template string → []dtNode

// parseDateTemplate splits a datetime template into nodes.
func parseDateTemplate(f string) []dtNode {
	if v, ok := dtTemplateCache.Load(f); ok {
		return v.([]dtNode)
	}
	var nodes []dtNode
	fm, fx, tm := false, false, false
	for i := 0; i < len(f); {
		// Prefixes apply to the keyword that follows.
		switch {
		case hasPrefixFold(f[i:], "FM"):
			fm = true
			i += 2
			continue
		case hasPrefixFold(f[i:], "FX"):
			fx = true
			i += 2
			continue
		case hasPrefixFold(f[i:], "TM"):
			tm = true // the C locale's names are the translations
			i += 2
			continue
		}
		if p, ok := matchDatePattern(f[i:]); ok {
			n := dtNode{kw: p.kw, pattern: p.text, lc: p.lc, fm: fm, fx: fx, tm: tm}
			i += len(p.text)
			switch {
			case strings.HasPrefix(f[i:], "TH"):
				n.th = 1
				i += 2
			case strings.HasPrefix(f[i:], "th"):
				n.th = 2
				i += 2
			}
			nodes = append(nodes, n)
			fm, tm = false, false
			continue
		}
		fm, tm = false, false
		switch c := f[i]; c {
		case '"':
			j := i + 1
			var lit strings.Builder
			for j < len(f) && f[j] != '"' {
				if f[j] == '\\' && j+1 < len(f) {
					j++
				}
				lit.WriteByte(f[j])
				j++
			}
			nodes = append(nodes, dtNode{literal: lit.String(), quoted: true, fx: fx})
			i = j + 1
		case '\\':
			// Outside quotes a backslash only escapes a double quote.
			if strings.HasPrefix(f[i+1:], `"`) {
				nodes = append(nodes, dtNode{literal: `"`, fx: fx})
				i += 2
			} else {
				nodes = append(nodes, dtNode{literal: `\`, fx: fx})
				i++
			}
		default:
			// One character (a whole UTF-8 sequence) of literal text.
			j := i + 1
			for j < len(f) && f[j]&0xC0 == 0x80 {
				j++
			}
			nodes = append(nodes, dtNode{literal: f[i:j], fx: fx})
			i = j
		}
	}
	dtTemplateCache.Store(f, nodes)
	return nodes
}

func matchDatePattern(s string) (dtPattern, bool) {
	for _, p := range dtPatterns {
		if strings.HasPrefix(s, p.text) {
			return p, true
		}
	}
	return dtPattern{}, false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
