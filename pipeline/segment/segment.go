// Package segment wraps gse, the Chinese word segmenter, behind one small function: it loads
// the simplified-Chinese dictionary embedded in the binary once per process and returns tokens
// with code-point offsets and parts of speech.
package segment

import (
	"sync"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/newsfacts/newsfacts/pipeline"
)

var (
	once sync.Once
	seg  gse.Segmenter
)

// dictTokens is the number of tokens of gse's simplified-Chinese dictionary (352,275 in
// v0.80.3), with some room; a larger dictionary only makes the slice grow again.
const dictTokens = 360_000

// Load loads the embedded dictionary, once per process. Later calls return at once. Callers
// that want the start-up cost paid early (before a progress bar starts) may call it; Tokens
// calls it anyway.
func Load() {
	once.Do(func() {
		if err := load(&seg); err != nil {
			panic("segment: the embedded gse dictionary does not load: " + err.Error())
		}
	})
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

// Tokens segments text[start:end] (byte offsets) of a document and returns its words with
// code-point offsets into the whole text; runeBase is the code-point offset of start.
// Whitespace tokens are dropped.
func Tokens(text string, runeBase int) []pipeline.Token {
	Load()
	segs := seg.Segment([]byte(text))
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

// IsWord reports whether s is a word of the segmentation dictionary.
func IsWord(s string) bool {
	Load()
	_, _, ok := seg.Find(s)
	return ok
}

// Gse returns the loaded segmenter itself, for measuring gse alone (newsfacts bench). It is
// safe for concurrent use once loaded; callers must not change it.
func Gse() *gse.Segmenter {
	Load()
	return &seg
}
