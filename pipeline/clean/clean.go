// Package clean repairs the debris that OCR and page layout leave in newspaper text, and keeps
// a log of every edit so that each offset of the cleaned text maps back to the raw text.
//
// Cleaning is a list of named operations, each a function from text to text that may be
// switched off in the configuration. The text travels as UTF-8 with the raw code point each of
// its code points came from, so operations compose without any of them knowing about the others:
//
//	raw ─► compat ─► width ─► invisible ─► ocr_digits ─► debris ─► han_spaces ─► join_lines
//	    ─► doubled ─► lexicon ─► cleaned text + OffsetMap + []Edit
package clean

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/rules"
)

// Op is one cleaning operation.
type Op struct {
	Name string
	Doc  string
	fn   func(t *text, log *editLog, opt *Options)
}

// Ops lists the operations in the order they run. Their names are the keys of the
// configuration's clean.disable list.
var Ops = []Op{
	{"compat", "fold CJK compatibility ideographs and Kangxi radicals to unified ideographs", compat},
	{"width", "full-width digits and letters to half-width; ％ to %; ．：－ between digits to . : -; ， in a full-width number (１，２５６) to ,; a middle dot between digits to .", width},
	{"invisible", "remove zero-width and control characters (keeping newlines and tabs)", invisible},
	{"ocr_digits", "l/I → 1 and O/o → 0 between digits (2l6名 → 216名, 3O.5亿 → 30.5亿)", ocrDigits},
	{"debris", "remove continuation markers (下转第三版, kept as article metadata) and page-number lines", debris},
	{"han_spaces", "remove spaces between single Han characters in letter-spaced runs (本 集 團 → 本集團)", hanSpaces},
	{"join_lines", "join lines broken inside a sentence, across blank lines, never after a short line (a headline)", joinLines},
	{"doubled", "at a joined break, drop a character a column break doubled, unless the doubled form is a word (振兴 / 兴中 → 振兴中)", nil},
	{"lexicon", "correct look-alike OCR confusions against the lexicon of known words (东苜泵业 → 东音泵业)", lexicon},
}

// Options switches operations off by name and supplies the lexicon (nil: the default one).
type Options struct {
	Disable []string
	Lexicon *Lexicon
	// Headlines are the raw code-point offsets where a PDF set a line in a headline's size
	// (Doc.HeadlineStarts): join_lines never joins such a line to its neighbours.
	Headlines []int
}

func (o *Options) disabled(name string) bool {
	for _, n := range o.Disable {
		if n == name {
			return true
		}
	}
	return false
}

var (
	defaultLexicon     *Lexicon
	defaultLexiconOnce sync.Once
)

// DefaultLexicon is the lexicon built from rules/default/lexicon.txt and confusables.txt.
func DefaultLexicon() *Lexicon {
	defaultLexiconOnce.Do(func() {
		lx, err := LoadLexicon(nil)
		if err != nil {
			panic("clean: the embedded lexicon does not load: " + err.Error())
		}
		defaultLexicon = lx
	})
	return defaultLexicon
}

// LexiconFor builds the lexicon of a rule set: every lexicon.txt and confusables.txt of its
// folders (the embedded defaults, then the researcher's directories).
func LexiconFor(set *rules.Set) (*Lexicon, error) {
	words, conf := map[string][]byte{}, map[string][]byte{}
	for _, f := range set.Data["lexicon.txt"] {
		words[f.Path] = f.Bytes
	}
	for _, f := range set.Data["confusables.txt"] {
		conf[f.Path] = f.Bytes
	}
	return ParseLexicon(words, conf)
}

// LoadLexicon builds the default lexicon extended with the given word files' contents.
func LoadLexicon(extra map[string][]byte) (*Lexicon, error) {
	words, err := rules.DefaultData("lexicon.txt")
	if err != nil {
		return nil, err
	}
	conf, err := rules.DefaultData("confusables.txt")
	if err != nil {
		return nil, err
	}
	all := map[string][]byte{"rules/default/lexicon.txt": words}
	for k, v := range extra {
		all[k] = v
	}
	return ParseLexicon(all, map[string][]byte{"rules/default/confusables.txt": conf})
}

// text is the text being cleaned, in UTF-8, with the raw code point each of its code points
// came from. An operation replaces a code point by one code point or removes code points, so
// code point k of the text always came from exactly the raw span [raw[k], raw[k]+1).
type text struct {
	s   string
	n   int     // code points in s
	raw []int32 // nil until an operation removes something: until then raw[k] == k
}

// rawAt is the raw code point that code point k came from.
func (t *text) rawAt(k int) int32 {
	if t.raw == nil {
		return int32(k)
	}
	return t.raw[k]
}

type editLog struct {
	op    string
	edits []pipeline.Edit
}

// add records that code points [k, end) of t, the bytes old, became repl.
func (l *editLog) add(t *text, k, end int, old, repl string) {
	l.edits = append(l.edits, pipeline.Edit{Op: l.op, RawStart: int(t.rawAt(k)), RawEnd: int(t.rawAt(end-1)) + 1,
		Old: detach(old), New: repl})
}

// Clean runs every enabled operation over raw and returns the cleaned text, the map from its
// code points to raw code points, and the edits in raw order.
func Clean(raw string, opt Options) (string, pipeline.OffsetMap, []pipeline.Edit) {
	if !utf8.ValidString(raw) {
		// Each byte that is not UTF-8 counts as one code point, U+FFFD, as in []rune(raw).
		raw = string([]rune(raw))
	}
	t := &text{s: raw, n: countRunes(raw)}
	scratch := editScratch.Get().(*[]pipeline.Edit)
	log := &editLog{edits: (*scratch)[:0]}
	for _, op := range Ops {
		if op.fn == nil || opt.disabled(op.Name) {
			continue
		}
		log.op = op.Name
		op.fn(t, log, &opt)
	}
	var edits []pipeline.Edit
	if len(log.edits) > 0 {
		edits = slices.Clone(log.edits)
		sortEdits(edits)
	}
	if cap(log.edits) <= maxScratch {
		clear(log.edits) // let go of the strings
		*scratch = log.edits[:0]
		editScratch.Put(scratch)
	}
	// Every cleaned code point comes from one raw code point: t.raw[k] (k itself when nothing
	// was removed).
	if t.raw == nil {
		return t.s, pipeline.IdentityMap(t.n), edits
	}
	return t.s, pipeline.NewOffsetMap(t.raw, nil), edits
}

// editScratch holds the slices operations collect edits in: the edits are copied out once, to
// a slice of their own size, instead of each page growing a slice of its own by doubling.
var editScratch = sync.Pool{New: func() any { return new([]pipeline.Edit) }}

// maxScratch is the largest scratch slice kept for the next page, in edits (4 MB).
const maxScratch = 1 << 16

// Stage cleans a decoded document in place.
func Stage(d *pipeline.Doc, opt Options) {
	if d.Failed() {
		return
	}
	opt.Headlines = d.HeadlineStarts
	d.Text, d.Map, d.Edits = Clean(d.Raw, opt)
}

// rewrite builds the text an operation makes of t.s, front to back. Stretches the operation
// leaves alone are copied whole, and nothing is allocated before the first change, which most
// operations on most pages never make.
type rewrite struct {
	t    *text
	log  *editLog
	out  strings.Builder
	done int     // bytes of t.s already in out
	cuts []int32 // code point ranges removed, as pairs k, l
	any  bool    // whether anything changed
}

// replace records that code point k, the bytes [p, q) of t.s, becomes the code point repl.
func (w *rewrite) replace(p, q, k int, repl string) {
	w.log.add(w.t, k, k+1, w.t.s[p:q], repl)
	w.write(p, q, repl)
}

// remove records that the bytes [p, q) of t.s, code points [k, l), go.
func (w *rewrite) remove(p, q, k, l int) {
	w.log.add(w.t, k, l, w.t.s[p:q], "")
	w.write(p, q, "")
	w.cuts = append(w.cuts, int32(k), int32(l))
}

func (w *rewrite) write(p, q int, repl string) {
	if !w.any {
		w.out.Grow(len(w.t.s))
		w.any = true
	}
	w.out.WriteString(w.t.s[w.done:p])
	w.out.WriteString(repl)
	w.done = q
}

// finish makes the new text t's, with the raw positions of what is left.
func (w *rewrite) finish() {
	if !w.any {
		return
	}
	w.out.WriteString(w.t.s[w.done:])
	w.t.s = w.out.String()
	if len(w.cuts) == 0 {
		return
	}
	t := w.t
	n := t.n
	for c := 0; c < len(w.cuts); c += 2 {
		n -= int(w.cuts[c+1] - w.cuts[c])
	}
	raw := t.raw
	if raw == nil {
		raw = make([]int32, n)
	}
	at, from := 0, int32(0) // raw[at:] is still to fill from code point from on
	keep := func(to int32) {
		if t.raw == nil {
			for k := from; k < to; k++ {
				raw[at] = k
				at++
			}
		} else {
			at += copy(raw[at:], t.raw[from:to])
		}
	}
	for c := 0; c < len(w.cuts); c += 2 {
		keep(w.cuts[c])
		from = w.cuts[c+1]
	}
	keep(int32(t.n))
	t.raw, t.n = raw[:n], n
}

// runes counts the code points of s before a byte offset, counting on from the last offset
// asked about (operations ask in order, front to back).
type runes struct {
	s    string
	p, k int // s[:p] holds k code points
}

func (c *runes) at(p int) int {
	if p >= c.p {
		c.k += countRunes(c.s[c.p:p])
	} else {
		c.k -= countRunes(c.s[p:c.p])
	}
	c.p = p
	return c.k
}

// countRunes is utf8.RuneCountInString for valid UTF-8: the bytes that are not continuation
// bytes (10xxxxxx), counted eight at a time.
func countRunes(s string) int {
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		v := load64(s, i)
		n -= bits.OnesCount64(v &^ (v << 1) & high) // bit 7 set, bit 6 clear
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// load64 reads the eight bytes of s at i as one little-endian word.
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

const (
	ones = 0x0101010101010101 // a 1 in each byte of a word
	high = 0x8080808080808080 // the top bit of each byte
)

// leadBytes is a set of up to four byte values, and optionally every byte below 0x20, that
// the characters an operation looks for begin with: the operation skips the rest of the text
// eight bytes at a time. No continuation byte is ever in a set, so a byte found is where a
// character begins.
type leadBytes struct {
	vals     [4]uint64 // each value in every byte of a word
	controls bool      // every byte below 0x20 too
}

func leadSet(controls bool, vals ...byte) *leadBytes {
	l := &leadBytes{controls: controls}
	for i := range l.vals {
		l.vals[i] = ones * uint64(vals[min(i, len(vals)-1)])
	}
	return l
}

func (l *leadBytes) has(c byte) bool {
	for _, v := range l.vals {
		if c == byte(v) {
			return true
		}
	}
	return l.controls && c < 0x20
}

// next returns the offset of the first byte of s in the set at or after from, or len(s).
func (l *leadBytes) next(s string, from int) int {
	i := from
	v0, v1, v2, v3 := l.vals[0], l.vals[1], l.vals[2], l.vals[3]
	for ; i+8 <= len(s); i += 8 {
		// A byte of x is zero where v holds the value; (x - ones) &^ x sets the top bit of the
		// lowest such byte (and maybe of bytes above it, which the lowest one comes before).
		v := load64(s, i)
		x0, x1, x2, x3 := v^v0, v^v1, v^v2, v^v3
		m := (x0-ones)&^x0 | (x1-ones)&^x1 | (x2-ones)&^x2 | (x3-ones)&^x3
		if l.controls {
			m |= (v - ones*0x20) &^ v
		}
		if m &= high; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if l.has(s[i]) {
			return i
		}
	}
	return len(s)
}

// seqLen is the length of a UTF-8 sequence by its first byte (1 for a continuation byte,
// which never comes first in the valid UTF-8 the operations work on).
var seqLen = func() (n [256]uint8) {
	for c := range n {
		switch {
		case c >= 0xF0:
			n[c] = 4
		case c >= 0xE0:
			n[c] = 3
		case c >= 0xC0:
			n[c] = 2
		default:
			n[c] = 1
		}
	}
	return n
}()

// runeAt decodes the character at byte p of s, which is valid UTF-8 and holds one there.
func runeAt(s string, p int) (rune, int) {
	switch c := s[p]; {
	case c < 0x80:
		return rune(c), 1
	case c < 0xE0:
		return rune(c&0x1F)<<6 | rune(s[p+1]&0x3F), 2
	case c < 0xF0:
		return rune(c&0x0F)<<12 | rune(s[p+1]&0x3F)<<6 | rune(s[p+2]&0x3F), 3
	default:
		return rune(c&0x07)<<18 | rune(s[p+1]&0x3F)<<12 | rune(s[p+2]&0x3F)<<6 | rune(s[p+3]&0x3F), 4
	}
}

var (
	// asciiChars and fullWidthChars hold the strings most edits are made of: an edit's
	// Old and New point into them instead of each being allocated.
	asciiChars     = charRange(0, 0x7f)
	fullWidthChars = charRange(0xff01, 0xff5e)
)

func charRange(lo, hi rune) string {
	var b strings.Builder
	for r := lo; r <= hi; r++ {
		b.WriteRune(r)
	}
	return b.String()
}

// runeString is string(r), shared for ASCII and full-width ASCII.
func runeString(r rune) string {
	switch {
	case r < 0x80:
		return asciiChars[r : r+1]
	case r >= 0xff01 && r <= 0xff5e:
		i := 3 * (r - 0xff01)
		return fullWidthChars[i : i+3]
	}
	return string(r)
}

// detach returns s as a string that does not hold on to the text it was cut from.
func detach(s string) string {
	if r, size := utf8.DecodeRuneInString(s); size == len(s) && (r < 0x80 || r >= 0xff01 && r <= 0xff5e) {
		return runeString(r)
	}
	return strings.Clone(s)
}

func isFullDigit(r rune) bool { return r >= '０' && r <= '９' }

// width folds full-width ASCII to half-width: digits and letters always, ％ always, and the
// number punctuation ．：－ only between digits, so that Chinese prose keeps its own colon. A
// full-width comma becomes "," only inside a number typeset full-width before a group of three
// (１，２５６万元): between ASCII digits it separates items ($20，300美圆 is two prices).
func width(t *text, log *editLog, _ *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	for p := widthLeads.next(s, 0); p < len(s); p = widthLeads.next(s, p) {
		r, size := runeAt(s, p)
		to := r
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '％':
			to = r - 0xFEE0
		case r == '，':
			// The comma needs a digit before it, three full-width digits after it and no
			// digit after those.
			if digitBefore(s, p) {
				q := p + size
				ok := true
				for range 3 {
					d, size := utf8.DecodeRuneInString(s[q:])
					if size == 0 || !isFullDigit(d) {
						ok = false
						break
					}
					q += size
				}
				if d, size := utf8.DecodeRuneInString(s[q:]); ok && (size == 0 || !pipeline.IsDigit(d)) {
					to = ','
				}
			}
		case r == '．' || r == '：' || r == '－', r == '·' || r == '・':
			if next, nsize := utf8.DecodeRuneInString(s[p+size:]); nsize > 0 && pipeline.IsDigit(next) && digitBefore(s, p) {
				to = r - 0xFEE0
				if r == '·' || r == '・' {
					// People's Daily 1998 writes a decimal point as a middle dot: １３·４亿美元.
					to = '.'
				}
			}
		}
		if to != r {
			w.replace(p, p+size, count.at(p), runeString(to))
		}
		p += size
	}
	w.finish()
}

// widthLeads are the first bytes of what width folds: full-width forms (EF), · (C2) and ・ (E3).
var widthLeads = leadSet(false, 0xEF, 0xC2, 0xE3)

// digitBefore reports whether a digit comes before byte p of s. width asks it of the text it
// is folding, where the character before may already be folded; a full-width digit folds to
// a digit and nothing else does, so the answer is the same.
func digitBefore(s string, p int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:p])
	return p > 0 && pipeline.IsDigit(r)
}

func isInvisible(r rune) bool {
	switch r {
	case '\n', '\t':
		return false
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsControl(r) || r == '\ufffe' || r == '\uffff'
}

func invisible(t *text, log *editLog, _ *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	for p := invisibleLeads.next(s, 0); p < len(s); p = invisibleLeads.next(s, p) {
		r, size := runeAt(s, p)
		if isInvisible(r) {
			k := count.at(p)
			w.remove(p, p+size, k, k+1)
		}
		p += size
	}
	w.finish()
}

// invisibleLeads are the first bytes of the characters isInvisible may be true of: the ASCII
// controls (and newline and tab, which it skips) and DEL, the C1 controls and U+00AD (C2), U+200B–U+2060 (E2), U+FEFF, U+FFFE and
// U+FFFF (EF).
var invisibleLeads = leadSet(true, 0x7F, 0xC2, 0xE2, 0xEF)
