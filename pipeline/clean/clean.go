// Package clean repairs the debris that OCR and page layout leave in newspaper text, and keeps
// a log of every edit so that each offset of the cleaned text maps back to the raw text.
//
// Cleaning is a list of named operations, each a function from text to text that may be
// switched off in the configuration. The text travels as runes that each remember the raw span
// they came from, so operations compose without any of them knowing about the others:
//
//	raw ─► compat ─► width ─► invisible ─► ocr_digits ─► debris ─► han_spaces ─► join_lines
//	    ─► doubled ─► lexicon ─► cleaned text + OffsetMap + []Edit
package clean

import (
	"sync"
	"unicode"

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

// text is the text being cleaned: each rune with the raw code-point span it came from.
type text struct {
	r    []rune
	s, e []int32
}

type editLog struct {
	op    string
	edits []pipeline.Edit
	raw   []rune
}

// add records that the runes t.r[i:j] became repl.
func (l *editLog) add(t *text, i, j int, repl string) {
	var rs, re int32
	if i < j {
		rs, re = t.s[i], t.e[j-1]
	} else if i < len(t.r) {
		rs, re = t.s[i], t.s[i]
	} else if len(t.r) > 0 {
		rs, re = t.e[len(t.e)-1], t.e[len(t.e)-1]
	}
	l.edits = append(l.edits, pipeline.Edit{Op: l.op, RawStart: int(rs), RawEnd: int(re), Old: string(t.r[i:j]), New: repl})
}

// Clean runs every enabled operation over raw and returns the cleaned text, the map from its
// code points to raw code points, and the edits in raw order.
func Clean(raw string, opt Options) (string, pipeline.OffsetMap, []pipeline.Edit) {
	off := map[string]bool{}
	for _, n := range opt.Disable {
		off[n] = true
	}
	rs := []rune(raw)
	t := &text{r: rs, s: make([]int32, len(rs)), e: make([]int32, len(rs))}
	for i := range rs {
		t.s[i], t.e[i] = int32(i), int32(i+1)
	}
	log := &editLog{raw: rs}
	for _, op := range Ops {
		if off[op.Name] || op.fn == nil {
			continue
		}
		log.op = op.Name
		op.fn(t, log, &opt)
	}
	sortEdits(log.edits)
	return string(t.r), pipeline.NewOffsetMap(t.s, t.e), log.edits
}

// Stage cleans a decoded document in place.
func Stage(d *pipeline.Doc, opt Options) {
	if d.Failed() {
		return
	}
	opt.Headlines = d.HeadlineStarts
	d.Text, d.Map, d.Edits = Clean(d.Raw, opt)
}

// rewrite applies a per-rune mapping; a rune mapped to -1 is removed. Spans of kept runes are
// unchanged, so rewrite never disturbs the offset map beyond the runes it touches.
func rewrite(t *text, log *editLog, f func(i int) rune) {
	w := 0
	for i, r := range t.r {
		n := f(i)
		if n != r {
			if n < 0 {
				log.add(t, i, i+1, "")
			} else {
				log.add(t, i, i+1, string(n))
			}
		}
		if n < 0 {
			continue
		}
		if w == i { // nothing removed yet: the spans are where they were
			t.r[w] = n
		} else {
			t.r[w], t.s[w], t.e[w] = n, t.s[i], t.e[i]
		}
		w++
	}
	t.r, t.s, t.e = t.r[:w], t.s[:w], t.e[:w]
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func isFullDigit(r rune) bool { return r >= '０' && r <= '９' }

// width folds full-width ASCII to half-width: digits and letters always, ％ always, and the
// number punctuation ．：－ only between digits, so that Chinese prose keeps its own colon. A
// full-width comma becomes "," only inside a number typeset full-width before a group of three
// (１，２５６万元): between ASCII digits it separates items ($20，300美圆 is two prices).
func width(t *text, log *editLog, _ *Options) {
	rs := t.r
	rewrite(t, log, func(i int) rune {
		r := rs[i]
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '％':
			return r - 0xFEE0
		case r == '，':
			if i > 0 && i+3 < len(rs) && isDigit(rs[i-1]) && isFullDigit(rs[i+1]) && isFullDigit(rs[i+2]) &&
				isFullDigit(rs[i+3]) && (i+4 == len(rs) || !isDigit(rs[i+4])) {
				return ','
			}
		case r == '．' || r == '：' || r == '－':
			if i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]) {
				return r - 0xFEE0
			}
		case r == '·' || r == '・':
			// People's Daily 1998 writes a decimal point as a middle dot: １３·４亿美元.
			if i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]) {
				return '.'
			}
		}
		return r
	})
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
	rs := t.r
	rewrite(t, log, func(i int) rune {
		if isInvisible(rs[i]) {
			return -1
		}
		return rs[i]
	})
}
