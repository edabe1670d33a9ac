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
