package entity

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
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
			if r.mayBeNamed(&s.toks[i]) {
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
