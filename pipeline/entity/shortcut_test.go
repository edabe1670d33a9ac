package entity

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unicode/utf8"
)

// The shortcuts of the rules (a token turned away on its fields before a rule reads its
// words) must turn away only what the rules would: each test here runs a rule's full check
// on every token of real pages, read with the real data files, and fails where the shortcut
// rejects what the full check accepts.

var (
	realOnce  sync.Once
	realSents []sentence
)

// realSentences returns the filled sentences of the test pages and, when ../shared is there,
// of a week of People's Daily pages and the start of the news archive.
func realSentences(t *testing.T) []sentence {
	t.Helper()
	r := recognizer(t)
	realOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "pages", "*.txt"))
		week, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "1998-01-0[1-7]_p*.txt"))
		files = append(files, week...)
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
			sents := new(scratch).sentences(d.Sentences, d.Text, 0)
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
				t.Errorf("token %q/%s: turned away by mayBeNamed, a candidate %+v to tokenCand", s.toks[i].Text, s.toks[i].Pos, p)
			}
		}
	}
	// Both sides must have been tried: tokens turned away, and candidates found.
	if turned < 1000 || taken < 100 {
		t.Errorf("%d tokens turned away, %d candidates: too few to test the shortcut", turned, taken)
	}
}

// endsLikeSuffix turns away no token in which orgHead or placeHead finds a suffix.
func TestEndsLikeSuffix(t *testing.T) {
	r := recognizer(t)
	turned, orgs, places := 0, 0, 0
	for k := range realSentences(t) {
		s := &realSents[k]
		for i := range s.toks {
			tk := &s.toks[i]
			org := r.orgHead(tk)
			class, _ := r.placeHead(tk)
			if org {
				orgs++
			}
			if class != "" {
				places++
			}
			if org && !r.endsLikeSuffix(tk, bOrgSuffix) {
				t.Errorf("token %q/%s: an organisation's head, turned away by endsLikeSuffix", tk.Text, tk.Pos)
			}
			if class != "" && !r.endsLikeSuffix(tk, bPlaceSuffix) {
				t.Errorf("token %q/%s: ends with a %s place suffix, turned away by endsLikeSuffix", tk.Text, tk.Pos, class)
			}
			if !r.endsLikeSuffix(tk, bOrgSuffix) && !r.endsLikeSuffix(tk, bPlaceSuffix) {
				turned++
			}
		}
	}
	if turned < 1000 || orgs < 100 || places < 100 {
		t.Errorf("%d tokens turned away, %d organisations' heads, %d places': too few to test the shortcut", turned, orgs, places)
	}
}

// mayStartName turns away no token where a name starts: names here are pieces of the real
// sentences (two to four tokens of every fifth), looked for at every token.
func TestMayStartName(t *testing.T) {
	sents := realSentences(t)
	var heads pairs
	names := map[string]bool{}
	for k := range sents {
		s := &sents[k]
		for i := 0; i < len(s.toks) && !s.invalid; i += 5 {
			for j := i + 1; j <= len(s.toks) && j <= i+4; j++ {
				if text := s.text(i, j); utf8.RuneCountInString(text) >= 2 {
					names[text] = true
					c, size := utf8.DecodeRuneInString(text)
					c2, _ := utf8.DecodeRuneInString(text[size:])
					heads.add(c, c2)
				}
			}
		}
	}
	turned, starts := 0, 0
	for k := range sents {
		s := &sents[k]
		for i := range s.toks {
			if s.invalid || s.toks[i].n == 0 {
				continue
			}
			may := mayStartName(s, i, &heads)
			if !may {
				turned++
			}
			for j := i + 1; j <= len(s.toks) && j <= i+8; j++ {
				if text := s.text(i, j); names[text] {
					starts++
					if !may {
						t.Errorf("name %q starts at token %d of %q, turned away by mayStartName", text, i, s.str)
					}
				}
			}
		}
	}
	if turned < 1000 || starts < 1000 {
		t.Errorf("%d tokens turned away, %d names found: too few to test the shortcut", turned, starts)
	}
}
