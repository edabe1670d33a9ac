// Package entity finds the people, organisations and places of a segmented document.
//
// Recognition reads the segmenter's tokens and tags (gse: nr, ns, nt, nrt …) and corrects and
// completes them with data that researchers extend (rules/entities): a gazetteer of China's
// administrative divisions and of the world, known organisations, surnames, the suffixes that
// end organisation and place names, and the words around a person's name. Within a
// sentence, candidates from every rule compete and the longest wins an overlap, as the
// People's Daily annotation reports the outermost name (中国人民银行, not 中国). Across the
// document, a name recognised once is recognised wherever it recurs, and a short form that
// the document introduced with its full name (博哥文化 after 温岭博哥文化传媒有限公司) carries
// the full name in Normalized.
//
// Every entity says which rule produced it (Rule):
//
//	gazetteer, dict.org, dict.person  a name of the data files (divisions.txt, world.txt,
//	                                  organizations.txt, people.txt)
//	org.suffix                        a name and an organisation suffix (江苏大学流体机械温岭研究院)
//	org.local                         a local body's short form (市经信局, 市妇联)
//	place.suffix                      a name and a place suffix (石塘镇, 湖漫水库, 哈尔滨中央大街)
//	person.pos                        a person the segmenter tagged (nr, nrfg) whose surname or
//	                                  context confirms it
//	person.surname                    a surname and a given name the segmenter left in pieces
//	person.foreign, person.dot        a transliterated name, alone or joined by · (or -)
//	person.cue                        a name the segmenter tagged as something else, beside a
//	                                  cue (外长 利维, 何方 同志)
//	person.credit                     a name of a credit line ((赵亚光摄), 潘跃王萍)
//	pos.ns, pos.nt                    a place or organisation the segmenter tagged, filtered
//	doc.repeat                        a name recognised elsewhere in the document
//	doc.short                         a company's short form after its full name (博哥文化)
//
// Normalized is the full name: the first name of a data file's entry (北京 → 北京市,
// 解放军 → 中国人民解放军), the full name a short form follows in the document, else the
// text itself.
package entity

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Entity kinds, as in the JSON Lines contract.
const (
	Person       = "person"
	Organization = "organization"
	Location     = "location"
)

// Stage finds the people, organisations and places of a split and segmented document
// (d.Sentences[i].Tokens are filled) and appends them to d.Entities, after the byline entities
// split already put there (never overlapping those). It is safe for concurrent use on
// different documents.
func Stage(d *pipeline.Doc, r *Recognizer) { StageRange(d, r, Range{Hi: len(d.Sentences)}) }

// Range is a part of a document for StageRange: its sentences [Lo, Hi), and what is read of
// the whole text once for all of its ranges (LinesOf; nil: read here, from the bytes beside
// the sentences' tokens when they reach the sentences' edges, as in every document of the
// corpus, else from the whole text). With the lines given, a range does not read the
// document's text again (its tokens say where their words are): a 64 MiB document is 64
// ranges. It still clears a flag per code point of the text (taken spans) and goes through
// the entities found so far, which is cheap beside its sentences.
type Range struct {
	Lo, Hi int
	Lines  *Lines
}

// Lines is a text's length in code points and where its lines break.
type Lines struct {
	n      int
	breaks breaks
}

// LinesOf reads the length and line breaks of text.
func LinesOf(text string) *Lines {
	n, bs := lines(text, nil)
	return &Lines{n: n, breaks: bs}
}

// StageRange is Stage over the sentences of rg, as if they were the whole document, for a
// document worked through a group of sentences at a time (pipeline/extract): the names
// recognised once are looked for, and the persons counted, within the range only. A sentence's
// place in its article (the lines under a headline, the last line) is still read from the
// sentences around it, so that a range that begins or ends inside an article does not take
// its edge for the article's.
func StageRange(d *pipeline.Doc, r *Recognizer, rg Range) {
	if d.Failed() || r == nil {
		return
	}
	lo, hi := rg.Lo, rg.Hi
	for i := range d.Entities {
		if d.Entities[i].Normalized == "" {
			d.Entities[i].Normalized = d.Entities[i].Text
		}
	}
	sc := scratchPool.Get().(*scratch)
	sents := sc.sentences(d.Sentences[lo:hi])
	defer sc.release(sents)
	index := 0 // the sentence's place in its article
	for j := lo - 1; lo < hi && j >= 0 && d.Sentences[j].Article == d.Sentences[lo].Article; j-- {
		index++
	}
	for k := range sents {
		i := lo + k // in d.Sentences
		s := &sents[k]
		if i > 0 && d.Sentences[i-1].Article != s.Article {
			index = 0
		}
		s.place = place{index: index, lastLine: i+1 == len(d.Sentences) || d.Sentences[i+1].Article != s.Article}
		index++
	}
	// Whether each sentence is a whole line: read from the bytes beside its tokens when its
	// tokens start and end it (the text need not be read), else from the text's lines.
	n := 0 // the spans entities may take: up to the end of the last sentence, or of the text
	if rg.Lines == nil && linesByTokens(d.Text, sents) {
		for k := range sents {
			n = max(n, sents[k].End)
		}
	} else {
		newlines := breaks(nil)
		if rg.Lines != nil {
			n, newlines = rg.Lines.n, rg.Lines.breaks
		} else {
			n, newlines = lines(d.Text, sc.breaks[:0])
			sc.breaks = newlines
		}
		for k := range sents {
			s := &sents[k]
			s.place.line = (s.Start == 0 || newlines.has(s.Start-1)) && (s.End >= n || newlines.has(s.End))
		}
	}
	// Every candidate lies inside a sentence of the range: spans past the last are never
	// asked about.
	taken := sc.spans(n)
	for _, e := range d.Entities {
		taken.add(e.Start, e.End)
	}
	// Person candidates first, so that a name mentioned twice is accepted at its first
	// mention too.
	// Each sentence's tokens, person candidates and credit lines depend on that sentence
	// alone (and its place): a long document (an archive in one file) builds them on every
	// CPU, each sentence's while its tokens are in the processor's cache.
	pipeline.EachSentence(len(sents), func(i int) {
		if d.Abandoned() {
			return
		}
		s := &sents[i]
		s.fill(r, d.Text)
		s.persons = r.personCands(s, s.persons[:0])
		s.credits = r.credits(s, s.place)
	})
	if sc.seen == nil {
		sc.seen = map[string]int{}
	}
	// A candidate that needs a second mention, and has no other evidence, is the only one
	// that reads the count of its text (persons): those texts alone are counted, over every
	// candidate, in a map a tenth the size of one of every candidate's text.
	seen := sc.seen
	for k := range sents {
		s := &sents[k]
		for _, p := range s.persons {
			if p.need == needSecond && !p.ok {
				seen[s.text(p.i, p.j)] = 0
			}
		}
	}
	for k := 0; k < len(sents) && len(seen) > 0; k++ {
		if d.Abandoned() {
			return // past its time budget: nobody reads the result
		}
		s := &sents[k]
		for _, p := range s.persons {
			text := s.text(p.i, p.j)
			if c, ok := seen[text]; ok {
				seen[text] = c + 1
			}
		}
	}
	for i := range sents {
		if d.Abandoned() {
			return
		}
		// sc.cs: one buffer for every sentence's candidates.
		sc.cs, sc.accepted, sc.order = r.sentence(&sents[i], taken, seen, sc.cs, sc.accepted, sc.order)
	}
	if sc.names == nil {
		// The accepted entities repeat names; their prefixes add about as many.
		sc.names = make(map[string]known, len(sc.accepted))
	}
	accepted := r.document(sents, sc.accepted, taken, sc.names)
	sc.accepted = accepted
	slices.SortStableFunc(accepted, func(a, b found) int { return cmp.Compare(a.start, b.start) })
	d.Entities = slices.Grow(d.Entities, len(accepted))
	for _, f := range accepted {
		d.Entities = append(d.Entities, pipeline.Entity{
			Kind: f.kind, Text: f.text, Normalized: f.norm, Start: f.start, End: f.end,
			Sentence: f.sent.Index, Article: f.sent.Article, Rule: f.rule,
		})
	}
}

// linesByTokens sets place.line, whether the sentence is a whole line of text, for every
// sentence whose first token starts it and whose last ends it, from the bytes before the
// first and after the last: a line break is one byte, never part of another character, so
// the code point before a sentence is a line break exactly when the byte before its first
// token is. It returns false, and sets nothing, when a sentence has no tokens or spaces at
// an edge.
func linesByTokens(text string, sents []sentence) bool {
	for k := range sents {
		s := &sents[k]
		ts := s.Tokens
		if len(ts) == 0 || int(ts[0].Start) != s.Start || int(ts[len(ts)-1].End) != s.End {
			return false
		}
	}
	for k := range sents {
		s := &sents[k]
		from, to := int(s.Tokens[0].From), int(s.Tokens[len(s.Tokens)-1].To)
		s.place.line = (from == 0 || text[from-1] == '\n') && (to >= len(text) || text[to] == '\n')
	}
	return true
}

// lines returns the number of code points of a text and where its line breaks are,
// appended to bs.
func lines(text string, bs breaks) (int, breaks) {
	n := 0
	// A line break is never part of another character, nor of the bytes that are no
	// UTF-8 before it: counting line by line counts as reading the whole text does.
	for {
		k := strings.IndexByte(text, '\n')
		if k < 0 {
			return n + runeCount(text), bs
		}
		n += runeCount(text[:k])
		bs = append(bs, n)
		n++
		text = text[k+1:]
	}
}

// runeCount is utf8.RuneCountInString, which reads character by character: in UTF-8, it
// counts the bytes that start a character, that is all but the continuation bytes
// (10xxxxxx), eight at a time: a byte's top bit set and the next one clear.
func runeCount(s string) int {
	if !utf8.ValidString(s) {
		return utf8.RuneCountInString(s)
	}
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		x := le64(s[i:])
		n -= bits.OnesCount64(x &^ (x << 1) & 0x8080808080808080)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// breaks are the positions of a text's line breaks, in code points, ascending.
type breaks []int

func (b breaks) has(i int) bool {
	k := sort.SearchInts(b, i)
	return k < len(b) && b[k] == i
}

// found is an accepted entity.
type found struct {
	cand
	sent *pipeline.Sentence
}

// spans records which code points of a document entities have taken.
type spans struct{ taken []bool }

func (sp *spans) overlaps(start, end int) bool {
	for i := max(start, 0); i < end && i < len(sp.taken); i++ {
		if sp.taken[i] {
			return true
		}
	}
	return false
}

func (sp *spans) add(start, end int) {
	for i := max(start, 0); i < end && i < len(sp.taken); i++ {
		sp.taken[i] = true
	}
}

// tok is a token with what the rules ask of it: 40 bytes and no pointer, of which a
// newspaper page has about four thousand and a group of an archive in one file
// (pipeline/extract) a few hundred thousand, which the garbage collector need not scan nor
// the pool clear. Its first four fields and Tag are the sentence's pipeline.Token; its word
// is read from the sentence's text (sentence.word). Its length in code points (n) and where
// its word lies in sentence.str (sentence.at) are the token's offsets.
type tok struct {
	Start, End  int32        // code points in the document's text (pipeline.Token)
	From, To    int32        // bytes in the document's text: the word is text[From:To]
	gaps        int32        // gaps between tokens up to this one
	wi          int32        // its word in Recognizer.list (index), -1 for none
	first, last rune         // its first character (firstRune) and its last (lastRune)
	Tag         pipeline.Tag // its part of speech (pipeline.Token)
	wb          wordBits     // what w says of its text that the rules ask most, without a visit to w
	shape       shape        // which rules' scans may start or go on at it (shapeOf)
	sl          int8         // surnameLen of its text
	kind        tokKind      // only Han characters; only characters that transliterate
}

// tokKind says what a token's characters are, a bit each.
type tokKind uint8

const (
	kHan      tokKind = 1 << iota // only Han characters
	kTranslit                     // only characters that transliterate foreign names
)

// han reports whether the token is only Han characters (and one or more).
func (t *tok) han() bool { return t.kind&kHan != 0 }

// translit reports whether every character of the token transliterates foreign names.
func (t *tok) translit() bool { return t.kind&kTranslit != 0 }

// Pos returns the token's part of speech as gse writes it (pipeline.Token.Pos).
func (t *tok) Pos() string { return t.Tag.String() }

// shape says which of the rules' scans over a sentence's tokens may take a token: a bit each,
// set by fill from what it read of the token (shapeOf). Each bit is exactly the condition its
// scan tested first, token by token; a scan now tests one bit, and a sentence none of whose
// tokens has it (sentence.shapes) is not scanned at all.
type shape uint16

const (
	shNamed       shape = 1 << iota // mayBeNamed: personCands' tags and cues
	shSurname                       // a surname of one or two characters alone: personCands' surname and given name
	shSurnameWord                   // two characters, a surname of one: personCands' surname and a character
	shForeign                       // one character that transliterates and is no function character: personCands' foreign names
	shTagged                        // Han, two characters or more, not notEntity, tagged ns or nt: tagged
	shOrgEnd                        // Han and endsLikeSuffix(bOrgSuffix): organisations
	shPlaceEnd                      // Han, notEntity only as a place suffix, endsLikeSuffix(bPlaceSuffix): placesBySuffix
	shBracket                       // （ or (: credits
	shDict                          // a name or the start of one, or Han and a place prefix and more, or Han and the start of a word and more: dictionary
)

// shapeOf returns the shape of a token whose other fields are set, the flags of its last
// character being last (r.chars.flags(t.last)) and starts2 telling whether a word of the files
// may start with its first two characters (startsWord2, for a token of two or more).
func shapeOf(t *tok, last charFlags, starts2 bool) shape {
	var sh shape
	if mayBeNamed(t) {
		sh |= shNamed
	}
	if t.n() == 1 && (t.first == '（' || t.first == '(') {
		sh |= shBracket
	}
	if !t.han() {
		// A token that is not Han takes dictionary's first search alone (the others start
		// at Han tokens), which ends at once unless a name is or starts with its word.
		if t.is(bKnown | bPrefix) {
			sh |= shDict
		}
		return sh
	}
	if t.is(bKnown|bPrefix) || t.n() >= 2 && inSet(t.first, setPlacePrefix) || t.n() >= 3 && starts2 {
		sh |= shDict
	}
	sl := int32(t.sl)
	if sl != 0 && t.n() <= 2 && (sl == t.n() || -sl == t.n()) {
		sh |= shSurname
	}
	if t.n() == 2 && sl == 1 {
		sh |= shSurnameWord
	}
	if t.n() == 1 && t.translit() && !isFunctionChar(t) {
		sh |= shForeign
	}
	if t.n() >= 2 && !t.is(bNotEntity) && (t.Tag == tagNS || t.Tag == tagNT) {
		sh |= shTagged
	}
	ends := last&charEndsSuffix != 0 // r.endsLikeSuffix, but for its bits
	if ends || t.is(bOrgSuffix) {
		sh |= shOrgEnd
	}
	if (ends || t.is(bPlaceSuffix)) && !(t.is(bNotEntity) && !t.is(bPlaceSuffix)) {
		sh |= shPlaceEnd
	}
	return sh
}

type sentence struct {
	*pipeline.Sentence
	toks    []tok
	str     string // the document's text from its first token to its last (fill)
	from    int32  // where str starts in the document's text, in bytes
	persons []personCand
	credits []cand
	place   place // where the sentence stands in its article, for credits
	invalid bool  // a token is not UTF-8 (fill)
	dots    bool  // a token is a dot that joins transliterated names (isDot)
	shapes  shape // the shapes of its tokens, together
}

// fill sets what the rules ask of each token of a sentence; text is the document's text,
// which the tokens' words are cut from. The sentence's str is the piece of it from the first
// token to the last: the texts of entities are cut from it, and keep the document's text
// alive as long as they live, as facts' texts do.
//
// The tokens are a piece of the document's scratch (scratch.sentences), written whole here.
func (s *sentence) fill(r *Recognizer, text string) {
	if len(s.Tokens) == 0 {
		return
	}
	s.from = s.Tokens[0].From // the tokens are in text order, as segmentation cuts them
	s.str = text[s.from:s.Tokens[len(s.Tokens)-1].To]
	gaps := int32(0)
	for i := range s.Tokens {
		t := &s.Tokens[i]
		if i > 0 && s.Tokens[i-1].End != t.Start {
			gaps++
		}
		// One reading of the text's characters answers what the rules would otherwise
		// decode again and again (its first and last character, its length, whether it
		// is Han or transliterates a foreign name).
		w := t.Word(text)
		k := &s.toks[i] // written whole here
		*k = tok{Start: t.Start, End: t.End, From: t.From, To: t.To, Tag: t.Tag, gaps: gaps, first: utf8.RuneError, last: -1}
		han, translit := w != "", true
		firstSize, second, odd, lastFlags := 0, rune(-1), false, charFlags(0)
		for x := 0; x < len(w); {
			c, size := pipeline.DecodeRune(w[x:])
			if x == 0 {
				k.first, firstSize = c, size
			} else if x == firstSize {
				second = c
			}
			k.last = c
			f := r.chars.flags(c) // charHan holds the Basic Multilingual Plane's Han alone
			han = han && (f&charHan != 0 || c >= 0x10000 && pipeline.IsHan(c))
			translit = translit && f&charTranslit != 0
			lastFlags = f
			odd = odd || c == utf8.RuneError
			x += size
		}
		if han {
			k.kind |= kHan
		}
		if translit {
			k.kind |= kTranslit
		}
		if odd && !utf8.ValidString(w) {
			s.invalid = true
		}
		s.dots = s.dots || k.n() == 1 && isDotRune(k.first)
		k.sl = int8(r.surnameLenAt(w, k.first, firstSize))
		// The word's index (r.index) and its bits, in one visit to memory.
		var h hit
		if firstSize == len(w) && oneChar(k.first) {
			h = r.single[k.first]
		} else {
			h = r.findRead(w, k.first, firstSize, second, &r.table, &r.pairs, charStartsWord, charWord)
		}
		k.wi, k.wb = h.i, h.b
		// (startsWord2 for a token of three characters or more, from the characters read.)
		starts2 := k.n() >= 3 && r.chars.has(k.first, charStartsWord) && r.pairs.has(k.first, second)
		k.shape = shapeOf(k, lastFlags, starts2)
		s.shapes |= k.shape
	}
}

// word returns the word of a token of the sentence, cut from its text.
func (s *sentence) word(t *tok) string { return s.str[t.From-s.from : t.To-s.from] }

// n is the token's length in code points.
func (t *tok) n() int32 { return t.End - t.Start }

// is reports whether the token's word has any of the bits b.
func (t *tok) is(b wordBits) bool { return t.wb&b != 0 }

// adjacent reports whether token j follows token i with nothing between them.
func (s *sentence) adjacent(i, j int) bool {
	return i >= 0 && j < len(s.toks) && s.toks[i].End == s.toks[j].Start
}

// text returns the text of tokens [i, j), or "" when a space parts them.
func (s *sentence) text(i, j int) string {
	if i >= j || s.toks[j-1].gaps != s.toks[i].gaps {
		return ""
	}
	return s.str[s.at(i):s.end(j-1)]
}

// at and end return where the text of token i starts and ends in s.str.
func (s *sentence) at(i int) int { return int(s.toks[i].From - s.from) }

func (s *sentence) end(i int) int { return int(s.toks[i].To - s.from) }

// cand is a candidate entity over tokens [ti, tj) or, inside a token, over code points
// [start, end).
type cand struct {
	start, end int
	kind       string
	text       string
	norm       string
	rule       string
	rank       int
}

// firstRunes returns the first n characters of s (all of s when it has fewer, or n < 0).
func firstRunes(s string, n int) string {
	if n < 0 {
		return s
	}
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := pipeline.DecodeRune(s[i:])
		i += size
	}
	return s[:i]
}

// lastRunes returns the last n characters of s, as a forward reading counts them. It steps
// back over whole characters from the end: where each is one, a forward reading ends with
// the same characters (the first byte of a character is no continuation byte, so no
// earlier character runs into it). Bytes that are no UTF-8 send it to lastRunesForward.
func lastRunes(s string, n int) string {
	p := len(s)
	for k := 0; k < n; k++ {
		if p == 0 {
			return s
		}
		c, size := utf8.DecodeLastRuneInString(s[:p])
		if size == 1 && c == utf8.RuneError {
			return lastRunesForward(s, n)
		}
		p -= size
	}
	return s[p:]
}

func lastRunesForward(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if n >= c {
		return s
	}
	return s[len(firstRunes(s, c-n)):]
}
