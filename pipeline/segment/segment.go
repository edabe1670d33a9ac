// Package segment cuts Chinese text into words with parts of speech, exactly as gse, the
// segmenter newsfacts uses, does with its simplified-Chinese dictionary (and, when asked, its
// traditional one), but from a compact copy of that dictionary that loads in a few hundredths
// of a second and holds a fifth of the memory.
//
// The copy is precompiled into the user's cache folder (cache.go); the first process without
// one loads gse's own dictionary (1–2 s) and writes it. lexicon.go holds the words and
// gse's shortest-path segmentation over them, table.go the hash table of their trie that the
// segmentation walks; TestLexiconAsGse proves the two agree.
package segment

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/go-ego/gse"

	"github.com/newsfacts/newsfacts/pipeline"
)

var (
	mu       sync.Mutex              // serialises loading, AddWords and UseTraditional
	cur      atomic.Pointer[lexicon] // the dictionary with the researcher's words; replaced, never changed
	dictName = simplified            // gse's embedded dictionary in use; guarded by mu
)

// The embedded gse dictionaries newsfacts segments with, by gse's names.
const (
	simplified = "zh_s" // simplified Chinese: 352,275 words
	both       = "zh"   // simplified and traditional Chinese, as gse's LoadDictEmbed("zh")
)

// UseTraditional adds gse's traditional-Chinese dictionary to the simplified one (on) or
// leaves only the simplified one (off, the default). The traditional words double the first
// load from gse and the cache (it is a cache file of its own), so they are loaded only when the
// configuration asks (segment.traditional). Call it before any text is segmented; a change
// after that makes the next segmentation load the other dictionary.
func UseTraditional(on bool) {
	name := simplified
	if on {
		name = both
	}
	mu.Lock()
	defer mu.Unlock()
	if name != dictName {
		dictName = name
		cur.Store(nil)
	}
}

// dictTokens is the number of tokens of gse's simplified-Chinese dictionary (352,275 in
// v0.80.3), with some room; a larger dictionary only makes the slice grow again.
const dictTokens = 360_000

// Load loads the dictionary, once per process. Commands that segment much text (run, bench)
// call it before they start, so that the cost is paid before a progress bar starts; Tokens
// and IsWord load it anyway.
func Load() { loaded() }

// Prefetch reads the dictionary's cache in the background (about 50 ms: 27 MB read, its
// checksum and its checks), for the first load to take instead of reading it then. `newsfacts
// run` calls it first thing, so that the read overlaps the rules' compilation instead of
// holding up the first documents' segmentation. It does nothing once the dictionary is loaded
// or a read is under way; a read never taken (a run with nothing to segment) costs its CPU and
// memory only. Without a cache it does nothing: the first load reads gse's dictionary.
func Prefetch() {
	mu.Lock()
	name, done := dictName, cur.Load() != nil
	mu.Unlock()
	ahead.mu.Lock()
	defer ahead.mu.Unlock()
	if done || ahead.ready != nil {
		return
	}
	ready := make(chan struct{})
	ahead.name, ahead.ready = name, ready
	go func() {
		defer close(ready)
		x, release := readCacheOf(name)
		ahead.mu.Lock()
		ahead.x, ahead.release = x, release
		ahead.mu.Unlock()
	}()
}

// ahead is the cache Prefetch read, until the first load takes it.
var ahead struct {
	mu      sync.Mutex
	name    string        // the dictionary it is of
	ready   chan struct{} // closed once read; nil before Prefetch
	x       *lexicon      // nil when there was no cache, or once taken
	release func()
}

// takeAhead returns the cache Prefetch read of dictionary name, waiting for the read to end;
// nil when nothing was prefetched, or another dictionary (whose memory it frees).
func takeAhead(name string) (*lexicon, func()) {
	ahead.mu.Lock()
	ready := ahead.ready
	ahead.mu.Unlock()
	if ready == nil {
		return nil, nil
	}
	<-ready
	ahead.mu.Lock()
	defer ahead.mu.Unlock()
	x, release := ahead.x, ahead.release
	ahead.x, ahead.release = nil, nil
	if x != nil && ahead.name != name {
		release()
		return nil, nil
	}
	return x, release
}

// loaded returns the dictionary in use, loading it when nothing is loaded.
func loaded() *lexicon {
	if x := cur.Load(); x != nil {
		return x
	}
	mu.Lock()
	defer mu.Unlock()
	return loadLocked()
}

// loadLocked loads the dictionary with the researcher's words unless it is loaded. mu is held.
func loadLocked() *lexicon {
	if x := cur.Load(); x != nil {
		return x
	}
	x, release := takeAhead(dictName)
	if x == nil {
		x, release = readCache()
	}
	if x == nil {
		var err error
		if x, err = fromGse(); err != nil {
			panic("segment: the embedded gse dictionary does not load: " + err.Error())
		}
	}
	y, err := x.withWords(userWords)
	if err != nil {
		panic("segment: adding the researcher's words: " + err.Error())
	}
	if y != x && release != nil {
		release() // y is a copy in the heap: nothing points into the cache's memory any more
	}
	cur.Store(y)
	return y
}

// fromGse loads gse's dictionary, writes the cache when there is a cache folder, and returns
// its words as a lexicon; gse's own copy is then left to the garbage collector.
func fromGse() (*lexicon, error) {
	s := new(gse.Segmenter)
	if err := load(s, dictName); err != nil {
		return nil, err
	}
	entries := make([]entry, 0, len(s.Dict.Tokens))
	for i := range s.Dict.Tokens {
		t := &s.Dict.Tokens[i]
		entries = append(entries, entry{key: t.Text(), freq: t.Freq(), pos: t.Pos()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	x, err := newLexicon(entries, s.Dict.TotalFreq())
	if err != nil {
		return nil, fmt.Errorf("gse's dictionary as a word list: %w", err)
	}
	writeCache(x)
	return x, nil
}

// load loads the embedded dictionary name (simplified or both) into s, as gse's
// LoadDictEmbed does. gse's default dictionary loader looks for files next to its source code;
// the embedded copy works on machines without a Go module cache.
func load(s *gse.Segmenter, name string) error {
	s.SkipLog = true
	// What LoadDictStr does when the dictionary is nil, with room for every token made
	// beforehand: growing the slice of 80-byte tokens 350,000 times cost about 0.5 s of the
	// load and left up to a quarter of it unused.
	s.Dict = gse.NewDict()
	s.Dict.Tokens = make([]gse.Token, 0, dictTokens)
	s.Init()
	return s.LoadDictEmbed(name)
}

// Tokens segments text[start:end] (byte offsets) of a document and returns its words with
// offsets into the whole text: bytes, and code points counted from runeStart, the code point
// start is. Whitespace tokens are dropped. The text must be shorter than 2 GiB (offsets are
// int32).
func Tokens(text string, start, end, runeStart int) []pipeline.Token {
	x := loaded()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	piece := text[start:end]
	spans := x.segment(piece, sc)
	out := sc.tokens(len(spans)) // white space is the few spans left out
	b, r := int32(start), int32(runeStart)
	for _, s := range spans {
		if !blank(piece[s.start:s.end]) {
			out = append(out, pipeline.Token{Start: r + s.runeStart, End: r + s.runeEnd, From: b + s.start, To: b + s.end, Tag: s.pos})
		}
	}
	return out
}

// blank reports whether a word is white space only (a word is never empty).
func blank(s string) bool {
	if c := s[0]; c != ' ' && c != '\t' && c != '\n' && c != "\u3000"[0] {
		return false // the first byte of any other character
	}
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\u3000' {
			return false
		}
	}
	return true
}

// IsWord reports whether s is a word of the segmentation dictionary, or the beginning of one
// (gse's Find answers so).
func IsWord(s string) bool {
	return s != "" && loaded().hasPrefix(s)
}

// Gse returns gse's own segmenter with the whole dictionary in use (see UseTraditional), for
// measuring gse alone (newsfacts bench) and for proving that Tokens cuts as it does. It is
// loaded on the first call for each dictionary (1–2 s, about 125 MB; twice that with the
// traditional words) and is not the dictionary Tokens uses. It is safe for concurrent use;
// callers must not change it.
func Gse() *gse.Segmenter {
	mu.Lock()
	name := dictName
	mu.Unlock()
	gseMu.Lock()
	defer gseMu.Unlock()
	if s := gseSegs[name]; s != nil {
		return s
	}
	s := new(gse.Segmenter)
	if err := load(s, name); err != nil {
		panic("segment: the embedded gse dictionary does not load: " + err.Error())
	}
	gseSegs[name] = s
	return s
}

var (
	gseMu   sync.Mutex
	gseSegs = map[string]*gse.Segmenter{} // by dictionary name
)
