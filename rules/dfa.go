package rules

import (
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

func (b bitset) key() string {
	k := make([]byte, 0, 8*len(b))
	for _, w := range b {
		for j := range 8 {
			k = append(k, byte(w>>(8*j)))
		}
	}
	return string(k)
}

// newDFA builds the automaton of pattern for find, or returns nil when the pattern has
// empty-width assertions (^, $, \b: they look past a match), matches the empty string, or needs
// more than maxDFAStates states.
func newDFA(pattern string) *dfa {
	d := buildDFA(pattern, false)
	if d == nil || d.match[0] {
		return nil
	}
	return d
}

// textFlags are the empty-width assertions an automaton for matchString handles: ^ and $
// without (?m).
const textFlags = syntax.EmptyBeginText | syntax.EmptyEndText

// buildDFA builds the automaton of pattern, or with anchors the automaton matchString searches
// with, which allows ^ and $; nil when the pattern has other assertions or needs too many
// states.
func buildDFA(pattern string, anchors bool) *dfa {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	words := (len(prog.Inst) + 63) / 64
	newSet := func() bitset { return make(bitset, words) }
	isRune := func(op syntax.InstOp) bool {
		return op == syntax.InstRune || op == syntax.InstRune1 || op == syntax.InstRuneAny || op == syntax.InstRuneAnyNotNL
	}

	// Elementary intervals: the runes between two consecutive bounds are matched alike by
	// every instruction of the program.
	bounds := []rune{0, utf8.MaxRune + 1}
	for _, in := range prog.Inst {
		switch in.Op {
		case syntax.InstEmptyWidth:
			if !anchors || syntax.EmptyOp(in.Arg)&^textFlags != 0 {
				return nil
			}
		case syntax.InstRune, syntax.InstRune1:
			if len(in.Rune) == 1 && syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				for r := unicode.SimpleFold(in.Rune[0]); ; r = unicode.SimpleFold(r) {
					bounds = append(bounds, r, r+1)
					if r == in.Rune[0] {
						break
					}
				}
				continue
			}
			if len(in.Rune) == 1 {
				bounds = append(bounds, in.Rune[0], in.Rune[0]+1)
				continue
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				bounds = append(bounds, in.Rune[i], in.Rune[i+1]+1)
			}
		case syntax.InstRuneAnyNotNL:
			bounds = append(bounds, '\n', '\n'+1)
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	d := &dfa{bounds: bounds[:len(bounds)-1]} // the last bound ends the last interval
	// Classes: intervals that the same instructions match are one class.
	var sigs []bitset // by class: the rune instructions that match it
	classOf := map[string]int32{}
	for _, lo := range d.bounds {
		sig := newSet()
		for pc, in := range prog.Inst {
			if isRune(in.Op) && in.MatchRune(lo) {
				sig[pc/64] |= 1 << (pc % 64)
			}
		}
		c, ok := classOf[sig.key()]
		if !ok {
			c = int32(len(sigs))
			classOf[sig.key()] = c
			sigs = append(sigs, sig)
		}
		d.elem = append(d.elem, c)
	}
	d.nclass = len(sigs)
	if d.nclass > 256 {
		return nil
	}
	d.prog, d.words = prog, words
	for _, sig := range sigs {
		d.sigs = append(d.sigs, sig...)
	}
	d.tabulate()

	// reach returns the instructions reachable from pcs without reading a rune, where the
	// assertions in flags hold: rune instructions, Match, and the assertions that do not hold
	// (pending: they may hold where the text ends).
	var matches, pending bitset = newSet(), newSet()
	reach := func(pcs []uint32, flags syntax.EmptyOp) bitset {
		set, seen := newSet(), newSet()
		stack := slices.Clone(pcs)
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
		return set
	}
	// closure[pc]: reach from pc inside the text, where neither ^ nor $ holds.
	closure := make([]bitset, len(prog.Inst))
	for pc := range prog.Inst {
		closure[pc] = reach([]uint32{uint32(pc)}, 0)
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
	atEnd := func(s bitset, flags syntax.EmptyOp) bool {
		var pcs []uint32
		for pc := range prog.Inst {
			if s[pc/64]&pending[pc/64]&(1<<(pc%64)) != 0 {
				pcs = append(pcs, uint32(pc))
			}
		}
		return has(s, matches) || has(reach(pcs, flags|syntax.EmptyEndText), matches)
	}

	if !anchors {
		d.classWords = (d.nclass + 63) / 64
		d.viable = make([]uint64, len(prog.Inst)*d.classWords)
		d.endOK = make([]uint64, words)
		for pc := range prog.Inst {
			if has(closure[pc], matches) {
				d.endOK[pc/64] |= 1 << (pc % 64)
			}
			for c := range d.nclass {
				if has(closure[pc], sigs[c]) {
					d.viable[pc*d.classWords+c/64] |= 1 << (c % 64)
				}
			}
		}
	}

	// Subset construction. State 0 starts a match inside the text; with assertions, state
	// d.begin starts one at the start of the text (its key is marked, as $ may hold there
	// differently).
	states := []bitset{closure[prog.Start]}
	index := map[string]int32{states[0].key(): 0}
	flags := []syntax.EmptyOp{0}
	if anchors {
		b := reach([]uint32{uint32(prog.Start)}, syntax.EmptyBeginText)
		d.begin = 1
		states = append(states, b)
		flags = append(flags, syntax.EmptyBeginText)
		index["^"+b.key()] = 1
	}
	for i := 0; i < len(states); i++ {
		for c := range d.nclass {
			out := newSet()
			empty := true
			for w, word := range states[i] {
				m := word & sigs[c][w]
				for m != 0 {
					pc := w*64 + bits.TrailingZeros64(m)
					m &= m - 1
					out.or(closure[prog.Inst[pc].Out])
					empty = false
				}
			}
			if anchors {
				// A context automaton searches: a match may begin after any character, so
				// every state holds the start's (matchString then reads the text once).
				out.or(closure[prog.Start])
				empty = false
			}
			next := int16(-1)
			if !empty {
				k := out.key()
				n, ok := index[k]
				if !ok {
					if len(states) == maxDFAStates {
						return nil
					}
					n = int32(len(states))
					index[k] = n
					states = append(states, out)
					flags = append(flags, 0)
				}
				next = int16(n)
			}
			d.next = append(d.next, next)
		}
	}
	for i, s := range states {
		d.match = append(d.match, has(s, matches))
		d.matchEnd = append(d.matchEnd, atEnd(s, flags[i]))
	}
	if anchors {
		d.edge, d.edgeRunes = edgeOf(pattern)
	}
	return d
}

// The shapes of edge: a context that only its last (or first) character decides.
const (
	edgeLast  = 1 // [class]$
	edgeFirst = 2 // ^[class]
)

// edgeOf returns the edge shape of a pattern and its class, or 0.
func edgeOf(pattern string) (int, []rune) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, nil
	}
	re = re.Simplify()
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
// does. It is for automata built with anchors, whose states hold every match begun so far.
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
	st := d.begin
	for pos := 0; ; {
		if d.match[st] || pos == len(s) && d.matchEnd[st] {
			return true
		}
		if pos == len(s) {
			return false
		}
		c, size := pipeline.DecodeRune(s[pos:])
		if st = d.next[int(st)*d.nclass+d.class(c)]; st < 0 {
			return false
		}
		pos += size
	}
}

// tabulate fills pages and blocks from the intervals.
func (d *dfa) tabulate() {
	const plane = 0x10000
	all := make([]uint8, plane)
	for i, lo := range d.bounds {
		if lo >= plane {
			break
		}
		hi := rune(plane)
		if i+1 < len(d.bounds) {
			hi = min(hi, d.bounds[i+1])
		}
		for r := lo; r < hi; r++ {
			all[r] = uint8(d.elem[i])
		}
	}
	seen := map[string]uint16{}
	for p := range d.pages {
		page := all[p<<8 : (p+1)<<8]
		b, ok := seen[string(page)]
		if !ok {
			b = uint16(len(d.blocks) >> 8)
			seen[string(page)] = b
			d.blocks = append(d.blocks, page...)
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
		c, size := pipeline.DecodeRune(text[pos:])
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
