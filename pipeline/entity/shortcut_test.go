package entity

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// The shortcuts of the rules (a token turned away on its fields before a rule reads its
// words) must turn away only what the rules would: each test here runs a rule's full check
// on every token of real pages, read with the real data files, and fails where the shortcut
// rejects what the full check accepts.

var (
	realOnce   sync.Once
	realSents  []sentence
	realShared bool // the pages of ../shared were read, not only the test pages
)

// tooFew fails the test for a sample too small to test a shortcut with, or skips it when
// ../shared is not there: the test pages alone hold too few names.
func tooFew(t *testing.T, format string, args ...any) {
	t.Helper()
	if !realShared {
		t.Skipf("without ../shared: "+format, args...)
	}
	t.Errorf(format, args...)
}

// realSentences returns the filled sentences of the test pages and, when ../shared is there,
// of a week of People's Daily pages and the start of the news archive.
func realSentences(t *testing.T) []sentence {
	t.Helper()
	r := recognizer(t)
	realOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "pages", "*.txt"))
		week, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "1998-01-0[1-7]_p*.txt"))
		files = append(files, week...)
		realShared = len(week) > 0
		news, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "news", "*.txt"))
		for _, f := range append(files, news...) {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if len(raw) > 1<<20 {
				raw = raw[:1<<20] // a megabyte of the archive: a character cut at the end is one more odd token
			}
			d := segmented(string(raw))
			sents := new(scratch).sentences(d.Sentences)
			for i := range sents {
				sents[i].fill(r, d.Text)
			}
			realSents = append(realSents, sents...)
		}
	})
	if len(realSents) == 0 {
		t.Fatal("no sentences in ../../testdata/pages")
	}
	return realSents
}

// mayBeNamed turns away no token that tokenCand takes for a person.
func TestMayBeNamed(t *testing.T) {
	r := recognizer(t)
	turned, taken := 0, 0
	for k := range realSentences(t) {
		s := &realSents[k]
		for i := range s.toks {
			p, ok := r.tokenCand(s, i)
			if ok {
				taken++
			}
			if mayBeNamed(&s.toks[i]) {
				continue
			}
			turned++
			if ok {
				t.Errorf("token %q/%s: turned away by mayBeNamed, a candidate %+v to tokenCand", s.word(&s.toks[i]), s.toks[i].Pos(), p)
			}
		}
	}
	// Both sides must have been tried: tokens turned away, and candidates found.
	if turned < 1000 || taken < 100 {
		tooFew(t, "%d tokens turned away, %d candidates: too few to test the shortcut", turned, taken)
	}
}

// A token's shape (fill, shapeOf) is, bit by bit, the condition its scan tested on the token's
// fields, and no token without shOrgEnd or shPlaceEnd is an organisation's or place's head.
func TestShapes(t *testing.T) {
	r := recognizer(t)
	counts := map[shape]int{}
	for k := range realSentences(t) {
		s := &realSents[k]
		var all shape
		for i := range s.toks {
			tk := &s.toks[i]
			sl := int(tk.sl)
			want := map[shape]bool{
				shNamed:       mayBeNamed(tk),
				shSurname:     tk.n() <= 2 && tk.han() && sl != 0 && abs(sl) == int(tk.n()),
				shSurnameWord: tk.n() == 2 && tk.han() && tk.sl == 1,
				shForeign:     tk.n() == 1 && tk.han() && tk.translit() && !isFunctionChar(tk),
				shTagged:      tk.han() && tk.n() >= 2 && !tk.is(bNotEntity) && (tk.Pos() == "ns" || tk.Pos() == "nt"),
				shOrgEnd:      tk.han() && (tk.is(bOrgSuffix) || r.chars.has(tk.last, charEndsSuffix)),
				shPlaceEnd:    tk.han() && !(tk.is(bNotEntity) && !tk.is(bPlaceSuffix)) && (tk.is(bPlaceSuffix) || r.chars.has(tk.last, charEndsSuffix)),
				shBracket:     tk.n() == 1 && (tk.first == '（' || tk.first == '('),
				shDict:        tk.is(bKnown|bPrefix) || tk.han() && tk.n() >= 2 && strings.ContainsRune(placePrefixes, tk.first) || tk.han() && tk.n() >= 3 && r.startsWord2(s.word(tk)),
			}
			for bit, w := range want {
				if got := tk.shape&bit != 0; got != w {
					t.Errorf("token %q/%s: shape bit %09b is %v, its condition %v", s.word(tk), tk.Pos(), bit, got, w)
				}
				if w {
					counts[bit]++
				}
			}
			if r.orgHead(s, tk) && tk.shape&shOrgEnd == 0 {
				t.Errorf("token %q/%s: an organisation's head without shOrgEnd", s.word(tk), tk.Pos())
			}
			if class, _ := r.placeHead(s, tk); class != "" && tk.shape&shPlaceEnd == 0 && tk.han() && !(tk.is(bNotEntity) && !tk.is(bPlaceSuffix)) {
				t.Errorf("token %q/%s: ends with a %s place suffix, without shPlaceEnd", s.word(tk), tk.Pos(), class)
			}
			all |= tk.shape
		}
		if s.shapes != all {
			t.Errorf("sentence %q: shapes %09b, its tokens' %09b", s.str, s.shapes, all)
		}
	}
	for k := 0; k < 9; k++ {
		if bit := shape(1) << k; counts[bit] < 20 {
			tooFew(t, "shape bit %09b: %d tokens, too few to test it", bit, counts[bit])
		}
	}
}

// keyShapes turns away no token where a name starts: names here are pieces of the real
// sentences (two to four tokens of every fifth), looked for at every token, as document
// asks (the token's first and last characters and length, from fill).
func TestKeyShapes(t *testing.T) {
	sents := realSentences(t)
	var shapes keyShapes
	names := map[string]bool{}
	for k := range sents {
		s := &sents[k]
		for i := 0; i < len(s.toks) && !s.invalid; i += 5 {
			for j := i + 1; j <= len(s.toks) && j <= i+4; j++ {
				if text := s.text(i, j); utf8.RuneCountInString(text) >= 2 {
					names[text] = true
					shapes.addKey(text)
				}
			}
		}
	}
	turned, starts := 0, 0
	for k := range sents {
		s := &sents[k]
		for i := range s.toks {
			tk := &s.toks[i]
			if s.invalid || tk.n() == 0 {
				continue
			}
			may := shapes.has(tk.first, tk.last, tk.n())
			if !may {
				turned++
			}
			for j := i + 1; j <= len(s.toks) && j <= i+8; j++ {
				if text := s.text(i, j); names[text] {
					starts++
					if !may {
						t.Errorf("name %q starts at token %d of %q, turned away by keyShapes", text, i, s.str)
					}
				}
			}
		}
	}
	if turned < 1000 || starts < 1000 {
		t.Errorf("%d tokens turned away, %d names found: too few to test the shortcut", turned, starts)
	}
}

// tokEndsSuffix2 answers for every token as endsSuffix2 does for its text.
func TestTokEndsSuffix2(t *testing.T) {
	r := recognizer(t)
	yes := 0
	for k := range realSentences(t) {
		s := &realSents[k]
		for i := range s.toks {
			tk := &s.toks[i]
			got, want := r.tokEndsSuffix2(s, tk), r.endsSuffix2(s.word(tk))
			if got != want {
				t.Errorf("token %q: tokEndsSuffix2 %v, endsSuffix2 %v", s.word(tk), got, want)
			}
			if want && tk.han() && tk.n() >= 2 {
				yes++
			}
		}
	}
	if yes < 100 {
		t.Errorf("%d Han tokens end with a suffix's last two characters: too few to test", yes)
	}
}
