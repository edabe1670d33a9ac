package rules

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Candidate is one match of one rule in a text, normalised — or, when Dropped is set, the
// reason it cannot become a fact.
type Candidate struct {
	Rule       *Rule
	Start, End int // byte offsets in the text given to Match
	CoreStart  int // where the first group that is not a qualifier begins: the figure proper
	Text       string
	Groups     map[string]string
	Result
	Dropped string
}

// contextRunes is how much text around a match reject_before and reject_after look at.
const contextRunes = 8

// Match returns every match of the rule in text, left to right and non-overlapping, each
// normalised against ctx. Matches that a reject pattern or the normaliser refuses come back
// with Dropped set, so that explain can say why.
func (r *Rule) Match(text string, ctx Context) []Candidate {
	if !r.MayMatch(text) {
		return nil
	}
	return r.MatchUnfiltered(text, ctx)
}

// MatchUnfiltered is Match without the prefilter test, for callers that tested the rule's
// Filter themselves.
func (r *Rule) MatchUnfiltered(text string, ctx Context) []Candidate {
	return r.MatchIn(text, 0, len(text), ctx)
}

// MatchIn is MatchUnfiltered when every match lies within text[lo:hi] (Filter.Span): the
// pattern runs over that part only, reject_before and reject_after still see the whole text,
// and offsets are into the whole text.
func (r *Rule) MatchIn(text string, lo, hi int, ctx Context) []Candidate {
	return r.match(text, lo, hi, ctx, true, true)
}

// MatchKept is MatchIn without the candidates that come back with Dropped set: for callers
// that do not explain, it skips reading the groups of matches a reject pattern refuses.
func (r *Rule) MatchKept(text string, lo, hi int, ctx Context) []Candidate {
	return r.match(text, lo, hi, ctx, false, true)
}

// Matcher holds what one goroutine reuses from one rule's matches to the next: for extraction,
// which runs every rule over many short texts and needs neither the groups nor the candidates
// dropped. Its zero value is ready; it is not safe for concurrent use.
type Matcher struct {
	groups groups // the groups of the candidate being normalised
	out    []Candidate
	starts []int32   // Kept's starts
	runs   runMemo   // what the automaton's runs from Kept's starts learnt
	memo   matchMemo // what matches came to (memo.go)
}

// Kept is r.MatchKept(text, lo, hi, ctx) without the candidates' Groups (nil), in a slice the
// next call reuses. starts, when not nil, holds every byte offset in order where a match may
// begin (Filter.Starts); the automaton then tries those alone.
func (m *Matcher) Kept(r *Rule, text string, lo, hi int, starts []int32, ctx Context) []Candidate {
	m.starts = starts
	if starts != nil {
		m.runs.reset(lo, hi-lo)
	}
	m.out = r.matchInto(m, m.out[:0], text, lo, hi, ctx, false, true)
	m.starts = nil
	return m.out
}

// match is MatchIn, or MatchKept when dropped is false; automaton false leaves the rule's
// automaton aside (after it disagreed with the regexp, which cannot happen: see below).
//
// With the automaton, each match's start and end come from it and its groups are read from the
// match's text alone, only for the matches kept: that gives the groups the regexp's
// FindAllStringSubmatchIndex over text[lo:hi] would (see dfa.go and capture.go).
func (r *Rule) match(text string, lo, hi int, ctx Context, dropped, automaton bool) []Candidate {
	return r.matchInto(nil, nil, text, lo, hi, ctx, dropped, automaton)
}

// matchInto is match appending to out; with a Matcher the groups go into its map, which each
// candidate reuses, and the candidates carry none.
func (r *Rule) matchInto(m *Matcher, out []Candidate, text string, lo, hi int, ctx Context, dropped, automaton bool) []Candidate {
	r.automata()
	useDFA := automaton && r.dfa != nil
	var locs [][]int // the regexp's matches, without the automaton
	if !useDFA {
		locs = r.regex().FindAllStringSubmatchIndex(text[lo:hi], -1)
		for _, loc := range locs {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += lo
				}
			}
		}
	}
	n0 := len(out)
	names := r.names
	var beforeRe, afterRe *regexp.Regexp // for contexts without an automaton
	if r.RejectBefore != "" && r.beforeDFA == nil || r.RejectAfter != "" && r.afterDFA == nil {
		beforeRe, afterRe = r.contextRegexps()
	}
	slots := r.slots()
	var capArr [32]int
	var capBuf []int // the groups of the automaton's matches, one at a time
	ref := ""        // the context as m's memory knows it: only for a normaliser that reads it
	if r.norm.context {
		ref = ctx.RefDate
	}
	var hash uint64 // the current match's in m's memory
	for k, from := 0, lo; ; k++ {
		var start, end int
		var loc []int // offsets of the match and its groups in text
		if useDFA && m != nil && m.starts != nil {
			start, end = -1, -1
			for len(m.starts) > 0 && start < 0 {
				if st := int(m.starts[0]); st >= from && st < hi {
					if e := r.dfa.longestMemo(text[:hi], st, &m.runs); e >= 0 {
						start, end = st, e
					}
				}
				m.starts = m.starts[1:]
			}
			if start < 0 {
				break
			}
			from = end
		} else if useDFA {
			if start, end = r.dfa.find(text[:hi], from); start < 0 {
				break
			}
			from = end
		} else {
			if k == len(locs) {
				break
			}
			loc = locs[k]
			start, end = loc[0], loc[1]
		}
		why := ""
		if r.RejectBefore != "" && rejectedBefore(beforeRe, r.beforeDFA, text[:start]) {
			why = "negative context before (reject_before)"
		} else if r.RejectAfter != "" && rejectedAfter(afterRe, r.afterDFA, text[end:]) {
			why = "negative context after (reject_after)"
		}
		if why != "" && !dropped {
			continue
		}
		// A match's groups and their normalisation depend on its text, the rule and ctx
		// alone; figures repeat (12, 1998年, 3月), so a Matcher remembers them (memo.go).
		if m != nil {
			hash = m.memo.hash(r, text[start:end])
			if slot := m.memo.find(hash, r, text[start:end], ref); slot != nil {
				if slot.ok {
					out = append(out, Candidate{Rule: r, Start: start, End: end, CoreStart: start + int(slot.core), Text: text[start:end], Result: slot.result()})
				}
				continue
			}
		}
		if loc == nil {
			if capBuf == nil {
				if capBuf = capArr[:]; 2*len(names) > len(capArr) {
					capBuf = make([]int, 2*len(names))
				}
				capBuf = capBuf[:2*len(names)]
			}
			loc = capBuf
			if !r.dfa.captures(text[start:end], loc) {
				loc = r.regex().FindStringSubmatchIndex(text[start:end])
			}
			if loc == nil || loc[0] != 0 || loc[1] != end-start {
				// Cannot happen (TestDFAMatchesRegexp); were it to, the regexp's answer stands.
				return r.matchInto(m, out[:n0], text, lo, hi, ctx, dropped, false)
			}
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += start
				}
			}
		}
		c := Candidate{Rule: r, Start: start, End: end, CoreStart: -1, Text: text[start:end], Dropped: why}
		if m == nil {
			c.Groups = map[string]string{}
			for i, name := range names {
				if name != "" && loc[2*i] >= 0 {
					if s := text[loc[2*i]:loc[2*i+1]]; s != "" {
						c.Groups[name] = s
					}
				}
			}
		}
		for i, sl := range slots {
			if sl.core && loc[2*i] >= 0 && (c.CoreStart < 0 || loc[2*i] < c.CoreStart) {
				c.CoreStart = loc[2*i]
			}
		}
		if c.CoreStart < 0 {
			c.CoreStart = c.Start
		}
		if why == "" {
			var g *groups
			if m != nil {
				g = &m.groups // reused: normalisers keep no reference to it
			} else {
				g = new(groups)
			}
			g.fill(r, text, loc)
			res, err := r.norm.fn(r, g, ctx)
			if m != nil {
				m.memo.put(hash, r, c.Text, ref, remember(c.CoreStart-start, err == nil, res))
			}
			if err != nil {
				if !dropped {
					continue
				}
				c.Dropped = "failed normalization: " + err.Error()
			} else {
				c.Result = res
			}
		}
		if out == nil {
			out = make([]Candidate, 0, max(2, len(locs)-k)) // most windows hold one or two
		}
		out = append(out, c)
	}
	return out
}

// automata builds the rule's automata on first use, and looks its normaliser up (norm).
func (r *Rule) automata() {
	r.dfaOnce.Do(func() {
		r.memoID = memoIDs.Add(1)
		r.norm = normalizers[r.Normalize]
		r.dfa = cachedDFA(automatonKey('a', r.expanded), func() *dfa {
			if r.simple == nil { // a rule compile did not parse
				return newDFA(r.expanded)
			}
			return newDFAOf(r.simple)
		})
		if r.RejectBefore != "" {
			r.beforeDFA = cachedDFA(automatonKey('b', r.RejectBefore), func() *dfa { return contextDFA(r.RejectBefore, true) })
		}
		if r.RejectAfter != "" {
			r.afterDFA = cachedDFA(automatonKey('f', r.RejectAfter), func() *dfa { return contextDFA(r.RejectAfter, false) })
		}
	})
}

// Automata are read-only once built, so a process that loads rule sets more than once (a run
// per test or benchmark, rules test after run) builds or decodes each pattern's once (those of
// the default set come decoded from automata.bin: prebuilt.go). maxCachedDFAs bounds what a
// long session of edited rules can leave behind.
var (
	dfaCache      sync.Map // key → *dfa: "a" (a rule's), "b" (reject_before's) or "f" (reject_after's) + pattern
	dfaCacheSize  atomic.Int64
	maxCachedDFAs = int64(4096)
)

// cachedDFA returns the automaton cached under key (automatonKey), or decodes it from
// automata.bin, or builds it, once per process.
func cachedDFA(key string, build func() *dfa) *dfa {
	if d, ok := dfaCache.Load(key); ok {
		return d.(*dfa)
	}
	d, ok := prebuiltDFA(key)
	if !ok {
		d = build()
	}
	if dfaCacheSize.Load() < maxCachedDFAs {
		if _, loaded := dfaCache.LoadOrStore(key, d); !loaded {
			dfaCacheSize.Add(1)
		}
	}
	return d
}

// tail returns the last n code points of s, as utf8.DecodeLastRuneInString counts them; ASCII
// and the three-byte sequences of most Han characters take a shortcut (see decode).
func tail(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		if s[i-1] < utf8.RuneSelf {
			i--
			continue
		}
		if i >= 3 && s[i-1]&0xC0 == 0x80 && s[i-2]&0xC0 == 0x80 {
			if c := s[i-3]; c >= 0xE1 && c <= 0xEF && c != 0xED {
				i -= 3
				continue
			}
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// head returns the first n code points of s.
func head(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := pipeline.DecodeRune(s[i:])
		i += size
	}
	return s[:i]
}

// CheckExample runs one inline example against the rule alone and returns what is wrong, or
// nil. A positive example passes when some candidate carries every wanted field; a negative
// one when no candidate survives.
func (r *Rule) CheckExample(ex Example) error {
	ctx := Context{RefDate: ex.PubDate}
	if ctx.RefDate == "" {
		ctx.RefDate = DefaultExampleDate
	}
	var got []Candidate
	for _, c := range r.Match(ex.Text, ctx) {
		if c.Dropped == "" {
			got = append(got, c)
		}
	}
	if ex.None {
		if len(got) > 0 {
			return fmt.Errorf("%s:%d: rule %s: example %q: want no match, got %s", r.File, ex.Line, r.ID, ex.Text, describe(got[0]))
		}
		return nil
	}
	var diffs []string
	for _, c := range got {
		d := WantDiff(ex.Want, c.Fields())
		if d == "" {
			return nil
		}
		diffs = append(diffs, describe(c)+": "+d)
	}
	if len(diffs) == 0 {
		var why []string
		for _, c := range r.Match(ex.Text, ctx) {
			why = append(why, fmt.Sprintf("%q dropped: %s", c.Text, c.Dropped))
		}
		return fmt.Errorf("%s:%d: rule %s: example %q: want %v, got no match %s", r.File, ex.Line, r.ID, ex.Text, ex.Want, strings.Join(why, "; "))
	}
	return fmt.Errorf("%s:%d: rule %s: example %q: want %v, got %s", r.File, ex.Line, r.ID, ex.Text, ex.Want, strings.Join(diffs, "; "))
}

// DefaultExampleDate is the publication date examples resolve relative dates against when they
// do not name one (the seed page's).
const DefaultExampleDate = "2023-11-01"

// Fields returns the candidate's output fields by their contract names, for comparing with an
// example's want.
func (c Candidate) Fields() map[string]any {
	f := map[string]any{"kind": c.Rule.Kind, "text": c.Text}
	if c.Value != nil {
		f["value"] = *c.Value
	}
	if c.ValueMax != nil {
		f["value_max"] = *c.ValueMax
	}
	for k, v := range map[string]string{"unit": c.Unit, "qualifier": c.Qualifier, "date": c.Date, "date_end": c.DateEnd} {
		if v != "" {
			f[k] = v
		}
	}
	return f
}

// WantDiff compares wanted fields with got fields and describes the first differences, or
// returns "" when every wanted field matches. Numbers compare with a relative tolerance of 1e-9.
func WantDiff(want, got map[string]any) string {
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			if w == nil {
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s missing (want %v)", k, w))
			continue
		}
		wf, wok := toFloat(w)
		gf, gok := toFloat(g)
		if wok && gok && math.Abs(wf-gf) <= 1e-9*math.Max(1, math.Abs(wf)) {
			continue
		}
		if (!wok || !gok) && fmt.Sprint(w) == fmt.Sprint(g) {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", k, g, w))
	}
	return strings.Join(diffs, ", ")
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

func describe(c Candidate) string {
	return fmt.Sprintf("%q %v", c.Text, c.Fields())
}
