package split

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// FuzzSentences: whatever the text, articles and sentences lie inside it, sentences come in
// order without overlapping, each inside its article, none empty, none longer than
// MaxSentence.
func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"",
		"全市职工欢度元旦。\n（杜中武孙传刚）",
		"本报北京1月1日讯 记者王刚报道：今年产值超300亿元，同比增长5%。\n\n下转第三版",
		strings.Repeat("1234567890亿元", 500),
		strings.Repeat("全年实现产值300亿元，", 300),
		"a\xffb。\n\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		d := &pipeline.Doc{Text: text}
		Articles(d)
		Sentences(d)
		n := utf8.RuneCountInString(text)
		at := 0
		for i, s := range d.Sentences {
			if s.Start < at || s.End <= s.Start || s.End > n || s.End-s.Start > MaxSentence {
				t.Fatalf("sentence %d is [%d,%d) after %d, in %d code points", i, s.Start, s.End, at, n)
			}
			if s.Article < 0 || s.Article >= len(d.Articles) {
				t.Fatalf("sentence %d in article %d of %d", i, s.Article, len(d.Articles))
			}
			if a := d.Articles[s.Article]; s.Start < a.Start || s.End > a.End {
				t.Fatalf("sentence %d [%d,%d) outside its article [%d,%d)", i, s.Start, s.End, a.Start, a.End)
			}
			at = s.End
		}
	})
}
