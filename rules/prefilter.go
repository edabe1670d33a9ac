package rules

import (
	"regexp/syntax"
	"strings"
)

// A rule's prefilter is a set of runes at least one of which every match must contain: the
// rarest such set the pattern's structure proves (a currency or classifier, 年, %, 成). Match
// skips text that holds none of them, which keeps regular expressions, the pipeline's costliest
// step, off most windows. It never changes a result: it only skips text that cannot match.

// maxClass is the largest character class a prefilter keeps; wider ones prove nothing useful.
const maxClass = 96

// commonRunes appear in most newspaper sentences; a set made of them filters nothing, so the
// analysis prefers any other set.
const commonRunes = "0123456789零〇一二两三四五六七八九十百千万亿"

// required returns runes one of which every match of re contains, and ok=false when no such
// set is known.
func required(re *syntax.Regexp) (set []rune, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 || re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		// The rarest rune of the literal.
		best := re.Rune[0]
		for _, r := range re.Rune {
			if weight(r) < weight(best) {
				best = r
			}
		}
		return []rune{best}, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set = append(set, r)
				if len(set) > maxClass {
					return nil, false
				}
			}
		}
		return set, len(set) > 0
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil, false
	case syntax.OpConcat:
		var best []rune
		found := false
		for _, sub := range re.Sub {
			if s, ok := required(sub); ok && (!found || cost(s) < cost(best)) {
				best, found = s, true
			}
		}
		return best, found
	case syntax.OpAlternate:
		seen := map[rune]bool{}
		for _, sub := range re.Sub {
			s, ok := required(sub)
			if !ok {
				return nil, false
			}
			for _, r := range s {
				if !seen[r] {
					seen[r] = true
					set = append(set, r)
				}
			}
		}
		return set, len(set) > 0 && len(set) <= maxClass
	}
	return nil, false
}

func weight(r rune) int {
	if strings.ContainsRune(commonRunes, r) {
		return 20
	}
	return 1
}

func cost(set []rune) int {
	n := 0
	for _, r := range set {
		n += weight(r)
	}
	return n
}

// prefilter computes the rule's prefilter from its expanded pattern.
func prefilter(expanded string) string {
	re, err := syntax.Parse(expanded, syntax.Perl)
	if err != nil {
		return ""
	}
	set, ok := required(re.Simplify())
	if !ok {
		return ""
	}
	return string(set)
}

// MayMatch reports whether s holds one of the runes every match of the rule needs. False means
// the rule cannot match s; true means it may.
func (r *Rule) MayMatch(s string) bool {
	return r.required == "" || strings.ContainsAny(s, r.required)
}
