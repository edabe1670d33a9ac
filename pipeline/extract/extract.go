// Package extract applies a rule set to a segmented document and turns the surviving matches
// into facts: it drops matches that cut through a word or lose an overlap, and links each
// figure to the metric the sentence names; pipeline/entity then finds the named entities.
package extract

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/rules"
)

// Dropped is a candidate that did not become a fact, and why; explain shows these.
type Dropped struct {
	Candidate rules.Candidate
	Start     int // code points in the document
	End       int
	Reason    string
}

// Trace collects what extraction considered, for explain; nil when nobody asks.
type Trace struct {
	Dropped []Dropped // candidates that did not become facts, and why
	Kept    []Dropped // candidates that became facts (Reason is empty)
}

// Stage segments every sentence of d and extracts its facts, then its people, organisations
// and places with rec (none when rec is nil). d must have been split into articles and
// sentences.
//
// A document of more than WholeBytes of text (a JSON Lines document, or a file given to
// explain; run and extract read such files in parts, source.ReadParts) is worked through in
// groups of sentences (groups), each group segmented, extracted and searched for entities
// before the next, its tokens released once it is done: the memory a document needs is then
// that of a group, whatever its size.
func Stage(d *pipeline.Doc, set *rules.Set, rec *entity.Recognizer, tr *Trace) {
	if d.Failed() {
		return
	}
	texts, at := sentenceTexts(d) // cut once for every step
	gs := groups(d, texts)
	var lines *entity.Lines
	if len(gs) > 1 && rec != nil {
		lines = entity.LinesOf(d.Text) // once for every group
	}
	for _, g := range gs {
		if d.Abandoned() {
			return
		}
		segmentTexts(d, texts, at, g)
		findFacts(d, texts, g, set, tr)
		if rec != nil && !d.Abandoned() {
			entity.StageRange(d, rec, entity.Range{Lo: g.lo, Hi: g.hi, Lines: lines})
		}
		if len(gs) > 1 && tr == nil { // explain (a trace) prints the tokens
			for i := g.lo; i < g.hi; i++ {
				d.Sentences[i].Tokens = nil // no later step reads them
			}
		}
	}
	finish(d, texts, rec)
}

// WholeBytes is the most text a document may have to be worked through at once; a longer one
// is worked through in groups of about GroupBytes (see groups). A document in process takes
// about 40 bytes of memory a byte of text, so a group of 1 MiB takes about 40 MB, and the
// 2.9 MB single-file archive of news the benchmarks read is still one group.
const (
	WholeBytes = 4 << 20
	GroupBytes = 1 << 20
)

// group is the sentences [lo, hi) of a document.
type group struct{ lo, hi int }

// groups cuts the sentences of d into groups of about GroupBytes of text, each of whole
// articles when its articles are shorter than that (a longer article is cut between two
// sentences), or returns one group of them all when the text is at most WholeBytes.
//
// Within a group, entities are found as in a document of its own (entity.StageRange): a name
// recognised in one group is not looked for where it recurs in another, and a person's
// mentions are counted group by group. A fact's figure, unit, qualifier and date never depend
// on other sentences and are the same; its subject is an entity, and may differ with them.
func groups(d *pipeline.Doc, texts []string) []group {
	size := make([]int, len(texts)+1) // size[i]: bytes of the sentences before sentence i
	for i, t := range texts {
		size[i+1] = size[i] + len(t)
	}
	if size[len(texts)] <= WholeBytes {
		return []group{{0, len(texts)}}
	}
	var out []group
	lo, article := 0, 0 // article: where the group's last article begins (lo when none began after lo)
	for i := range texts {
		if i > lo && d.Sentences[i].Article != d.Sentences[i-1].Article {
			article = i
		}
		if i > lo && size[i+1]-size[lo] > GroupBytes {
			cut := i
			if article > lo {
				cut = article
			}
			out = append(out, group{lo, cut})
			lo, article = cut, cut
		}
	}
	return append(out, group{lo, len(texts)})
}

// Segment segments every sentence of d (Sentence.Tokens).
func Segment(d *pipeline.Doc) {
	if d.Failed() {
		return
	}
	texts, at := sentenceTexts(d)
	segmentTexts(d, texts, at, group{0, len(texts)})
}

// segmentTexts segments the sentences of g, given the sentences' texts and where they start
// (sentenceTexts).
func segmentTexts(d *pipeline.Doc, texts []string, at []int, g group) {
	pipeline.EachSentence(g.hi-g.lo, func(k int) {
		if d.Abandoned() {
			return
		}
		i := g.lo + k
		d.Sentences[i].Tokens = segment.Tokens(d.Text, at[i], at[i]+len(texts[i]), d.Sentences[i].Start)
	})
}

// Facts is Stage after Segment, on the whole document at once: the facts of every sentence,
// then the entities.
func Facts(d *pipeline.Doc, set *rules.Set, rec *entity.Recognizer, tr *Trace) {
	if d.Failed() {
		return
	}
	texts, _ := sentenceTexts(d)
	findFacts(d, texts, group{0, len(texts)}, set, tr)
	if rec != nil && !d.Abandoned() {
		entity.Stage(d, rec)
	}
	finish(d, texts, rec)
}

// findFacts appends the facts of the sentences of g to d.Facts, in sentence order; texts are
// the sentences' texts (sentenceTexts).
func findFacts(d *pipeline.Doc, texts []string, g group, set *rules.Set, tr *Trace) {
	found := make([][]pipeline.Fact, g.hi-g.lo)
	one := func(k int) {
		if d.Abandoned() {
			return
		}
		i := g.lo + k
		s := &d.Sentences[i]
		ref := d.PubDate
		if s.Article < len(d.Articles) && d.Articles[s.Article].RefDate != "" {
			ref = d.Articles[s.Article].RefDate
		}
		found[k] = sentenceFacts(set, d.Text, texts[i], s, rules.Context{RefDate: ref}, tr)
	}
	if tr != nil { // the trace lists candidates in sentence order
		for k := range found {
			one(k)
		}
	} else {
		pipeline.EachSentence(len(found), one)
	}
	n := 0
	for _, f := range found {
		n += len(f)
	}
	d.Facts = slices.Grow(d.Facts, n)
	for _, f := range found {
		d.Facts = append(d.Facts, f...)
	}
}

// finish links the figures to the entities found (when there is a Recognizer) and puts facts
// and entities in text order.
func finish(d *pipeline.Doc, texts []string, rec *entity.Recognizer) {
	if rec != nil && !d.Abandoned() {
		linkSubjects(d, texts)
	}
	// slices' stable sort, not sort's: the same order without reflection.
	slices.SortStableFunc(d.Facts, func(a, b pipeline.Fact) int { return cmp.Compare(a.Start, b.Start) })
	slices.SortStableFunc(d.Entities, func(a, b pipeline.Entity) int { return cmp.Compare(a.Start, b.Start) })
	for i := range d.Entities {
		if d.Entities[i].Sentence < 0 {
			d.Entities[i].Sentence = sentenceAt(d.Sentences, d.Entities[i].Start)
		}
	}
}

// sentenceTexts returns the text of every sentence of d, and the byte of d.Text where each
// starts, in one walk over the text (sentences come in text order; one that does not costs a
// walk from the start).
func sentenceTexts(d *pipeline.Doc) (texts []string, at []int) {
	texts, at = make([]string, len(d.Sentences)), make([]int, len(d.Sentences))
	c := pipeline.Cursor{Text: d.Text}
	for i, s := range d.Sentences {
		at[i] = c.At(s.Start)
		texts[i] = d.Text[at[i]:c.At(s.End)]
	}
	return texts, at
}

// runeIndex counts the code points of a window's prefixes: directly in a short window; in a
// long one by a binary search among its code points' byte offsets. A sentence without
// punctuation can be one window of a million characters (a file of figures in one line),
// and counting from its start for each candidate was quadratic: a minute for 6 MB.
type runeIndex struct {
	win    string
	starts []int32 // byte offset of every code point, for a long window
	// In a short window, the last offset counted and its count: a rule's matches come in text
	// order, so each is counted on from the one before.
	lastB, lastN int
}

// longWindow is the window length, in bytes, from which runeIndex keeps offsets.
const longWindow = 4096

func (x *runeIndex) reset(win string) {
	x.win, x.starts = win, x.starts[:0]
	x.lastB, x.lastN = 0, 0
	if len(win) < longWindow {
		if cap(x.starts) > 1<<20 {
			x.starts = nil // the offsets of a long window: not kept for the next sentences
		}
		return
	}
	for b := range win {
		x.starts = append(x.starts, int32(b))
	}
}

// count is utf8.RuneCountInString(win[:b]) for b on a code point's first byte.
func (x *runeIndex) count(b int) int {
	if len(x.starts) == 0 {
		if b < x.lastB {
			x.lastB, x.lastN = 0, 0
		}
		x.lastN += utf8.RuneCountInString(x.win[x.lastB:b])
		x.lastB = b
		return x.lastN
	}
	return sort.Search(len(x.starts), func(i int) bool { return int(x.starts[i]) >= b })
}

// scratch is what sentenceFacts reuses from one sentence to the next.
type scratch struct {
	runes   runeIndex
	window  rules.Window
	matcher rules.Matcher
	windows [][3]int
	cands   []cand
	kept    []cand
	spans   keptSpans
}

// keptSpans finds, for a candidate, the first fact kept (in the order kept) that it overlaps.
// Up to indexFrom kept facts it asks each of them; past that it looks the sentence's code
// points up: a sentence of 2,000 figures ("1 1 1 …") asked two million times, and 1.6 MB of
// them took 5.7 s. The facts kept do not overlap one another.
type keptSpans struct {
	base, n int      // the sentence's first code point and its length
	owner   []int32  // for each code point of the sentence, the kept fact over it, or -1
	starts  []uint64 // a bit for each code point where a kept fact starts
	indexed bool     // owner and starts are filled
	outside bool     // a fact kept lies outside the sentence: no index, each fact is asked
}

// indexFrom is how many facts kept make keptSpans index them.
const indexFrom = 32

func (ks *keptSpans) reset(start, end int) {
	ks.base, ks.n, ks.indexed, ks.outside = start, max(0, end-start), false, false
}

// add notes fact i, kept, over [start, end).
func (ks *keptSpans) add(i, start, end int) {
	switch {
	case !ks.within(start, end):
		ks.indexed, ks.outside = false, true
	case ks.indexed:
		ks.mark(i, start, end)
	}
}

func (ks *keptSpans) mark(i, start, end int) {
	ks.owner[start-ks.base] = int32(i)
	for p := start + 1; p < end; p++ {
		ks.owner[p-ks.base] = int32(i)
	}
	ks.starts[(start-ks.base)/64] |= 1 << ((start - ks.base) % 64)
}

// within reports whether [start, end) is inside the sentence, as the index needs.
func (ks *keptSpans) within(start, end int) bool {
	return ks.base <= start && start < end && end <= ks.base+ks.n
}

// firstOverlap returns the index in kept of the first fact kept that [start, end) overlaps,
// or -1.
func (ks *keptSpans) firstOverlap(kept []cand, start, end int) int {
	if !ks.indexed && !ks.outside && len(kept) >= indexFrom {
		ks.indexed = true
		ks.owner = slices.Grow(ks.owner[:0], ks.n)[:ks.n]
		for p := range ks.owner {
			ks.owner[p] = -1
		}
		ks.starts = slices.Grow(ks.starts[:0], ks.n/64+1)[:ks.n/64+1]
		clear(ks.starts)
		for i, k := range kept {
			ks.mark(i, k.start, k.end)
		}
	}
	if !ks.indexed || !ks.within(start, end) {
		for i, k := range kept {
			if start < k.end && k.start < end {
				return i
			}
		}
		return -1
	}
	// The facts it overlaps: the one over its first code point, and those that start inside it.
	first := int(ks.owner[start-ks.base])
	for p := start + 1 - ks.base; p < end-ks.base; {
		w := ks.starts[p/64] >> (p % 64)
		if w == 0 {
			p += 64 - p%64
			continue
		}
		p += bits.TrailingZeros64(w)
		if p >= end-ks.base {
			break
		}
		if i := int(ks.owner[p]); first < 0 || i < first {
			first = i
		}
		p++
	}
	return first
}

// scratches are the scratch spaces not in use: a list, not a sync.Pool, so that what a
// Matcher remembers outlives garbage collections. There are as many as sentences were ever
// processed at once.
var scratches struct {
	sync.Mutex
	free []*scratch
}

func getScratch() *scratch {
	scratches.Lock()
	defer scratches.Unlock()
	if n := len(scratches.free); n > 0 {
		sc := scratches.free[n-1]
		scratches.free = scratches.free[:n-1]
		return sc
	}
	return new(scratch)
}

// forgetScratch drops the scratch spaces not in use, and what their Matchers remember.
func forgetScratch() {
	scratches.Lock()
	scratches.free = nil
	scratches.Unlock()
}

func putScratch(sc *scratch) {
	scratches.Lock()
	scratches.free = append(scratches.free, sc)
	scratches.Unlock()
}

type cand struct {
	rules.Candidate
	start, end int // code points in the document
	order      int
}

// sentenceFacts returns the facts of sentence s, whose text is text; doc is the document's
// text, which its tokens' words are cut from.
func sentenceFacts(set *rules.Set, doc, text string, s *pipeline.Sentence, ctx rules.Context, tr *Trace) []pipeline.Fact {
	drop := func(c cand, why, what string) { // the reason is why+what, built only for a trace
		if tr != nil {
			tr.Dropped = append(tr.Dropped, Dropped{Candidate: c.Candidate, Start: c.start, End: c.end, Reason: why + what})
		}
	}
	flt := set.Filter()
	sc := getScratch()
	defer putScratch(sc)
	fw := &sc.window
	cands := sc.cands[:0]
	defer func() { clear(cands); sc.cands = cands[:0] }() // no references kept past the sentence
	sc.windows = windows(text, sc.windows[:0])
	ordered := -1 // whether s.Tokens are in order (inOrder), once a candidate asks: 0 or 1
	for _, w := range sc.windows {
		win := text[w[0]:w[1]]
		base := s.Start + w[2]
		sc.runes.reset(win)
		flt.Read(win, fw)
		for ri := fw.Next(0); ri >= 0; ri = fw.Next(ri + 1) {
			r := set.Rules[ri]
			var found []rules.Candidate
			if tr != nil {
				lo, hi, ok := flt.WindowSpan(ri, fw)
				if !ok {
					continue
				}
				found = r.MatchIn(win, lo, hi, ctx)
			} else { // nobody reads why a candidate was dropped, nor its groups
				lo, hi, starts, ok := flt.StartsSpan(ri, fw)
				if !ok {
					continue
				}
				found = sc.matcher.Kept(r, win, lo, hi, starts, ctx)
			}
			for _, m := range found {
				c := cand{Candidate: m, order: ri}
				c.start = base + sc.runes.count(m.Start)
				c.end = c.start + utf8.RuneCountInString(m.Text)
				if m.Dropped != "" {
					drop(c, m.Dropped, "")
					continue
				}
				// A qualifier may share a word with what precedes it (占比高达94%: gse reads
				// 比高), so the cut is judged where the figure proper begins. A date's last
				// character often starts a gse word (30日电, 1日起): only its start is judged.
				core := c.start + utf8.RuneCountInString(win[m.Start:m.CoreStart]) // groups lie inside the match
				if ordered < 0 {
					ordered = 0
					if inOrder(s.Tokens) {
						ordered = 1
					}
				}
				toks := s.Tokens
				if ordered == 1 { // only the words that reach past core and begin before end
					toks = toks[sort.Search(len(toks), func(i int) bool { return int(toks[i].End) > core }):]
					toks = toks[:firstFrom(toks, c.end)]
				}
				if w, ok := cutsWord(doc, toks, c.start, core, c.end, m.Rule.Kind != "date"); ok {
					drop(c, "cuts through the word ", w)
					continue
				}
				cands = append(cands, c)
			}
		}
	}
	// The longest candidate wins an overlap; then the rule's priority; then the earlier rule.
	slices.SortStableFunc(cands, func(a, b cand) int {
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return cmp.Compare(lb, la)
		}
		if a.Rule.Priority != b.Rule.Priority {
			return cmp.Compare(b.Rule.Priority, a.Rule.Priority)
		}
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(a.order, b.order)
	})
	kept := sc.kept[:0]
	defer func() { clear(kept); sc.kept = kept[:0] }()
	spans := &sc.spans
	spans.reset(s.Start, s.End)
	for _, c := range cands {
		lost := ""
		if i := spans.firstOverlap(kept, c.start, c.end); i >= 0 {
			lost = kept[i].Rule.ID
		}
		if lost != "" {
			drop(c, "lost an overlap to rule ", lost)
			continue
		}
		kept = append(kept, c)
		spans.add(len(kept)-1, c.start, c.end)
		if tr != nil {
			tr.Kept = append(tr.Kept, Dropped{Candidate: c.Candidate, Start: c.start, End: c.end})
		}
	}
	slices.SortStableFunc(kept, func(a, b cand) int { return cmp.Compare(a.start, b.start) })
	facts := make([]pipeline.Fact, 0, len(kept))
	for _, c := range kept {
		f := pipeline.Fact{
			Kind: c.Rule.Kind, Text: c.Text, Start: c.start, End: c.end,
			Value: c.Value, ValueMax: c.ValueMax, Unit: c.Unit, Qualifier: c.Qualifier,
			Date: c.Date, DateEnd: c.DateEnd, Sentence: s.Index, Article: s.Article, Rule: c.Rule.ID,
		}
		switch f.Kind {
		case "count":
			// 一名学生, 两家社会治理中心: the noun after the classifier is what is counted.
			if f.Metric = nounsAfter(doc, wordsFrom(s.Tokens, c.end, ordered == 1), c.end); f.Metric == "" {
				f.Metric = metric(doc, wordsBefore(s.Tokens, c.start, ordered == 1), c.start)
			}
		case "money", "percent", "quantity", "number":
			f.Metric = metric(doc, wordsBefore(s.Tokens, c.start, ordered == 1), c.start)
		}
		facts = append(facts, f)
	}
	return facts
}

// Every rule's match contains an anchor: a digit, a numeral character (formal 壹贰 and
// traditional 兩萬 forms too), or a character every relative date or holiday holds (今年,
// 昨天, 今晚, 今早, 昨夜, 上周, 国庆节, 元旦, 本年度) or 对折's 折. TestEveryMatchHoldsAnAnchor
// checks this against the rules' prefilters. Rules run only over windows around anchors, which keeps
// regular expressions off most of the text; the margins exceed the longest qualifier, unit and
// reject context a rule looks at, so the matches are the same as over the whole sentence.
const (
	windowBefore = 16 // code points
	windowAfter  = 16
)

const anchorRunes = "0123456789零〇一二两兩倆三四五六七八九十百千万亿萬億兆廿卅壹贰貳叁參肆伍陆陸柒捌玖拾佰仟几幾数半年天日晚元周週节旦夜早晨折正腊度"

// anchorBits holds the anchors as one bit per code point of the Basic Multilingual Plane (they
// all lie there): isAnchor runs on every character of the text.
var anchorBits = func() *[0x10000 / 64]uint64 {
	var b [0x10000 / 64]uint64
	for _, r := range anchorRunes {
		b[r/64] |= 1 << (r % 64)
	}
	return &b
}()

func isAnchor(r rune) bool {
	return r >= 0 && r < 0x10000 && anchorBits[r/64]&(1<<(r%64)) != 0
}

// windows appends to out the byte ranges of text that hold anchors with their margins, and the
// code point each begins at: anchors closer than the two margins together share one window.
//
// It reads the text once, keeping the byte offsets of the last windowBefore+1 code points in a
// ring (where a window opened by an anchor begins); a window ends windowAfter+1 code points
// past its last anchor, or with the text.
func windows(text string, out [][3]int) [][3]int {
	var ring [windowBefore + 1]int // ring[i%len(ring)]: the byte offset of code point i
	open := false                  // whether a window is open: its anchors first..last
	var first, last, lo, hi int    // its first and last anchor (code points), its bytes
	n := 0                         // code points read
	for b, r := range text {
		ring[n%len(ring)] = b
		if open && n == last+windowAfter+1 {
			hi = b // the window ends here unless another anchor comes near enough
		}
		if isAnchor(r) {
			if open && n-last > windowBefore+windowAfter {
				out = append(out, [3]int{lo, hi, max(0, first-windowBefore)})
				open = false
			}
			if !open {
				open, first = true, n
				lo = ring[max(0, n-windowBefore)%len(ring)] // code point 0 is at byte 0
			}
			last = n
		}
		n++
	}
	if open {
		if n <= last+windowAfter+1 {
			hi = len(text)
		}
		out = append(out, [3]int{lo, hi, max(0, first-windowBefore)})
	}
	return out
}

// inOrder reports whether each token ends where or before the next begins, as segmentation
// makes them: then their starts and their ends both rise, and cutsWord's words can be found
// by binary search.
func inOrder(toks []pipeline.Token) bool {
	for i, t := range toks {
		if t.Start > t.End || i > 0 && toks[i-1].End > t.Start {
			return false
		}
	}
	return true
}

// cutsWord reports whether the figure [core, end) begins or ends inside a word of two or more
// Han characters that the whole match [start, end) does not contain: 李四人民币 holds no 四人,
// but 近三年 may be one word. Numerals are exempt, since gse splits them at will. doc is the
// text the tokens are cut from.
func cutsWord(doc string, toks []pipeline.Token, start, core, end int, checkEnd bool) (string, bool) {
	for _, t := range toks {
		ts, te := int(t.Start), int(t.End)
		if te <= core || ts >= end || (ts >= start && te <= end) {
			continue
		}
		inside := (ts < core && core < te) || (checkEnd && ts < end && end < te)
		if w := t.Word(doc); inside && hanWord(w) && !numeralWord(w) {
			return w, true
		}
	}
	return "", false
}

func hanWord(s string) bool {
	n := 0
	for _, r := range s {
		if !pipeline.IsHan(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// numeralWord: a token made only of numeral characters, or a numeral followed by one
// classifier-like character (gse's 亿元, 万人), which a figure may legitimately split.
func numeralWord(s string) bool {
	rs := []rune(s)
	for i, r := range rs {
		if !strings.ContainsRune("零〇一二两三四五六七八九十百千万亿几数多余", r) && !(i == len(rs)-1 && i > 0) {
			return false
		}
	}
	return true
}

// wordsBefore returns the words that begin before code point pos when they are in order
// (inOrder), found by binary search, else all of them: metric reads the same words in either.
func wordsBefore(toks []pipeline.Token, pos int, ordered bool) []pipeline.Token {
	if !ordered {
		return toks
	}
	return toks[:firstFrom(toks, pos)]
}

// wordsFrom returns the words from the first that begins at or after code point pos when they
// are in order, else all of them: nounsAfter skips the others anyway.
func wordsFrom(toks []pipeline.Token, pos int, ordered bool) []pipeline.Token {
	if !ordered {
		return toks
	}
	return toks[firstFrom(toks, pos):]
}

// firstFrom is the index of the first of the words (in order) that begins at or after code
// point pos; len(toks) when none does.
func firstFrom(toks []pipeline.Token, pos int) int {
	return sort.Search(len(toks), func(i int) bool { return int(toks[i].Start) >= pos })
}

// metricSkip are words between a metric and its figure: 产值[超]300亿元, 人员[达]1.52万人.
var metricSkip = map[string]bool{
	"达": true, "达到": true, "为": true, "是": true, "超": true, "超过": true, "约": true, "近": true,
	"共": true, "共计": true, "累计": true, "逾": true, "突破": true, "高达": true, "已达": true, "已": true,
	"有": true, "占": true, "增长": true, "下降": true, "实现": true, "完成": true, "将近": true,
}

// metric names what a figure measures: the run of nouns just before it, past linking verbs
// and qualifiers, with a prefix gse keeps apart (产值超300亿元 → 产值; 年网络销售额约200万元 →
// 年网络销售额; 上市企业5家 → 上市企业). doc is the text the tokens are cut from.
func metric(doc string, toks []pipeline.Token, start int) string {
	i := len(toks) - 1
	for i >= 0 && int(toks[i].Start) >= start {
		i--
	}
	for i >= 0 && metricSkip[toks[i].Word(doc)] {
		i--
	}
	end := i
	for i >= 0 && isNoun(doc, toks[i]) && end-i < 3 {
		i--
	}
	if i == end {
		return ""
	}
	if i >= 0 && toks[i].Word(doc) == "占" && i > 0 && isNoun(doc, toks[i-1]) {
		// 产量占全国70%以上: the share is of 全国; what it measures is 产量.
		i--
		end = i
		for i >= 0 && isNoun(doc, toks[i]) && end-i < 3 {
			i--
		}
	}
	if i >= 0 && metricPrefix[toks[i].Word(doc)] {
		i-- // 年网络销售额, 上市企业
	}
	var b strings.Builder
	for k := i + 1; k <= end; k++ {
		b.WriteString(toks[k].Word(doc))
	}
	return b.String()
}

// nounsAfter returns the run of nouns that begins where a figure ends (一名学生 → 学生), up
// to three words, or "". An idiom (30余人汇聚一堂) is no noun here. doc is the text the
// tokens are cut from.
func nounsAfter(doc string, toks []pipeline.Token, end int) string {
	var b strings.Builder
	n := 0
	for _, t := range toks {
		switch {
		case int(t.Start) < end:
			continue
		case int(t.Start) == end && n < 3 && isNoun(doc, t) && !idiom(doc, t):
			b.WriteString(t.Word(doc))
			n++
			end = int(t.End)
			continue
		}
		break
	}
	return b.String()
}

// idiom: gse tags 汇聚一堂 and 一举两得 l or nz; four characters in one word is a chengyu.
func idiom(doc string, t pipeline.Token) bool {
	pos := t.Pos()
	return pos == "l" || pos == "nz" && utf8.RuneCountInString(t.Word(doc)) == 4
}

// timeUnits are nouns that tell how long, not what: 直播4小时超40万 measures no 小时.
var timeUnits = map[string]bool{"小时": true, "分钟": true, "秒钟": true, "天": true, "年": true, "月": true, "周": true, "星期": true}

// isNoun reports whether a token is a noun of Han characters that is no time unit; doc is the
// text it is cut from.
func isNoun(doc string, t pipeline.Token) bool {
	if w := t.Word(doc); !hanWord(w) || timeUnits[w] {
		return false
	}
	pos := t.Pos()
	return pos == "n" || pos == "vn" || pos == "nz" || pos == "l" || pos == "an"
}

func sentenceAt(ss []pipeline.Sentence, pos int) int {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].End > pos })
	if i < len(ss) && ss[i].Start <= pos {
		return i
	}
	return -1
}
