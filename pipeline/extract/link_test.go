package extract

import (
	"reflect"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
)

// TestEntitiesBySentence: the entities of each sentence, in document order and without
// reporters, as a map of appended lists gives them, for indexes inside the sentences and out.
func TestEntitiesBySentence(t *testing.T) {
	d := &pipeline.Doc{Sentences: make([]pipeline.Sentence, 4)}
	for i, e := range []struct {
		sentence int
		role     string
	}{{2, ""}, {0, ""}, {2, ""}, {2, "reporter"}, {-1, ""}, {3, ""}, {7, ""}, {0, ""}, {-1, ""}, {2, ""}} {
		d.Entities = append(d.Entities, pipeline.Entity{Text: string(rune('a' + i)), Sentence: e.sentence, Role: e.role})
	}
	want := map[int][]pipeline.Entity{}
	for _, e := range d.Entities {
		if e.Role == "" {
			want[e.Sentence] = append(want[e.Sentence], e)
		}
	}
	of := entitiesBySentence(d)
	for s := -2; s <= 8; s++ {
		if got := of(s); !reflect.DeepEqual(got, want[s]) && len(got)+len(want[s]) > 0 {
			t.Errorf("sentence %d: %v, want %v", s, got, want[s])
		}
	}
	if got := of(2); len(got) != 3 || got[0].Text != "a" || got[1].Text != "c" || got[2].Text != "j" {
		t.Errorf("sentence 2: %v, want a, c, j", got)
	}
}

// TestWordsAround: metric and nounsAfter say the same over the words that wordsBefore and
// wordsFrom pick out of words in order as over all of them, at every code point of segmented
// sentences full of figures.
func TestWordsAround(t *testing.T) {
	d := prepared("温岭已拥有上市企业5家，年网络销售额约200万元。一名学生和两家社会治理中心，产量占全国70%以上。"+
		"据国家统计局，人均收入增长了12.5%，直播4小时超40万人次。", "2024-03-15")
	Segment(d)
	checked := 0
	for _, s := range d.Sentences {
		if !inOrder(s.Tokens) {
			t.Fatalf("segmentation gave words out of order: %v", s.Tokens)
		}
		for pos := s.Start; pos <= s.End; pos++ {
			if got, want := metric(d.Text, wordsBefore(s.Tokens, pos, true), pos), metric(d.Text, s.Tokens, pos); got != want {
				t.Errorf("metric at %d: %q from the words before, %q from all", pos, got, want)
			}
			if got, want := nounsAfter(d.Text, wordsFrom(s.Tokens, pos, true), pos), nounsAfter(d.Text, s.Tokens, pos); got != want {
				t.Errorf("nounsAfter at %d: %q from the words after, %q from all", pos, got, want)
			}
			if metric(d.Text, s.Tokens, pos) != "" || nounsAfter(d.Text, s.Tokens, pos) != "" {
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d positions with a metric or nouns: the test checks too little", checked)
	}
}
