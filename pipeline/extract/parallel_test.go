package extract

import (
	"sync/atomic"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
)

func TestForEachSentence(t *testing.T) {
	for _, n := range []int{0, 1, parallelMin - 1, parallelMin, 5*parallelMin + 7} {
		seen := make([]atomic.Int32, n)
		forEachSentence(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: sentence %d handled %d times", n, i, c)
			}
		}
	}
	defer func() {
		if r := recover(); r != "sentence 1500" {
			t.Errorf("panic %v, want the one of sentence 1500", r)
		}
	}()
	forEachSentence(2*parallelMin, func(i int) {
		if i == 1500 {
			panic("sentence 1500")
		}
	})
}

func TestSentenceTexts(t *testing.T) {
	d := &pipeline.Doc{Text: "今年增长3%。\n去年１２亿元！x", Sentences: []pipeline.Sentence{
		{Start: 0, End: 7}, {Start: 8, End: 15}, {Start: 15, End: 16}, {Start: 2, End: 4}, // the last one out of order
	}}
	want := []string{"今年增长3%。", "去年１２亿元！", "x", "增长"}
	got := sentenceTexts(d)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d: %q, want %q", i, got[i], want[i])
		}
	}
}
