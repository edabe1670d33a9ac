package segment

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// A lexicon is gse's dictionary in the form newsfacts segments with: every word sorted in one
// string, its path weight and its part of speech, and a trie over them as a hash table. It is
// read from the precompiled dictionary cache in a few hundredths of a second and holds about
// 27 MB (17 MB of them the table), where gse's own dictionary takes 1–2 s to load and holds
// about 125 MB (a slice of bytes per character of every word, and the sub-words of search
// mode, which newsfacts never uses).
//
// segment cuts text exactly as gse's Segmenter.Segment (v0.80.3) does with the same words:
//   - the text is cut into units: a run of letters and digits of one or two UTF-8 bytes
//     (Latin, Greek, Cyrillic …) is one unit, lower-cased (ASCII only); any other character is
//     a unit of its own;
//   - a word can only start and end at unit boundaries; its weight is
//     log2(total frequency) − log2(frequency), in float32 as gse computes it;
//   - a unit that is no word by itself gets a pseudo-word of weight 32 and part of speech "x";
//   - the path of least weight wins, ties to the first found: positions from the left, shorter
//     words before longer ones at a position.
//
// TestLexiconAsGse compares the two over every sentence of the corpus.
type lexicon struct {
	keys  string    // every word (gse's key: ASCII lower-cased), sorted, one after the other
	off   []int32   // word i is keys[off[i]:off[i+1]]
	freq  []float64 // frequency of word i
	dist  []float32 // path weight of word i
	pos   []uint16  // part of speech of word i, an index into posNames
	total float64   // the total frequency the weights are computed from

	posNames []string
	tags     []pipeline.Tag // posNames as the Tags tokens carry (tagsOf)
	table    table          // the trie of the words, for segment's walks
}

// A trie holds the words character by character: node 0 is the root, and the children of
// node i, sorted by character, are the nodes kids[i] to kids[i+1]-1 (nodes are numbered level
// by level, so each node's children follow each other). It is the plain form of the trie
// newTable turns into a table.
type trie struct {
	kids  []int32 // first child of every node, and one more
	label []rune  // the character that leads to each node
	word  []int32 // the word each node completes, or -1
}

// entry is a word of the dictionary as the cache file and gse hold it.
type entry struct {
	key  string
	freq float64
	pos  string
}

// newLexicon builds a lexicon of entries sorted by key, each key once, with total as the total
// frequency (gse's sum, in gse's order: a sum in another order can differ in its last bit).
func newLexicon(entries []entry, total float64) (*lexicon, error) {
	if len(entries) >= math.MaxInt32 {
		return nil, fmt.Errorf("segment: %d words are too many", len(entries))
	}
	size := 0
	for i, e := range entries {
		if e.key == "" || !positive(e.freq) {
			return nil, fmt.Errorf("segment: word %d %q: empty, or frequency %v", i, e.key, e.freq)
		}
		if i > 0 && entries[i-1].key >= e.key {
			return nil, fmt.Errorf("segment: words not sorted: %q before %q", entries[i-1].key, e.key)
		}
		size += len(e.key)
	}
	if size >= math.MaxInt32 {
		return nil, fmt.Errorf("segment: %d bytes of words are too many", size)
	}
	x := &lexicon{
		off:   make([]int32, len(entries)+1),
		freq:  make([]float64, len(entries)),
		dist:  make([]float32, len(entries)),
		pos:   make([]uint16, len(entries)),
		total: total,
	}
	var keys strings.Builder
	keys.Grow(size)
	posIndex := map[string]uint16{}
	logTotal := float32(math.Log2(total))
	for i, e := range entries {
		keys.WriteString(e.key)
		x.off[i+1] = int32(keys.Len())
		x.freq[i] = e.freq
		x.dist[i] = logTotal - float32(math.Log2(e.freq))
		p, ok := posIndex[e.pos]
		if !ok {
			if len(x.posNames) >= int(noWord) {
				return nil, fmt.Errorf("segment: more than %d parts of speech", noWord)
			}
			p = uint16(len(x.posNames))
			posIndex[e.pos] = p
			x.posNames = append(x.posNames, e.pos)
		}
		x.pos[i] = p
	}
	x.keys = keys.String()
	x.tags = tagsOf(x.posNames)
	tr := x.trie()
	x.table = newTable(&tr, x.dist, x.pos)
	return x, nil
}

// trie returns the trie of x's sorted words, built level by level: a node stands for the
// words of a range that share their first depth bytes; its children split the range by the
// next character (UTF-8 keeps code-point order, so each child's words are one run).
func (x *lexicon) trie() trie {
	var t trie
	type todo struct{ lo, hi, depth int32 }
	nodes := 1 + utf8.RuneCountInString(x.keys) // at most: a node for every character
	queue := make([]todo, 1, nodes)
	queue[0] = todo{0, int32(x.n()), 0}
	t.kids = make([]int32, 0, nodes+1)
	t.word = make([]int32, 0, nodes)
	t.label = make([]rune, 1, nodes)
	for i := 0; i < len(queue); i++ {
		q := queue[i]
		t.kids = append(t.kids, int32(len(t.label)))
		w := int32(-1)
		lo := q.lo
		if lo < q.hi && x.off[lo+1]-x.off[lo] == q.depth {
			w, lo = lo, lo+1 // the node's own word sorts first
		}
		t.word = append(t.word, w)
		for lo < q.hi {
			r, size := utf8.DecodeRuneInString(x.keys[x.off[lo]+q.depth : x.off[lo+1]])
			hi := lo + 1
			for hi < q.hi && strings.HasPrefix(x.keys[x.off[hi]+q.depth:x.off[hi+1]], x.keys[x.off[lo]+q.depth:x.off[lo]+q.depth+int32(size)]) {
				hi++
			}
			t.label = append(t.label, r)
			queue = append(queue, todo{lo, hi, q.depth + int32(size)})
			lo = hi
		}
	}
	t.kids = append(t.kids, int32(len(t.label)))
	return t
}

// tagsOf returns the Tag of each part-of-speech name.
func tagsOf(names []string) []pipeline.Tag {
	out := make([]pipeline.Tag, len(names))
	for i, name := range names {
		out[i] = pipeline.TagOf(name)
	}
	return out
}

// tagX is the part of speech of a pseudo-word (a unit that is no word): gse's "x".
var tagX = pipeline.TagOf("x")

// n is the number of words.
func (x *lexicon) n() int { return len(x.freq) }

func (x *lexicon) key(i int) string { return x.keys[x.off[i]:x.off[i+1]] }

// entries returns the words of x, sorted.
func (x *lexicon) entries() []entry {
	out := make([]entry, x.n())
	for i := range out {
		out[i] = entry{key: x.key(i), freq: x.freq[i], pos: x.posNames[x.pos[i]]}
	}
	return out
}

// find returns the index of word key, or -1.
func (x *lexicon) find(key string) int {
	i := sort.Search(x.n(), func(i int) bool { return x.key(i) >= key })
	if i < x.n() && x.key(i) == key {
		return i
	}
	return -1
}

// hasPrefix reports whether a word begins with s (or is s), as gse's Find answers.
func (x *lexicon) hasPrefix(s string) bool {
	i := sort.Search(x.n(), func(i int) bool { return x.key(i) >= s })
	return i < x.n() && strings.HasPrefix(x.key(i), s)
}

// withWords returns a lexicon of x's words and the given ones, as gse adds words to a loaded
// dictionary: a word whose key x holds is left out, the others add their frequency to the
// total in their order. It returns x itself when no word is new.
func (x *lexicon) withWords(words []Word) (*lexicon, error) {
	total := x.total
	var fresh []entry
	seen := map[string]bool{}
	for _, w := range words {
		k := gseKey(w.Text)
		if seen[k] || x.find(k) >= 0 {
			continue
		}
		seen[k] = true
		fresh = append(fresh, entry{key: k, freq: w.Freq, pos: w.Pos})
		total += w.Freq
	}
	if len(fresh) == 0 {
		return x, nil
	}
	all := append(x.entries(), fresh...)
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	return newLexicon(all, total)
}

// gseKey is the key gse files a word under: its ASCII capitals lower-cased (gse lower-cases
// the runs of letters and digits, which hold every ASCII letter).
func gseKey(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return lowerASCII(s)
		}
	}
	return s
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// step is where the best path to the end of a unit comes from: the word ending there.
type step struct {
	dist  float32 // weight of the best path so far; 0: none yet (as in gse)
	pos   uint16  // the word's part of speech; noWord for a pseudo-word
	units int32   // the word's length in units
}

// scratch holds the buffers of one segment call.
type scratch struct {
	units []unit // every unit of the text, and one more at its end
	steps []step
	out   []span
	chunk []pipeline.Token // the tokens handed out so far of the current chunk
}

// A unit is a unit of a text (see lexicon), cut once so that segment's walks, which pass over
// most units several times, need not decode them again.
type unit struct {
	start     int32 // byte offset in the text
	runeStart int32 // code-point offset in the text
	r         rune  // the unit's character; -1 for a run of two or more
}

// span is a word found: bytes [start, end) of the text, code points [runeStart, runeEnd), and
// its part of speech.
type span struct {
	start, end         int32
	runeStart, runeEnd int32
	pos                pipeline.Tag
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// tokenChunk is the number of tokens Tokens allocates at once (80 KiB): sentences take their
// tokens from a chunk one after the other, which spares the allocator a small object per
// sentence. Tokens hold no pointers, so a chunk is memory the garbage collector never scans,
// and it keeps no text alive; it is garbage once every sentence that took tokens from it is.
const tokenChunk = 4096

// tokens returns an empty slice with room for n tokens, taken from sc's chunk; appending more
// than n reallocates it rather than touching the next sentence's tokens.
func (sc *scratch) tokens(n int) []pipeline.Token {
	if n > tokenChunk/4 {
		return make([]pipeline.Token, 0, n)
	}
	if cap(sc.chunk)-len(sc.chunk) < n {
		sc.chunk = make([]pipeline.Token, 0, tokenChunk)
	}
	out := sc.chunk[len(sc.chunk) : len(sc.chunk) : len(sc.chunk)+n]
	sc.chunk = sc.chunk[:len(sc.chunk)+n]
	return out
}

// pseudoDist is the weight gse gives a unit that is no word.
const pseudoDist = 32

// segment cuts text into words as gse does (see lexicon) and returns them in order, in sc's
// buffer.
func (x *lexicon) segment(text string, sc *scratch) []span {
	sc.out = sc.out[:0]
	if text == "" {
		return nil
	}

	key := gseKey(text) // byte for byte the text, ASCII lower-cased
	sc.units = cutUnits(key, sc.units[:0])
	units := sc.units
	n := len(units) - 1
	if cap(sc.steps) < n {
		sc.steps = make([]step, n)
	}
	steps := sc.steps[:n]
	clear(steps)

	t := &x.table
	for cur := range n {
		var base float32
		if cur > 0 {
			base = steps[cur-1].dist
		}
		// Walk the words that begin at unit cur, one unit longer at a time.
		// The steps are child's, written out so that they compile inline (child is too large
		// to be inlined, and a call for every step cost about a sixth of segment's time); the
		// node's kids are read once, from the slot just reached.
		single := false
		var node int32
		if r := units[cur].r; uint32(r) < rootChars {
			node = t.root[r]
		} else {
			node = t.walk(rootNode, key[units[cur].start:units[cur+1].start])
		}
		for k := cur; node != noNode; {
			s := &t.slots[node]
			if s.pos != noWord {
				if k == cur {
					single = true
				}
				update(&steps[k], base+s.dist, s.pos, int32(k-cur+1))
			}
			if k++; s.kids == 0 || k == n {
				break
			}
			if r := units[k].r; r < 0 {
				node = t.walk(node, key[units[k].start:units[k+1].start])
			} else if t.mayHave(node, s.kids, r) {
				node = t.search(node, r)
			} else {
				break
			}
		}
		if !single {
			update(&steps[cur], base+pseudoDist, noWord, 1)
		}
	}

	// The best path, from the end: its words counted first, so that each is put in its place
	// rather than appended and the whole reversed.
	words := 0
	for end := n - 1; end >= 0; end -= int(steps[end].units) {
		words++
	}
	sc.out = slices.Grow(sc.out, words)[:words]
	for end, i := n-1, words-1; i >= 0; i-- {
		s := steps[end]
		start := end - int(s.units) + 1
		pos := tagX
		if s.pos != noWord {
			pos = x.tags[s.pos]
		}
		a, b := units[start], units[end+1]
		sc.out[i] = span{a.start, b.start, a.runeStart, b.runeStart, pos}
		end = start - 1
	}
	return sc.out
}

// update is gse's updateJumper: a step takes a path when it has none or the path is shorter.
func update(s *step, dist float32, pos uint16, units int32) {
	if s.dist == 0 || s.dist > dist {
		s.dist, s.pos, s.units = dist, pos, units
	}
}

// cutUnits appends every unit of text (see lexicon) and then one at len(text).
func cutUnits(text string, units []unit) []unit {
	inRun := false
	runes := int32(0)
	for i := 0; i < len(text); runes++ {
		var r rune
		var size int
		var alnum bool
		if c := text[i]; c < utf8.RuneSelf {
			r, size = rune(c), 1
			alnum = 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
		} else {
			r, size = pipeline.DecodeRune(text[i:]) // utf8.DecodeRuneInString, faster on Han
			// Only characters of two bytes join runs: those of three (Han) or four never do.
			alnum = size == 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))
		}
		if alnum && inRun {
			units[len(units)-1].r = -1
		} else {
			units = append(units, unit{start: int32(i), runeStart: runes, r: r})
		}
		inRun = alnum
		i += size
	}
	return append(units, unit{start: int32(len(text)), runeStart: runes, r: -1})
}
