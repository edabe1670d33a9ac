package rules

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// reject_before and reject_after look at the contextRunes code points before and after a match.
// Most of their patterns are anchored where the match is (…$ before it, ^… after it) and are
// decided by the one or two characters next to the match. A searching automaton (buildDFA with
// anchors) still reads all of the context, since a match could begin anywhere in it; so an
// anchored context gets an automaton that reads from the match outwards instead, and stops at the
// first character no match can go on with:
//
//   - ^… (reject_after): the pattern's automaton without search, read forwards;
//   - …$ (reject_before): the automaton of the pattern reversed (reverse), read backwards from
//     the end of the text before the match (dfa.reversed).
//
// Either reads at most contextRunes code points, where the context's own end lies. Patterns
// that one character decides (dfa.edge) and those anchored at the far end keep the searching
// automaton.

// contextDFA builds the automaton of a reject_before (before) or reject_after pattern: nil when
// the pattern has none (it then goes to the regexp).
func contextDFA(pattern string, before bool) *dfa {
	re := parseSimple(pattern)
	if re == nil {
		return nil
	}
	if edge, _ := edgeOf(re); edge != 0 {
		return buildDFAOf(re, true)
	}
	if before && anchoredAt(re, syntax.OpEndText) {
		if d := buildAutomaton(reverse(re), true, false); d != nil {
			d.reversed = true
			return d
		}
		return buildDFAOf(re, true) // too large reversed: the searching automaton may still build
	}
	if !before && anchoredAt(re, syntax.OpBeginText) {
		if d := buildAutomaton(re, true, false); d != nil {
			return d
		}
		return buildDFAOf(re, true)
	}
	return buildDFAOf(re, true)
}

// anchoredAt reports whether every match of re (parsed and simplified) ends at the end of the
// text (op OpEndText: re is X$) or begins at its start (OpBeginText: ^X).
func anchoredAt(re *syntax.Regexp, op syntax.Op) bool {
	if re.Op == op {
		return true
	}
	if re.Op != syntax.OpConcat || len(re.Sub) == 0 {
		return false
	}
	if op == syntax.OpEndText {
		return re.Sub[len(re.Sub)-1].Op == op
	}
	return re.Sub[0].Op == op
}

// reverse returns a copy of re (parsed and simplified) that matches the reversed texts of re's
// matches: sequences and literals run backwards, ^ and $ trade places. Groups keep their
// numbers, which contexts do not read.
func reverse(re *syntax.Regexp) *syntax.Regexp {
	out := *re
	out.Sub = nil
	for _, sub := range re.Sub {
		out.Sub = append(out.Sub, reverse(sub))
	}
	switch re.Op {
	case syntax.OpLiteral:
		out.Rune = slices.Clone(re.Rune)
		slices.Reverse(out.Rune)
	case syntax.OpConcat:
		slices.Reverse(out.Sub)
	case syntax.OpBeginText:
		out.Op = syntax.OpEndText
	case syntax.OpEndText:
		out.Op = syntax.OpBeginText
	case syntax.OpBeginLine:
		out.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		out.Op = syntax.OpBeginLine
	}
	return &out
}

// matchPrefix is matchString(head(s, n)), for an automaton that reads forwards: it stops at the
// first character no match can go on with; n < 0 reads all of s.
func (d *dfa) matchPrefix(s string, n int) bool {
	st := d.begin
	for pos := 0; ; n-- {
		if d.match[st] {
			return true
		}
		if pos == len(s) || n == 0 {
			return d.matchEnd[st]
		}
		c, size := pipeline.DecodeRune(s[pos:])
		if st = d.next[int(st)*d.nclass+d.class(c)]; st < 0 {
			return false
		}
		pos += size
	}
}

// matchSuffix is matchString(tail(s, n)) for a reversed automaton: it reads s backwards, code
// points as tail counts them, and stops at the first character no match can go on with; n < 0
// reads all of s.
func (d *dfa) matchSuffix(s string, n int) bool {
	st := d.begin
	for end := len(s); ; n-- {
		if d.match[st] {
			return true
		}
		if end == 0 || n == 0 {
			return d.matchEnd[st]
		}
		c, size := utf8.DecodeLastRuneInString(s[:end])
		if st = d.next[int(st)*d.nclass+d.class(c)]; st < 0 {
			return false
		}
		end -= size
	}
}

// rejectedBefore reports whether re, a reject_before pattern with automaton d (or nil), matches
// the context before a match: the last contextRunes code points of s.
func rejectedBefore(re *regexp.Regexp, d *dfa, s string) bool {
	switch {
	case d == nil:
		return re.MatchString(tail(s, contextRunes))
	case d.edge == edgeLast: // the last character decides
		return d.matchString(s)
	case d.reversed:
		return d.matchSuffix(s, contextRunes)
	}
	return d.matchPrefix(tail(s, contextRunes), -1)
}

// rejectedAfter is rejectedBefore for reject_after and the text s after a match: its first
// contextRunes code points.
func rejectedAfter(re *regexp.Regexp, d *dfa, s string) bool {
	switch {
	case d == nil:
		return re.MatchString(head(s, contextRunes))
	case d.edge == edgeFirst: // the first character decides
		return d.matchString(s)
	}
	return d.matchPrefix(s, contextRunes)
}
