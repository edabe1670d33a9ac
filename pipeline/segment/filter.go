package segment

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Why a part of the dictionary segments like the whole (checked against gse v0.80.3):
//   - gse's Segment looks up, at every position of the text, the dictionary words that start
//     there (Dictionary.LookupTokens); a word can only be found if each of its characters is in
//     the text (gse lower-cases ASCII letters of both, see runeSet). Leaving out the words
//     whose characters are not all in the text leaves every lookup's answer as it was.
//   - A word's path length is log2(total frequency) - log2(its frequency), so the total must
//     stay that of the whole dictionary: one dummy word of a character no text holds carries
//     the frequency of the words left out.
//   - The longest word (MaxTokenLen) only bounds the lookup window; words longer than the
//     longest one kept are words that cannot be found anyway.
// TestFilteredAsFull checks it on thousands of sentences.

// dummyRune is the dummy word's character: the last private-use code point. A text holding it
// gets the whole dictionary.
const dummyRune = '\U0010FFFD'

// Limits of partial loading: past them the whole dictionary (about 2 s) is loaded instead.
// A partial dictionary costs about 5 µs a word kept (BenchmarkPartial): a sentence keeps some
// dozens of words (10 ms), a 13 KB page 77,000 (0.3 s), a 20 KB page 88,000 (0.5 s), since
// most common characters occur in it. Counting every word kept by every partial load of the
// process bounds what a large input (extract of a whole corpus) spends on partial loads before
// it gets the whole dictionary.
const (
	maxBuilds = 8       // partial loads per process
	maxKept   = 100_000 // words kept, all partial loads together
)

// startLocked returns the current state, reading the dictionary cache when nothing is loaded;
// without a cache it loads the whole dictionary. mu is held.
func startLocked() *state {
	if st := cur.Load(); st != nil {
		return st
	}
	if d := readCache(); d != nil {
		st := &state{dict: d, runes: new(runeSet)}
		cur.Store(st)
		return st
	}
	return loadFullLocked()
}

// loadForLocked makes the loaded dictionary cover text: a partial dictionary for the runes of
// every text so far, or the whole one past the limits. mu is held.
func loadForLocked(text string) *state {
	st := startLocked()
	if st.full || st.covers(text) {
		return st
	}
	runes := st.runes.with(text)
	if runes.has(dummyRune) || st.builds >= maxBuilds {
		return loadFullLocked()
	}
	s, ok := filtered(st.dict, runes, maxKept-st.kept)
	if !ok {
		return loadFullLocked()
	}
	nst := &state{seg: s, dict: st.dict, runes: runes, builds: st.builds + 1, kept: st.kept + s.Dict.NumTokens()}
	cur.Store(nst)
	return nst
}

// covers reports whether st's dictionary was filtered for every rune of text.
func (st *state) covers(text string) bool {
	if st.seg == nil {
		return false
	}
	for _, r := range text {
		if !st.runes.has(r) || ('A' <= r && r <= 'Z' && !st.runes.has(r+'a'-'A')) {
			return false
		}
	}
	return true
}

// filtered builds a segmenter holding the words of d whose runes are all in runes, a dummy
// word that makes the total frequency d's, and the researcher's words. It reports false when
// that is not possible: more than limit words, a total frequency that differs, a researcher's
// word that holds the dummy's rune.
func filtered(d *cachedDict, runes *runeSet, limit int) (*gse.Segmenter, bool) {
	for _, k := range userKeys() {
		if strings.ContainsRune(k, dummyRune) {
			return nil, false
		}
	}
	var keep []int
	for i := range d.n {
		if runes.hasAll(d.key(i)) {
			if keep = append(keep, i); len(keep) > limit {
				return nil, false
			}
		}
	}
	s := new(gse.Segmenter)
	s.SkipLog = true
	s.Dict = gse.NewDict()
	s.Dict.Tokens = make([]gse.Token, 0, len(keep)+1+len(userWords))
	s.Init()
	var sum float64
	for _, i := range keep {
		key, rest := d.entry(i)
		freqText, pos, _ := strings.Cut(rest, "\t")
		freq, err := strconv.ParseFloat(freqText, 64)
		if err != nil {
			return nil, false
		}
		if err := s.AddToken(key, freq, pos); err != nil {
			return nil, false
		}
		sum += freq
	}
	if rest := d.total - sum; rest > 0 {
		if err := s.AddToken(string(dummyRune), rest, "x"); err != nil {
			return nil, false
		}
	}
	if s.Dict.TotalFreq() != d.total {
		return nil, false // frequencies whose sum depends on the order: not the same paths
	}
	addUserWords(s, d)
	s.CalcToken()
	return s, true
}

// runeSet is a set of code points: a bit set for the Basic Multilingual Plane, a map beyond.
type runeSet struct {
	bmp  [1 << 16 / 64]uint64
	more map[rune]bool
}

func (s *runeSet) has(r rune) bool {
	if r < 1<<16 {
		return s.bmp[r>>6]&(1<<(r&63)) != 0
	}
	return s.more[r]
}

// hasAll reports whether every rune of w is in s.
func (s *runeSet) hasAll(w string) bool {
	for i := 0; i < len(w); {
		r, n := rune(w[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(w[i:])
		}
		if !s.has(r) {
			return false
		}
		i += n
	}
	return true
}

// with returns a copy of s with the runes of text, and the lower-case form of its ASCII
// capitals (gse lower-cases them in the text it segments and in its dictionary).
func (s *runeSet) with(text string) *runeSet {
	out := &runeSet{bmp: s.bmp}
	if len(s.more) > 0 {
		out.more = make(map[rune]bool, len(s.more))
		for r := range s.more {
			out.more[r] = true
		}
	}
	add := func(r rune) {
		if r < 1<<16 {
			out.bmp[r>>6] |= 1 << (r & 63)
			return
		}
		if out.more == nil {
			out.more = map[rune]bool{}
		}
		out.more[r] = true
	}
	for _, r := range text {
		add(r)
		if 'A' <= r && r <= 'Z' {
			add(r + 'a' - 'A')
		}
	}
	return out
}
