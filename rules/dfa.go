package rules

import (
	"encoding/binary"
	"math/bits"
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Go's regexp finds a leftmost-longest match by backtracking: from each start it tries every
// path the pattern allows, which for the long alternations of the figure rules costs tens of
// steps per character. A rule's matches are instead located with a deterministic automaton
// (one step per character), and only the text of each match goes to the regexp for its groups.
// The regexp then returns the same groups: on a text that ends where the longest match ends, the
// backtracker takes the paths in the same order as before and stops at the first that reaches
// the end, which is the one it kept before (a later path of the same length never replaces it).

// maxDFAStates bounds an automaton; a rule whose pattern needs more keeps the regexp alone.
const maxDFAStates = 4000

// dfa is the deterministic automaton of one pattern, anchored at the start of a match: state 0
// is the start, next[s*nclass+c] the state after a character of class c, or -1 when no match
// can continue.
type dfa struct {
	bounds []rune  // elementary interval i holds the runes from bounds[i] up to bounds[i+1]-1
	elem   []int32 // the class of each elementary interval
	nclass int
	// The classes of the Basic Multilingual Plane, by 256-rune page: blocks[pages[r>>8]<<8|r&0xff],
	// identical pages stored once (the text is mostly there; other runes go to search).
	pages  [256]uint16
	blocks []uint8
	next   []int16 // maxDFAStates fits: half the cache lines of int32
	match  []bool  // by state: a match may end here
	// For patterns with ^ and $ (reject_before, reject_after): matchEnd[s], a match ends here
	// when the text ends here; begin, the start state at the start of the text (where ^ holds).
	matchEnd []bool
	begin    int16
	// For context automata of the commonest shape, [class]$ or ^[class] (edge 1 or 2): the
	// class, as syntax.Regexp's Rune pairs; matchString then reads one character.
	edge      int
	edgeRunes []rune
	// reversed: built from a pattern reversed (context.go), the automaton reads texts backwards.
	reversed bool
	// For captures (capture.go): the program the automaton was built from; by class the rune
	// instructions that match it, words bits apiece; by instruction the classes a path from it
	// can read first, classWords bits apiece; the instructions from which a path reaches Match
	// without reading (endOK).
	prog       *syntax.Prog
	sigs       []uint64
	words      int
	viable     []uint64
	classWords int
	endOK      []uint64
}

// bitset is a set of instructions of a program.
type bitset []uint64

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// appendKey appends the bytes of b to k, as a map key for the set.
func (b bitset) appendKey(k []byte) []byte {
	for _, w := range b {
		k = binary.LittleEndian.AppendUint64(k, w)
	}
	return k
}

// newDFA builds the automaton of pattern for find, or returns nil when the pattern has
// empty-width assertions (^, $, \b: they look past a match), matches the empty string, or needs
// more than maxDFAStates states.
func newDFA(pattern string) *dfa {
	return newDFAOf(parseSimple(pattern))
}

// newDFAOf is newDFA of a pattern already parsed and simplified (parseSimple); nil re gives nil.
func newDFAOf(re *syntax.Regexp) *dfa {
	d := buildDFAOf(re, false)
	if d == nil || d.match[0] {
		return nil
	}
	return d
}

// textFlags are the empty-width assertions an automaton for matchString handles: ^ and $
// without (?m).
const textFlags = syntax.EmptyBeginText | syntax.EmptyEndText

// isRune reports whether op reads a rune.
func isRune(op syntax.InstOp) bool {
	return op == syntax.InstRune || op == syntax.InstRune1 || op == syntax.InstRuneAny || op == syntax.InstRuneAnyNotNL
}

// buildDFA builds the automaton of pattern, or with anchors the automaton matchString searches
// with, which allows ^ and $; nil when the pattern has other assertions or needs too many
// states.
//
// A process builds the automata of the rules automata.bin lacks (a researcher's own; the
// default set's come prebuilt: prebuilt.go), so the construction avoids what dominated it: it
// allocates sets in a few large slices, reuses its scratch sets, and looks sets up by their
// bytes without building a string for each.
func buildDFA(pattern string, anchors bool) *dfa {
	return buildDFAOf(parseSimple(pattern), anchors)
}

// parseSimple returns pattern parsed as regexp parses it, and simplified, or nil when it does
// not parse. Parsing the long patterns of the default rules is a good part of building their
// automata, so a Rule keeps the result for its prefilter, its Filter and its automaton.
func parseSimple(pattern string) *syntax.Regexp {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return re.Simplify()
}

// buildDFAOf is buildDFA of a pattern already parsed and simplified (parseSimple), which it
// does not modify; nil re gives nil.
func buildDFAOf(re *syntax.Regexp, anchors bool) *dfa {
	return buildAutomaton(re, anchors, anchors)
}

// buildAutomaton is buildDFAOf with its two choices apart: assertions allows ^ and $, search
// makes the automaton find a match that begins anywhere (every state holds the start's), not
// only at the start of the text (contextDFA).
func buildAutomaton(re *syntax.Regexp, assertions, search bool) *dfa {
	anchors := assertions
	if re == nil {
		return nil
	}
	prog, err := syntax.Compile(re)
	if err != nil {
		return nil
	}
	words := (len(prog.Inst) + 63) / 64
	newSet := func() bitset { return make(bitset, words) }

	// Elementary intervals: the runes between two consecutive bounds are matched alike by
	// every instruction of the program. runeRanges gives the runes an instruction matches,
	// as Inst.MatchRune decides: a literal (with its case folds under (?i)), or pairs of
	// bounds.
	runeRanges := func(in *syntax.Inst, each func(lo, hi rune)) {
		if len(in.Rune) == 1 {
			r0 := in.Rune[0]
			each(r0, r0)
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
					each(r, r)
				}
			}
			return
		}
		for i := 0; i+1 < len(in.Rune); i += 2 {
			each(in.Rune[i], in.Rune[i+1])
		}
	}
	bounds := []rune{0, utf8.MaxRune + 1}
	for i := range prog.Inst {
		in := &prog.Inst[i]
		switch {
		case in.Op == syntax.InstEmptyWidth:
			if !anchors || syntax.EmptyOp(in.Arg)&^textFlags != 0 {
				return nil
			}
		case isRune(in.Op):
			runeRanges(in, func(lo, hi rune) { bounds = append(bounds, lo, hi+1) })
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	d := &dfa{bounds: bounds[:len(bounds)-1]} // the last bound ends the last interval
	nb := len(d.bounds)
	// isig[i*words:]: the rune instructions that match elementary interval i. Each range an
	// instruction matches begins on a bound and ends before one, so it covers whole intervals.
	isig := make([]uint64, nb*words)
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		if !isRune(in.Op) {
			continue
		}
		w, bit := pc/64, uint64(1)<<(pc%64)
		runeRanges(in, func(lo, hi rune) {
			i, _ := slices.BinarySearch(d.bounds, lo)
			for ; i < nb && d.bounds[i] <= hi; i++ {
				isig[i*words+w] |= bit
			}
		})
	}
	// Classes: intervals that the same instructions match are one class.
	var sigs []bitset // by class: the rune instructions that match it
	classOf := map[string]int32{}
	var key []byte // a set's bytes, reused
	d.elem = make([]int32, nb)
	for i := range nb {
		sig := bitset(isig[i*words : (i+1)*words : (i+1)*words])
		key = sig.appendKey(key[:0])
		c, ok := classOf[string(key)]
		if !ok {
			c = int32(len(sigs))
			classOf[string(key)] = c
			sigs = append(sigs, sig)
		}
		d.elem[i] = c
	}
	d.nclass = len(sigs)
	if d.nclass > 256 {
		return nil
	}
	d.prog, d.words = prog, words
	d.sigs = make([]uint64, 0, d.nclass*words)
	for _, sig := range sigs {
		d.sigs = append(d.sigs, sig...)
	}
	d.tabulate()

	// reach adds to set the instructions reachable from pcs without reading a rune, where the
	// assertions in flags hold: rune instructions, Match, and the assertions that do not hold
	// (pending: they may hold where the text ends).
	var matches, pending bitset = newSet(), newSet()
	seen := newSet()
	var stack []uint32
	reach := func(set bitset, pcs []uint32, flags syntax.EmptyOp) {
		clear(seen)
		stack = append(stack[:0], pcs...)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[p/64]&(1<<(p%64)) != 0 {
				continue
			}
			seen[p/64] |= 1 << (p % 64)
			in := &prog.Inst[p]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, in.Arg, in.Out)
			case syntax.InstCapture, syntax.InstNop:
				stack = append(stack, in.Out)
			case syntax.InstEmptyWidth:
				if syntax.EmptyOp(in.Arg)&^flags == 0 {
					stack = append(stack, in.Out)
				} else {
					set[p/64] |= 1 << (p % 64)
					pending[p/64] |= 1 << (p % 64)
				}
			case syntax.InstMatch:
				set[p/64] |= 1 << (p % 64)
				matches[p/64] |= 1 << (p % 64)
			default:
				if isRune(in.Op) {
					set[p/64] |= 1 << (p % 64)
				}
			}
		}
	}
	// closure[pc]: reach from pc inside the text, where neither ^ nor $ holds.
	closure := make([]bitset, len(prog.Inst))
	closures := make([]uint64, len(prog.Inst)*words)
	for pc := range prog.Inst {
		closure[pc] = closures[pc*words : (pc+1)*words : (pc+1)*words]
		reach(closure[pc], []uint32{uint32(pc)}, 0)
	}
	has := func(s, mask bitset) bool {
		for i := range s {
			if s[i]&mask[i] != 0 {
				return true
			}
		}
		return false
	}
	// atEnd reports whether a match ends where the text ends, in state s at a place where
	// flags hold.
	var pcs []uint32
	var ends bitset
	atEnd := func(s bitset, flags syntax.EmptyOp) bool {
		if has(s, matches) {
			return true
		}
		pcs = pcs[:0]
		for w := range s {
			for m := s[w] & pending[w]; m != 0; m &= m - 1 {
				pcs = append(pcs, uint32(w*64+bits.TrailingZeros64(m)))
			}
		}
		if len(pcs) == 0 {
			return false
		}
		if ends == nil {
			ends = newSet()
		}
		clear(ends)
		reach(ends, pcs, flags|syntax.EmptyEndText)
		return has(ends, matches)
	}

	if !anchors {
		cw := (d.nclass + 63) / 64
		d.classWords = cw
		// classesOf[pc*cw:]: the classes rune instruction pc matches.
		classesOf := make([]uint64, len(prog.Inst)*cw)
		for c, sig := range sigs {
			for w := range sig {
				for m := sig[w]; m != 0; m &= m - 1 {
					pc := w*64 + bits.TrailingZeros64(m)
					classesOf[pc*cw+c/64] |= 1 << (c % 64)
				}
			}
		}
		d.viable = make([]uint64, len(prog.Inst)*cw)
		d.endOK = make([]uint64, words)
		for pc := range prog.Inst {
			if has(closure[pc], matches) {
				d.endOK[pc/64] |= 1 << (pc % 64)
			}
			v := d.viable[pc*cw : (pc+1)*cw]
			for w, word := range closure[pc] {
				for m := word; m != 0; m &= m - 1 {
					q := w*64 + bits.TrailingZeros64(m)
					for k := range cw {
						v[k] |= classesOf[q*cw+k]
					}
				}
			}
		}
	}

	// Subset construction. State 0 starts a match inside the text; with assertions, state
	// d.begin starts one at the start of the text (its key is marked, as $ may hold there
	// differently).
	states := []bitset{closure[prog.Start]}
	index := map[string]int32{string(states[0].appendKey(nil)): 0}
	flags := []syntax.EmptyOp{0}
	if anchors {
		b := newSet()
		reach(b, []uint32{uint32(prog.Start)}, syntax.EmptyBeginText)
		d.begin = 1
		states = append(states, b)
		flags = append(flags, syntax.EmptyBeginText)
		index[string(b.appendKey([]byte("^")))] = 1
	}
	out := newSet()    // the state after a character, until it is found to be new
	var fresh []uint64 // room for new states
	for i := 0; i < len(states); i++ {
		for c := range d.nclass {
			clear(out)
			empty := true
			sig := sigs[c]
			for w, word := range states[i] {
				m := word & sig[w]
				for m != 0 {
					pc := w*64 + bits.TrailingZeros64(m)
					m &= m - 1
					out.or(closure[prog.Inst[pc].Out])
					empty = false
				}
			}
			if search {
				// A context automaton searches: a match may begin after any character, so
				// every state holds the start's (matchString then reads the text once).
				out.or(closure[prog.Start])
				empty = false
			}
			next := int16(-1)
			if !empty {
				key = out.appendKey(key[:0])
				n, ok := index[string(key)]
				if !ok {
					if len(states) == maxDFAStates {
						return nil
					}
					n = int32(len(states))
					index[string(key)] = n
					if len(fresh) < words {
						fresh = make([]uint64, 64*words)
					}
					s := bitset(fresh[:words:words])
					fresh = fresh[words:]
					copy(s, out)
					states = append(states, s)
					flags = append(flags, 0)
				}
				next = int16(n)
			}
			d.next = append(d.next, next)
		}
	}
	d.match = make([]bool, len(states))
	d.matchEnd = make([]bool, len(states))
	for i, s := range states {
		d.match[i] = has(s, matches)
		d.matchEnd[i] = atEnd(s, flags[i])
	}
	if anchors {
		d.edge, d.edgeRunes = edgeOf(re)
	}
	return d
}

// The shapes of edge: a context that only its last (or first) character decides.
const (
	edgeLast  = 1 // [class]$
	edgeFirst = 2 // ^[class]
)

// edgeOf returns the edge shape of a pattern (parsed and simplified) and its class, or 0.
func edgeOf(re *syntax.Regexp) (int, []rune) {
	if re.Op != syntax.OpConcat || len(re.Sub) != 2 {
		return 0, nil
	}
	class := func(c *syntax.Regexp) []rune {
		switch {
		case c.Op == syntax.OpCharClass:
			return c.Rune
		case c.Op == syntax.OpLiteral && len(c.Rune) == 1 && c.Flags&syntax.FoldCase == 0:
			return []rune{c.Rune[0], c.Rune[0]}
		}
		return nil
	}
	a, b := re.Sub[0], re.Sub[1]
	if rs := class(a); rs != nil && b.Op == syntax.OpEndText {
		return edgeLast, rs
	}
	if rs := class(b); rs != nil && a.Op == syntax.OpBeginText {
		return edgeFirst, rs
	}
	return 0, nil
}

// inEdge reports whether r is in the edge class.
func (d *dfa) inEdge(r rune) bool {
	for i := 0; i+1 < len(d.edgeRunes); i += 2 {
		if d.edgeRunes[i] <= r && r <= d.edgeRunes[i+1] {
			return true
		}
	}
	return false
}

// matchString reports whether the pattern matches somewhere in s, as the regexp's MatchString
// does. It is for automata built with anchors: those that search, whose states hold every match
// begun so far, and those of anchored contexts (contextDFA).
func (d *dfa) matchString(s string) bool {
	switch d.edge {
	case edgeLast:
		if s == "" {
			return false
		}
		r, _ := utf8.DecodeLastRuneInString(s)
		return d.inEdge(r)
	case edgeFirst:
		if s == "" {
			return false
		}
		r, _ := pipeline.DecodeRune(s)
		return d.inEdge(r)
	}
	if d.reversed {
		return d.matchSuffix(s, -1)
	}
	return d.matchPrefix(s, -1)
}

// tabulate fills pages and blocks from the intervals. Most pages lie within one interval; a
// page is stored once per content, in page order, whichever way it was filled.
func (d *dfa) tabulate() {
	var uniform [256]int32 // by class: 1 + the block of a page all of that class; 0: none yet
	var page [256]uint8
	n, last := 0, -1 // the pages a bound falls inside: at most so many are not uniform
	for _, b := range d.bounds {
		if p := int(b >> 8); b < 0x10000 && b&0xff != 0 && p != last {
			n, last = n+1, p
		}
	}
	mixed := make(map[[256]uint8]uint16, n)
	d.blocks = make([]uint8, 0, (n+4)<<8)
	i := 0 // the interval that holds the first rune of the page
	for p := range d.pages {
		lo := rune(p << 8)
		for i+1 < len(d.bounds) && d.bounds[i+1] <= lo {
			i++
		}
		c := uint8(d.elem[i])
		same := i+1 >= len(d.bounds) || d.bounds[i+1] >= lo+256
		if !same {
			j := i
			same = true
			for k := range page {
				for j+1 < len(d.bounds) && d.bounds[j+1] <= lo+rune(k) {
					j++
				}
				page[k] = uint8(d.elem[j])
				same = same && page[k] == c
			}
		}
		if same {
			if uniform[c] == 0 {
				uniform[c] = int32(len(d.blocks)>>8) + 1
				for range 256 {
					d.blocks = append(d.blocks, c)
				}
			}
			d.pages[p] = uint16(uniform[c] - 1)
			continue
		}
		b, ok := mixed[page]
		if !ok {
			b = uint16(len(d.blocks) >> 8)
			mixed[page] = b
			d.blocks = append(d.blocks, page[:]...)
		}
		d.pages[p] = b
	}
}

// class returns the character class of r.
func (d *dfa) class(r rune) int {
	if r >= 0 && r < 0x10000 {
		return int(d.blocks[int(d.pages[r>>8])<<8|int(r&0xff)])
	}
	return d.search(r)
}

// search finds the class of r among the intervals.
func (d *dfa) search(r rune) int {
	lo, hi := 0, len(d.bounds) // bounds[lo] <= r < bounds[hi], taking bounds[len] as infinity
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if d.bounds[m] <= r {
			lo = m
		} else {
			hi = m
		}
	}
	return int(d.elem[lo])
}

// longest returns the end of the longest match that begins at text[start:], or -1.
func (d *dfa) longest(text string, start int) int {
	end := -1
	s := int16(0)
	for pos := start; pos < len(text); {
		// ASCII (the digits of most figures) without a call; what DecodeRune reads otherwise.
		c, size := rune(text[pos]), 1
		if c >= utf8.RuneSelf {
			c, size = pipeline.DecodeRune(text[pos:])
		}
		if s = d.next[int(s)*d.nclass+d.class(c)]; s < 0 {
			break
		}
		pos += size
		if d.match[s] {
			end = pos
		}
	}
	return end
}

// runMemo lets the runs of one automaton over one text, from many starts (Matcher.Kept), share
// what they learn. A run that finds no match marks each (offset, state) it passed through as
// dead: from there it read on and found nothing. Another run that reaches a dead (offset,
// state) would read on exactly as the failed one did, so it stops there with what it found
// before. Over a run of digits that does not end as a rule wants (1998年 for a count of
// people), each start then reads up to where it joins an earlier run, not to the end again.
type runMemo struct {
	gen   uint32   // the current text's generation: a mark of another one is no mark
	seen  []uint32 // by byte offset from base: the generation that marked the offset dead
	state []int16  // by byte offset from base: the dead state there
	base  int
	trail []int32 // the current run's offsets and states, marked dead if it finds no match
}

// reset forgets every mark, for runs over the offsets base to base+n.
func (rm *runMemo) reset(base, n int) {
	if rm.gen++; rm.gen == 0 { // wrapped: the oldest marks would look current
		clear(rm.seen)
		rm.gen = 1
	}
	if len(rm.seen) < n+1 {
		rm.seen, rm.state = make([]uint32, n+1), make([]int16, n+1)
	}
	rm.base = base
}

// longestMemo is longest(text, start) for a run after rm.reset(base, n) with base <= start
// and len(text) <= base+n: it stops where it joins a run that found no match.
func (d *dfa) longestMemo(text string, start int, rm *runMemo) int {
	end := -1
	s := int16(0)
	rm.trail = rm.trail[:0]
	for pos := start; pos < len(text); {
		c, size := rune(text[pos]), 1
		if c >= utf8.RuneSelf {
			c, size = pipeline.DecodeRune(text[pos:])
		}
		if s = d.next[int(s)*d.nclass+d.class(c)]; s < 0 {
			break
		}
		pos += size
		if i := pos - rm.base; rm.seen[i] == rm.gen && rm.state[i] == s {
			break // a failed run was here in this state, and no match lies ahead
		}
		if d.match[s] {
			end = pos
		}
		rm.trail = append(rm.trail, int32(pos), int32(s))
	}
	if end < 0 {
		for k := 0; k < len(rm.trail); k += 2 {
			i := int(rm.trail[k]) - rm.base
			rm.seen[i], rm.state[i] = rm.gen, int16(rm.trail[k+1])
		}
	}
	return end
}

// find returns the leftmost-longest match in text[from:], as Go's regexp in longest mode
// finds it, or -1, -1.
func (d *dfa) find(text string, from int) (start, end int) {
	for pos := from; pos < len(text); {
		c, size := pipeline.DecodeRune(text[pos:])
		if d.next[d.class(c)] >= 0 {
			if e := d.longest(text, pos); e >= 0 {
				return pos, e
			}
		}
		pos += size
	}
	return -1, -1
}
