package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// TestGroups cuts documents of given sentence sizes (in KiB) and articles into groups.
func TestGroups(t *testing.T) {
	const kib = 1 << 10
	type sent struct{ kib, article int }
	articles := func(n, sentences, size int) []sent { // n articles of sentences sentences of size KiB
		var out []sent
		for a := range n {
			for range sentences {
				out = append(out, sent{size, a})
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		sents []sent
		want  []group
	}{
		{"at most WholeBytes: one group", articles(4, 8, 128), []group{{0, 32}}},
		// 20 articles of 300 KiB: three fit in 1 MiB, a fourth does not.
		{"whole articles", articles(20, 3, 100), []group{{0, 9}, {9, 18}, {18, 27}, {27, 36}, {36, 45}, {45, 54}, {54, 60}}},
		// One article of 60 sentences of 100 KiB: cut between sentences, ten to a group.
		{"an article longer than a group", articles(1, 60, 100), []group{{0, 10}, {10, 20}, {20, 30}, {30, 40}, {40, 50}, {50, 60}}},
		// Articles of 700 KiB: two do not fit, so each is a group of its own.
		{"one article a group", articles(7, 7, 100), []group{{0, 7}, {7, 14}, {14, 21}, {21, 28}, {28, 35}, {35, 42}, {42, 49}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &pipeline.Doc{}
			var texts []string
			for _, s := range tc.sents {
				d.Sentences = append(d.Sentences, pipeline.Sentence{Article: s.article})
				texts = append(texts, strings.Repeat("x", s.kib*kib))
			}
			got := groups(d, texts)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("groups = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestStageGroups runs a document of more than WholeBytes (the seed page, many times over)
// through Stage, which works through it a group at a time, and through Segment and Facts,
// which take it whole: the facts are the same, and so are the entities (every group holds
// many copies of each name, so the document-wide steps find the same), and Stage has
// released every token.
func TestStageGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("processes 10 MB of text")
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat(string(raw)+"\n\n", WholeBytes*5/4/len(raw))
	set, rec := defaults(t)
	prepare := func() *pipeline.Doc { return prepared(text, "2024-03-15") }
	grouped := prepare()
	texts, _ := sentenceTexts(grouped)
	if n := len(groups(grouped, texts)); n < 4 {
		t.Fatalf("%d groups, want at least 4", n)
	}
	Stage(grouped, set, rec, nil)
	whole := prepare()
	Segment(whole)
	Facts(whole, set, rec, nil)

	if len(whole.Facts) < 1000 || len(whole.Entities) < 1000 {
		t.Fatalf("whole: %d facts, %d entities: too few for the test to say anything", len(whole.Facts), len(whole.Entities))
	}
	if !reflect.DeepEqual(grouped.Facts, whole.Facts) {
		t.Errorf("facts differ: %d grouped, %d whole", len(grouped.Facts), len(whole.Facts))
	}
	if !reflect.DeepEqual(grouped.Entities, whole.Entities) {
		t.Errorf("entities differ: %d grouped, %d whole", len(grouped.Entities), len(whole.Entities))
	}
	for i, s := range grouped.Sentences {
		if s.Tokens != nil {
			t.Fatalf("sentence %d still holds its %d tokens", i, len(s.Tokens))
		}
	}

	// Without entities (diff's engines) the tokens are released too; with a trace (explain,
	// which prints them) they are kept.
	plain := prepare()
	Stage(plain, set, nil, nil)
	if len(plain.Facts) != len(whole.Facts) {
		t.Errorf("without entities: %d facts, want %d", len(plain.Facts), len(whole.Facts))
	}
	for i, s := range plain.Sentences {
		if s.Tokens != nil {
			t.Fatalf("without entities, sentence %d still holds its %d tokens", i, len(s.Tokens))
		}
	}
	traced := prepare()
	Stage(traced, set, nil, &Trace{})
	kept := 0
	for _, s := range traced.Sentences {
		if len(s.Tokens) > 0 {
			kept++
		}
	}
	if kept < len(traced.Sentences)*9/10 {
		t.Errorf("with a trace, %d of %d sentences kept their tokens", kept, len(traced.Sentences))
	}
}

// TestStageGroupsArchive works through 5 MB of the month of the People's Daily in one file
// (../shared/corpus) in groups and whole: every sentence is in one article there, so groups
// are cut inside it. The facts are the same but for the subjects linked to them, which are
// entities (names recognised in one group are not looked for in another).
func TestStageGroupsArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("processes 10 MB of text")
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "199801.utf8.txt"))
	if err != nil {
		t.Skip("../shared/corpus is not there")
	}
	text := string(raw[:bytes.LastIndexByte(raw[:WholeBytes*5/4], '\n')+1])
	set, rec := defaults(t)
	prepare := func() *pipeline.Doc { return prepared(text, "1998-01-01") }
	grouped := prepare()
	texts, _ := sentenceTexts(grouped)
	if n := len(groups(grouped, texts)); n < 4 || len(grouped.Articles) > 2 {
		t.Fatalf("%d groups in %d articles, want at least 4 groups in one or two", n, len(grouped.Articles))
	}
	Stage(grouped, set, rec, nil)
	whole := prepare()
	Segment(whole)
	Facts(whole, set, rec, nil)
	if len(grouped.Facts) != len(whole.Facts) || len(whole.Facts) < 1000 {
		t.Fatalf("%d facts grouped, %d whole", len(grouped.Facts), len(whole.Facts))
	}
	subjects := 0
	for i := range whole.Facts {
		g, w := grouped.Facts[i], whole.Facts[i]
		if g.Subject != w.Subject {
			subjects++
		}
		g.Subject, w.Subject = "", ""
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("fact %d: grouped %+v, whole %+v", i, g, w)
		}
	}
	t.Logf("%d facts, %d subjects differ; %d entities grouped, %d whole", len(whole.Facts), subjects, len(grouped.Entities), len(whole.Entities))
}

// runeIndex counts code points as utf8.RuneCountInString does, in short windows and in long
// ones (offsets kept), with invalid bytes among them, whatever the order it is asked in (a
// short window counts on from the last offset asked when it can).
func TestRuneIndex(t *testing.T) {
	var x runeIndex
	for _, win := range []string{"温岭a\xffb已", "1998年12月3\xe4\xb8日", strings.Repeat("温岭a\xffb已拥有5家。", 600)} {
		x.reset(win)
		if long := len(win) >= longWindow; long != (len(x.starts) > 0) {
			t.Fatalf("window of %d bytes: %d offsets kept", len(win), len(x.starts))
		}
		var offsets []int
		for b := range win {
			offsets = append(offsets, b)
		}
		var again []int // forwards, then backwards, then forwards again from the start
		again = append(again, offsets...)
		for i := len(offsets) - 1; i >= 0; i-- {
			again = append(again, offsets[i])
		}
		again = append(again, offsets...)
		for _, b := range again {
			if got, want := x.count(b), utf8.RuneCountInString(win[:b]); got != want {
				t.Fatalf("window of %d bytes: count(%d) = %d, want %d", len(win), b, got, want)
			}
		}
	}
}

// A document without sentences (blank, or headlines only) goes through Stage with entities:
// nothing found, nothing broken.
func TestStageNoSentences(t *testing.T) {
	set, rec := defaults(t)
	for _, text := range []string{"", "\n\n  \n"} {
		d := prepared(text, "2024-03-15")
		Stage(d, set, rec, nil)
		if len(d.Sentences) != 0 || len(d.Facts) != 0 || len(d.Entities) != 0 {
			t.Errorf("%q: %d sentences, %d facts, %d entities", text, len(d.Sentences), len(d.Facts), len(d.Entities))
		}
	}
}
