package rules

import (
	"math/bits"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
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

// common holds the runes of commonRunes: weight runs on every rune of every class of every
// pattern while the rules load.
var common = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range commonRunes {
		m[r] = true
	}
	return m
}()

func weight(r rune) int {
	if common[r] {
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

// prefilter computes the rule's prefilter from its expanded pattern, parsed and simplified
// (parseSimple).
func prefilter(re *syntax.Regexp) string {
	if re == nil {
		return ""
	}
	set, ok := required(re)
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

// needs returns rune sets every match of re contains a rune of, each of them: for a
// concatenation, the needs of all its parts (a match of 人民币(\d+)元 needs 人, 民, 币, a
// digit and 元). Every set is a necessary condition, so text lacking a rune of any one of them
// cannot match.
func needs(re *syntax.Regexp) [][]rune {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		var out [][]rune
		for _, r := range re.Rune {
			out = append(out, []rune{r})
		}
		return out
	case syntax.OpCapture, syntax.OpPlus:
		return needs(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return needs(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var out [][]rune
		for _, sub := range re.Sub {
			out = append(out, needs(sub)...)
		}
		return out
	case syntax.OpCharClass:
		if set, ok := required(re); ok {
			return [][]rune{set}
		}
	case syntax.OpAlternate:
		// Choosing one need of each alternative makes a set the alternation needs: the
		// rarest runes (required), the first needs (今年|去年 → 今去) and the last (→ 年).
		var out [][]rune
		if set, ok := required(re); ok {
			out = append(out, set)
		}
		var first, last []rune
		for _, sub := range re.Sub {
			ns := needs(sub)
			if len(ns) == 0 {
				return out
			}
			first = addRunes(first, ns[0])
			last = addRunes(last, ns[len(ns)-1])
		}
		for _, set := range [][]rune{first, last} {
			if len(set) <= maxClass {
				out = append(out, set)
			}
		}
		return out
	}
	return nil
}

// addRunes adds to set the runes of more it lacks.
func addRunes(set, more []rune) []rune {
	for _, r := range more {
		if !slices.Contains(set, r) {
			set = append(set, r)
		}
	}
	return set
}

// Filter is a rule set's prefilter in the form extraction uses on many short texts: the runes
// of a text are looked up once (Present), then each rule's needs are a few AND operations on
// bit sets (May) instead of a search of the text per rule.
type Filter struct {
	bit   map[rune]int // each rune that appears in some rule's needs → its bit
	dense []int32      // the same for runes below len(dense), 0 for none, else bit+1
	// indexed: one bit per rune below len(dense), set for those of bit. Most characters of a text
	// are none of them, and this small table answers for them without touching dense.
	indexed *[0x10000 / 64]uint64
	words   int        // length of a Present bit set, in 64-bit words
	rules   [][]need   // by rule index in Set.Rules: all must hold; none = no prefilter
	sets    [][][]rune // the same as runes
	spans   []span     // by rule index: the runes a match begins and ends with
	// For Read: by rune bit, the rules (a bit set over rule indexes, ruleWords long) whose key
	// need holds that rune; a rule's key need is its cheapest (see cost), and a text lacking
	// all of its runes cannot match the rule. unkeyed: the rules without needs.
	keyed     [][]uint64
	unkeyed   []uint64
	ruleWords int
}

// span holds the runes every match of a rule begins with and those it ends with, as sets of
// bits of the Filter's index; ok is false when they are not both known (see edges), firstOK
// when the first are.
type span struct {
	first, last []uint64
	ok, firstOK bool
}

// need is one rune set of a rule as a sparse bit set: the text's bit set must share a bit
// with it.
type need []struct {
	word int
	mask uint64
}

// Filter returns the set's prefilter, built on first use.
func (s *Set) Filter() *Filter {
	s.filterOnce.Do(func() { s.filter = newFilter(s.Rules) })
	return s.filter
}

func newFilter(rs []*Rule) *Filter {
	f := &Filter{bit: map[rune]int{}, dense: make([]int32, 0x10000), indexed: new([0x10000 / 64]uint64), rules: make([][]need, len(rs)), spans: make([]span, len(rs))}
	sets := make([][][]rune, len(rs))
	index := func(set []rune) {
		for _, c := range set {
			if _, ok := f.bit[c]; !ok {
				f.bit[c] = len(f.bit)
				if c >= 0 && c < rune(len(f.dense)) {
					f.dense[c] = int32(len(f.bit))
					f.indexed[c/64] |= 1 << (c % 64)
				}
			}
		}
	}
	firsts, lasts := make([][]rune, len(rs)), make([][]rune, len(rs))
	for i, r := range rs {
		re := r.simple
		if re == nil {
			re = parseSimple(r.expanded)
		}
		if re == nil {
			continue
		}
		sets[i] = needs(re)
		for _, set := range sets[i] {
			index(set)
		}
		first, nf, ok1 := edges(re, true)
		last, nl, ok2 := edges(re, false)
		if ok1 && !nf {
			firsts[i] = first
			f.spans[i].firstOK = true
		}
		if ok1 && ok2 && !nf && !nl {
			lasts[i] = last
			f.spans[i].ok = true
		}
	}
	// The runes of the spans get bits after those of the needs.
	for i := range rs {
		index(firsts[i])
		index(lasts[i])
	}
	f.words = (len(f.bit) + 63) / 64
	for i := range rs {
		if f.spans[i].firstOK {
			f.spans[i].first = f.bits(firsts[i])
		}
		if f.spans[i].ok {
			f.spans[i].last = f.bits(lasts[i])
		}
	}
	f.sets = sets
	f.ruleWords = (len(rs) + 63) / 64
	f.keyed = make([][]uint64, len(f.bit))
	f.unkeyed = make([]uint64, f.ruleWords)
	for i := range rs {
		if len(sets[i]) == 0 {
			f.unkeyed[i/64] |= 1 << (i % 64)
			continue
		}
		key := sets[i][0]
		for _, set := range sets[i][1:] {
			if cost(set) < cost(key) {
				key = set
			}
		}
		for _, c := range key {
			b := f.bit[c]
			if f.keyed[b] == nil {
				f.keyed[b] = make([]uint64, f.ruleWords)
			}
			f.keyed[b][i/64] |= 1 << (i % 64)
		}
	}
	for i := range rs {
		for _, set := range sets[i] {
			masks := make([]uint64, f.words)
			for _, c := range set {
				b := f.bit[c]
				masks[b/64] |= 1 << (b % 64)
			}
			var n need
			for w, m := range masks {
				if m != 0 {
					n = append(n, struct {
						word int
						mask uint64
					}{w, m})
				}
			}
			f.rules[i] = append(f.rules[i], n)
		}
	}
	return f
}

// bits returns the runes of set as a bit set of the filter's index.
func (f *Filter) bits(set []rune) []uint64 {
	b := make([]uint64, f.words)
	for _, c := range set {
		i := f.bit[c]
		b[i/64] |= 1 << (i % 64)
	}
	return b
}

// index returns the bit of rune c, or -1 when no rule needs it.
func (f *Filter) index(c rune) int {
	if c >= 0 && c < rune(len(f.dense)) {
		if f.indexed[c/64]&(1<<(c%64)) == 0 {
			return -1
		}
		return int(f.dense[c]) - 1
	}
	if i, ok := f.bit[c]; ok {
		return i
	}
	return -1
}

// has reports whether bit set b holds rune c.
func (f *Filter) has(b []uint64, c rune) bool {
	i := f.index(c)
	return i >= 0 && b[i/64]&(1<<(i%64)) != 0
}

// Needs returns the rune sets the filter proves every match of rule i needs a rune of each.
func (f *Filter) Needs(i int) [][]rune { return f.sets[i] }

// Present returns the bit set of the indexed runes s holds, in buf when it is large enough.
func (f *Filter) Present(s string, buf []uint64) []uint64 {
	if cap(buf) < f.words {
		buf = make([]uint64, f.words)
	}
	buf = buf[:f.words]
	clear(buf)
	for _, c := range s {
		if b := f.index(c); b >= 0 {
			buf[b/64] |= 1 << (b % 64)
		}
	}
	return buf
}

// May reports whether rule i of the set may match a text whose runes are present: false means
// it cannot.
func (f *Filter) May(i int, present []uint64) bool {
	for _, n := range f.rules[i] {
		ok := false
		for _, m := range n {
			if present[m.word]&m.mask != 0 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// edges returns the runes a match of re can begin with (first) or end with (!first), and
// whether re matches the empty string; ok is false when the set is not known: too large a
// class, any character, or an empty-width assertion (^, $, \b), which could see past a
// shortened text.
func edges(re *syntax.Regexp, first bool) (set []rune, nullable, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return nil, true, true
	case syntax.OpNoMatch:
		return nil, false, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false, false
		}
		if len(re.Rune) == 0 {
			return nil, true, true
		}
		if first {
			return []rune{re.Rune[0]}, false, true
		}
		return []rune{re.Rune[len(re.Rune)-1]}, false, true
	case syntax.OpCharClass:
		set, ok := required(re)
		return set, false, ok
	case syntax.OpCapture, syntax.OpPlus:
		return edges(re.Sub[0], first)
	case syntax.OpStar, syntax.OpQuest:
		set, _, ok := edges(re.Sub[0], first)
		return set, true, ok
	case syntax.OpRepeat:
		set, n, ok := edges(re.Sub[0], first)
		return set, n || re.Min == 0, ok
	case syntax.OpConcat:
		nullable = true
		for k := range re.Sub {
			sub := re.Sub[k]
			if !first {
				sub = re.Sub[len(re.Sub)-1-k]
			}
			s, n, ok := edges(sub, first)
			if !ok {
				return nil, false, false
			}
			set = append(set, s...)
			if !n {
				nullable = false
				break
			}
		}
		return set, nullable, len(set) <= 4*maxClass
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, n, ok := edges(sub, first)
			if !ok {
				return nil, false, false
			}
			set = append(set, s...)
			nullable = nullable || n
		}
		return set, nullable, len(set) <= 4*maxClass
	}
	return nil, false, false
}

// Span returns the part of text, text[lo:hi], that holds every match rule i of the set can
// have: from the first rune a match can begin with to the last one it can end with. ok is
// false when no match is possible at all. For a rule whose edges are not known it is the
// whole text.
func (f *Filter) Span(i int, text string) (lo, hi int, ok bool) {
	sp := f.spans[i]
	if !sp.ok {
		return 0, len(text), true
	}
	lo = -1
	for k, c := range text {
		if f.has(sp.first, c) {
			lo = k
			break
		}
	}
	if lo < 0 {
		return 0, 0, false
	}
	for hi = len(text); hi > lo; {
		c, size := utf8.DecodeLastRuneInString(text[:hi])
		if f.has(sp.last, c) {
			return lo, hi, true
		}
		hi -= size
	}
	return 0, 0, false
}

// Window is a text as a Filter reads it once for all rules (Read): the indexed runes it holds,
// where, and the rules that may match it.
type Window struct {
	present []uint64     // Present's bit set
	rules   []uint64     // the rules that may match, by index
	at      []windowRune // the indexed runes, in text order
	n       int          // the text's length
	starts  []int32      // Starts' answer
}

// windowRune is one indexed rune of a window: its bytes and its bit in the Filter's index.
type windowRune struct {
	start, end int32
	bit        int32
}

// Read reads text into w, reusing w's buffers: then w.Next lists the rules May allows, and
// WindowSpan gives Span's answers without another pass over the text.
func (f *Filter) Read(text string, w *Window) {
	if cap(w.present) < f.words {
		w.present = make([]uint64, f.words)
	}
	w.present = w.present[:f.words]
	clear(w.present)
	if cap(w.rules) < f.ruleWords {
		w.rules = make([]uint64, f.ruleWords)
	}
	w.rules = w.rules[:f.ruleWords]
	copy(w.rules, f.unkeyed)
	w.at, w.n = w.at[:0], len(text)
	for k, c := range text {
		b := f.index(c)
		if b < 0 {
			continue
		}
		size := utf8.RuneLen(c)
		if c == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(text[k:])
		}
		w.at = append(w.at, windowRune{int32(k), int32(k + size), int32(b)})
		if w.present[b/64]&(1<<(b%64)) != 0 {
			continue
		}
		w.present[b/64] |= 1 << (b % 64)
		if key := f.keyed[b]; key != nil {
			for j, m := range key {
				w.rules[j] |= m
			}
		}
	}
	// A key need only narrows the rules down; May checks every need of each.
	for j, m := range w.rules {
		for m != 0 {
			i := j*64 + bits.TrailingZeros64(m)
			m &= m - 1
			if !f.May(i, w.present) {
				w.rules[j] &^= 1 << (i % 64)
			}
		}
	}
}

// Next returns the first rule index from i on that may match the window (May), or -1.
func (w *Window) Next(i int) int {
	for j := i / 64; j < len(w.rules); j++ {
		m := w.rules[j]
		if j == i/64 {
			m &= ^uint64(0) << (i % 64)
		}
		if m != 0 {
			return j*64 + bits.TrailingZeros64(m)
		}
	}
	return -1
}

// WindowSpan is Span(i, text) for the text w holds.
func (f *Filter) WindowSpan(i int, w *Window) (lo, hi int, ok bool) {
	sp := f.spans[i]
	if !sp.ok {
		return 0, w.n, true
	}
	k := 0
	for ; k < len(w.at); k++ {
		if b := w.at[k].bit; sp.first[b/64]&(1<<(b%64)) != 0 {
			break
		}
	}
	for e := len(w.at) - 1; e >= k; e-- {
		if b := w.at[e].bit; sp.last[b/64]&(1<<(b%64)) != 0 {
			return int(w.at[k].start), int(w.at[e].end), true
		}
	}
	return 0, 0, false
}

// Starts returns the byte offsets in the text w holds at which a match of rule i may begin,
// in order (valid until the next call), or ok false when the Filter does not know.
func (f *Filter) Starts(i int, w *Window) (starts []int32, ok bool) {
	sp := f.spans[i]
	if !sp.firstOK {
		return nil, false
	}
	w.starts = w.starts[:0]
	for _, at := range w.at {
		if b := at.bit; sp.first[b/64]&(1<<(b%64)) != 0 {
			w.starts = append(w.starts, at.start)
		}
	}
	return w.starts, true
}

// StartsSpan is WindowSpan and Starts in one pass over the window, for extraction: the part of
// the window that holds every match of rule i, and the offsets in it where a match may begin
// (nil when the Filter does not know them; valid until the next call). ok is false when no
// match is possible, which is also when the Filter knows the starts and there are none.
func (f *Filter) StartsSpan(i int, w *Window) (lo, hi int, starts []int32, ok bool) {
	sp := f.spans[i]
	if !sp.firstOK {
		lo, hi, ok = f.WindowSpan(i, w)
		return lo, hi, nil, ok
	}
	w.starts = w.starts[:0]
	k := -1 // the first of w.at a match may begin with
	for j, at := range w.at {
		if b := at.bit; sp.first[b/64]&(1<<(b%64)) != 0 {
			if k < 0 {
				k = j
			}
			w.starts = append(w.starts, at.start)
		}
	}
	if k < 0 {
		return 0, 0, nil, false
	}
	if !sp.ok {
		return 0, w.n, w.starts, true
	}
	for e := len(w.at) - 1; e >= k; e-- {
		if b := w.at[e].bit; sp.last[b/64]&(1<<(b%64)) != 0 {
			return int(w.at[k].start), int(w.at[e].end), w.starts, true
		}
	}
	return 0, 0, nil, false
}
