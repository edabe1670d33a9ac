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

// Load loads the embedded dictionary, once per process. Later calls return at once. Callers
// that want the start-up cost paid early (before a progress bar starts) may call it; Tokens
// calls it anyway.
func Load() {
	once.Do(func() {
		seg.SkipLog = true
		// gse's default dictionary loader looks for files next to its source code; the embedded
		// copy works on machines without a Go module cache. Only the simplified-Chinese
		// dictionary: the traditional one doubles load time and memory.
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			panic("segment: the embedded gse dictionary does not load: " + err.Error())
		}
	})
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
