package extract

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

func TestSentenceTexts(t *testing.T) {
	d := &pipeline.Doc{Text: "今年增长3%。\n去年１２亿元！x", Sentences: []pipeline.Sentence{
		{Start: 0, End: 7}, {Start: 8, End: 15}, {Start: 15, End: 16}, {Start: 2, End: 4}, // the last one out of order
	}}
	want := []string{"今年增长3%。", "去年１２亿元！", "x", "增长"}
	wantAt := []int{0, len("今年增长3%。\n"), len("今年增长3%。\n去年１２亿元！"), len("今年")}
	got, at := sentenceTexts(d)
	for i := range want {
		if got[i] != want[i] || at[i] != wantAt[i] {
			t.Errorf("sentence %d: %q at byte %d, want %q at %d", i, got[i], at[i], want[i], wantAt[i])
		}
	}
}

// TestParallelSameAsSerial: a document long enough to be handled on every CPU gets the facts
// that sentence-by-sentence extraction gives (run with -race to check the sharing too).
func TestParallelSameAsSerial(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	para := "新华社北京1月5日电 今年全国粮食产量达到4.9亿吨，比去年增长3.5%。该市去年引进外资12亿美元，新建企业300家。\n"
	d := &pipeline.Doc{Raw: strings.Repeat(para, pipeline.ParallelMin/2+10), PubDate: "1998-01-05"}
	clean.Stage(d, clean.Options{})
	split.Articles(d)
	split.Sentences(d)
	if len(d.Sentences) < pipeline.ParallelMin {
		t.Fatalf("%d sentences: too few to test the parallel path", len(d.Sentences))
	}
	Stage(d, set, nil, nil)
	var want []pipeline.Fact
	texts, at := sentenceTexts(d)
	for i, text := range texts {
		s := d.Sentences[i]
		ref := d.PubDate
		if s.Article < len(d.Articles) && d.Articles[s.Article].RefDate != "" {
			ref = d.Articles[s.Article].RefDate
		}
		s.Tokens = segment.Tokens(d.Text, at[i], at[i]+len(text), s.Start)
		want = append(want, sentenceFacts(set, d.Text, text, &s, rules.Context{RefDate: ref}, nil)...)
	}
	if len(d.Facts) != len(want) || len(want) < 2*pipeline.ParallelMin {
		t.Fatalf("%d facts, serially %d", len(d.Facts), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(d.Facts[i], want[i]) {
			t.Fatalf("fact %d: %+v, serially %+v", i, d.Facts[i], want[i])
		}
	}
}

// TestParallelEntities: a document long enough for the parallel path gets the entities it gets
// on one CPU.
func TestParallelEntities(t *testing.T) {
	set, rec := defaults(t)
	para := "新华社北京1月5日电（记者张宿堂）国务院总理李鹏今天在温岭会见了利欧股份董事长。\n"
	run := func(procs int) []pipeline.Entity {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		d := &pipeline.Doc{Raw: strings.Repeat(para, pipeline.ParallelMin+10), PubDate: "1998-01-05"}
		clean.Stage(d, clean.Options{})
		split.Articles(d)
		split.Sentences(d)
		Stage(d, set, rec, nil)
		return d.Entities
	}
	one, two := run(1), run(4)
	if len(one) < pipeline.ParallelMin || !reflect.DeepEqual(one, two) {
		t.Errorf("%d entities on one CPU, %d on four, or they differ", len(one), len(two))
	}
}
