package split

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
)

// sentencesReference is Sentences as it was before it read the text by bytes (a slice of
// code points of the whole text per document): Sentences must cut exactly as it does.
func sentencesReference(d *pipeline.Doc) {
	rs := []rune(d.Text)
	d.Sentences = d.Sentences[:0]
	for _, a := range d.Articles {
		start := a.Start
		flush := func(end int) {
			s, e := start, end
			for s < e && unicode.IsSpace(rs[s]) {
				s++
			}
			for e > s && unicode.IsSpace(rs[e-1]) {
				e--
			}
			if e > s {
				d.Sentences = append(d.Sentences, pipeline.Sentence{Index: len(d.Sentences), Article: a.Index, Start: s, End: e})
			}
			start = end
		}
		for i := a.Start; i < a.End && i < len(rs); i++ {
			r := rs[i]
			switch {
			case r == '\n':
				flush(i + 1)
			case endsSentence(r):
				j := i + 1
				for j < a.End && closesSentence(rs[j]) && j-start < MaxSentence {
					j++
				}
				flush(j)
				i = j - 1
			case i+1-start >= MaxSentence:
				flush(cutLongReference(rs, start, i+1))
			}
		}
		flush(min(a.End, len(rs)))
	}
}

// cutLongReference is cutLong over code points: it returns where to end a sentence that runs from start to end (exclusive) and has
// reached MaxSentence, so that a figure is not cut in two: after the last comma, enumeration
// comma, colon or space of its second half; else before the last figure that begins there (a
// digit after a character that is no part of a number: 545亿元|312亿元); else at end.
func cutLongReference(rs []rune, start, end int) int {
	half := start + (end-start)/2
	for k := end - 1; k >= half; k-- {
		switch rs[k] {
		case '，', ',', '、', '：', ':', ' ', '\t', '\u3000':
			return k + 1
		}
	}
	for k := end - 1; k > half; k-- {
		if pipeline.IsDigit(rs[k]) && !inNumber(rs[k-1]) {
			return k
		}
	}
	return end
}

// sameSentences splits d's articles into sentences both ways and reports a difference.
func sameSentences(t *testing.T, name string, d *pipeline.Doc) {
	t.Helper()
	type cut struct{ index, article, start, end int }
	cuts := func() []cut {
		out := make([]cut, len(d.Sentences))
		for i, s := range d.Sentences {
			out[i] = cut{s.Index, s.Article, s.Start, s.End}
		}
		return out
	}
	Sentences(d)
	got := cuts()
	sentencesReference(d)
	want := cuts()
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("%s: sentence %d is %+v, the reference cuts %+v", name, i, got[i], want[i])
			}
		}
		t.Fatalf("%s: %d sentences, the reference cuts %d", name, len(got), len(want))
	}
}

// Sentences cuts every corpus page, the long-sentence cases and text outside any article as
// the code-point version did.
func TestSentencesAsReference(t *testing.T) {
	cases := map[string]string{
		"empty":            "",
		"figures":          strings.Repeat("545亿元312亿元", 1200),
		"commas":           strings.Repeat("一二三四五，", 1500) + "。",
		"no breaks":        strings.Repeat("很长的句子没有标点", 1000),
		"spaces":           "  \u3000第一句。 \n\n 第二句！”后面 \n",
		"astral":           strings.Repeat("𠀀𠀁，a1", 3000) + "。",
		"comma at half":    strings.Repeat("字", MaxSentence/2) + "，" + strings.Repeat("字", MaxSentence),
		"digit after half": strings.Repeat("字", MaxSentence/2+1) + "5" + strings.Repeat("字", MaxSentence),
		"closing run":      "他说：“好。”）」』……！？下一句",
	}
	for name, text := range cases {
		d := &pipeline.Doc{Text: text}
		Articles(d)
		sameSentences(t, name, d)
		// Articles that overlap or come out of order.
		n := len([]rune(text))
		d.Articles = []pipeline.Article{{Index: 0, Start: n / 2, End: n}, {Index: 1, Start: 0, End: n / 2}, {Index: 2, Start: n / 3, End: n}}
		sameSentences(t, name+" (odd articles)", d)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	if len(files) == 0 {
		t.Log("../shared/corpus is not there: the corpus pages are not compared")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := &pipeline.Doc{Raw: string(raw), PubDate: "1998-01-01"}
		clean.Stage(d, clean.Options{})
		Articles(d)
		sameSentences(t, filepath.Base(f), d)
	}
}

func FuzzSentencesAsReference(f *testing.F) {
	for _, s := range []string{"", "第一句。第二句！\n", "  a b 。”）", strings.Repeat("1,2", 3000), strings.Repeat("字", 5000)} {
		f.Add(s, uint16(0))
	}
	f.Fuzz(func(t *testing.T, text string, cut uint16) {
		d := &pipeline.Doc{Text: text} // invalid UTF-8 too: both read a bad byte as one code point
		Articles(d)
		sameSentences(t, "articles", d)
		n := len([]rune(d.Text))
		c := int(cut) % (n + 1)
		d.Articles = []pipeline.Article{{Index: 0, Start: 0, End: c}, {Index: 1, Start: c, End: n}}
		sameSentences(t, "cut", d)
	})
}
