// Package segment wraps gse, the Chinese word segmenter, behind one small function: it loads
// the simplified-Chinese dictionary embedded in the binary once per process and returns tokens
// with code-point offsets and parts of speech.
//
// Loading the whole dictionary takes about 2 s, so a command with a small input (extract of a
// sentence, explain, rules test) loads only the words its text can contain, from a per-user
// cache of the dictionary (cache.go, filter.go). Every call checks that the loaded part covers
// its text and loads more (or everything) when it does not, so the results never depend on it.
package segment

import (
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/newsfacts/newsfacts/pipeline"
)

// state is what the process has loaded. It is replaced, never changed, except by AddWords,
// which must be called before any text is segmented.
type state struct {
	seg  *gse.Segmenter // nil while only the cached index is loaded
	full bool           // seg holds the whole dictionary

	// When !full: the cached dictionary, and the runes of every text seg was filtered for.
	// seg holds every entry of dict whose runes are all in runes, so it segments any text
	// whose runes are all in runes exactly as the whole dictionary does.
	dict   *cachedDict
	runes  *runeSet
	builds int // partial dictionaries built so far
	kept   int // words they kept, together
}

var (
	mu  sync.Mutex // serialises loading and AddWords
	cur atomic.Pointer[state]
)

// dictTokens is the number of tokens of gse's simplified-Chinese dictionary (352,275 in
// v0.80.3), with some room; a larger dictionary only makes the slice grow again.
const dictTokens = 360_000

// Load loads the whole embedded dictionary, once per process (it replaces a partial one).
// Commands that segment much text (run, bench) call it before they start, so that the cost is
// paid before a progress bar starts; Tokens loads what it needs anyway.
func Load() {
	if st := cur.Load(); st != nil && st.full {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	loadFullLocked()
}

// loadFullLocked loads the whole dictionary with the researcher's words unless it is loaded,
// and writes the dictionary cache when there is none. mu is held.
func loadFullLocked() *state {
	if st := cur.Load(); st != nil && st.full {
		return st
	}
	s := new(gse.Segmenter)
	if err := load(s); err != nil {
		panic("segment: the embedded gse dictionary does not load: " + err.Error())
	}
	writeCache(s) // before the researcher's words: the cache holds gse's dictionary only
	if addUserWords(s, nil) {
		s.CalcToken() // gse's path weights depend on the total frequency
	}
	st := &state{seg: s, full: true}
	cur.Store(st)
	return st
}

// load loads the embedded simplified-Chinese dictionary into s. gse's default dictionary
// loader looks for files next to its source code; the embedded copy works on machines without
// a Go module cache. Only the simplified-Chinese dictionary: the traditional one doubles load
// time and memory.
func load(s *gse.Segmenter) error {
	s.SkipLog = true
	// What LoadDictStr does when the dictionary is nil, with room for every token made
	// beforehand: growing the slice of 80-byte tokens 350,000 times cost about 0.5 s of the
	// load and left up to a quarter of it unused.
	s.Dict = gse.NewDict()
	s.Dict.Tokens = make([]gse.Token, 0, dictTokens)
	s.Init()
	return s.LoadDictEmbed("zh_s")
}

// LoadFor says that text is about to be segmented. When the process has loaded nothing else
// yet, text is small and the dictionary cache exists, it loads only the words text can hold;
// otherwise it loads what Load does. Calling it is never needed for correct results (Tokens
// checks its text), only for speed: a whole document given at once costs one partial load
// instead of one per sentence that brings new characters.
func LoadFor(text string) {
	if st := cur.Load(); st != nil && (st.full || st.covers(text)) {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	loadForLocked(text)
}

// Tokens segments text[start:end] (byte offsets) of a document and returns its words with
// code-point offsets into the whole text; runeBase is the code-point offset of start.
// Whitespace tokens are dropped.
func Tokens(text string, runeBase int) []pipeline.Token {
	st := cur.Load()
	if st == nil || !(st.full || st.covers(text)) {
		mu.Lock()
		st = loadForLocked(text)
		mu.Unlock()
	}
	segs := st.seg.Segment([]byte(text))
	out := make([]pipeline.Token, 0, len(segs))
	pos, prevByte := runeBase, 0
	for _, s := range segs {
		b0, b1 := s.Start(), s.End()
		pos += utf8.RuneCountInString(text[prevByte:b0])
		n := utf8.RuneCountInString(text[b0:b1])
		w := text[b0:b1]
		if !blank(w) {
			out = append(out, pipeline.Token{Start: pos, End: pos + n, Text: w, Pos: s.Token().Pos()})
		}
		pos += n
		prevByte = b1
	}
	return out
}

func blank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\u3000' {
			return false
		}
	}
	return true
}

// IsWord reports whether s is a word of the segmentation dictionary, or the beginning of one
// (gse's Find answers so). It reads the cached word list when the whole dictionary is not
// loaded, so it never needs the whole dictionary.
func IsWord(s string) bool {
	st := cur.Load()
	if st == nil {
		mu.Lock()
		st = startLocked()
		mu.Unlock()
	}
	if st.full {
		_, _, ok := st.seg.Find(s)
		return ok
	}
	return s != "" && (st.dict.hasPrefix(s) || userHasPrefix(s))
}

// Gse returns the whole loaded segmenter itself, for measuring gse alone (newsfacts bench). It
// is safe for concurrent use; callers must not change it.
func Gse() *gse.Segmenter {
	Load()
	return cur.Load().seg
}
