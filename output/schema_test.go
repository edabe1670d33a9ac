package output

import (
	"reflect"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
)

func sp(s string) *string { return &s }
func i32(n int32) *int32  { return &n }

// The offsets below were counted by hand from sampleText: 聚链成群，产值超300亿元 is 13 code
// points, then a newline, the byline at 14..20 (赵碧莹 at 17), the first sentence at 21..34
// (超300亿元 at 27..33), the second at 34..49, the first article ends at 50, the second
// sentence of article 1 is at 59..74.
func TestRows(t *testing.T) {
	doc, articles, facts, entities := Rows(sampleDoc(t), rulesVersion, toolVersion)

	wantDoc := DocumentRow{
		DocID: sampleID, Source: sampleSource, Format: "text", Encoding: "utf-8",
		Bytes: int64(len(rawPrefix + sampleText)), Pages: 1, Page: i32(5), PubDate: sp("2024-01-05"),
		Status: "ok", Articles: 2, Sentences: 3, Facts: 2, Entities: 1, Chars: 74,
		ElapsedMS: 12.5, RulesVersion: rulesVersion, ToolVersion: toolVersion,
	}
	if !reflect.DeepEqual(doc, wantDoc) {
		t.Errorf("document row\n got %+v\nwant %+v", doc, wantDoc)
	}

	wantArticles := []ArticleRow{
		{
			DocID: sampleID, Article: 0, Page: i32(5), Headline: "聚链成群，产值超300亿元",
			Byline: sp("记者 赵碧莹"), RefDate: sp("2024-01-05"), Reporters: []string{"赵碧莹"},
			Start: 0, End: 50, BodyStart: 21, RawStart: 3, RawEnd: 53, Text: article0Text,
		},
		{
			DocID: sampleID, Article: 1, Page: i32(5), Headline: "温岭发力直播赛道",
			RefDate: sp("2024-01-05"), Reporters: []string{}, ContinuesOn: sp("第三版"),
			Start: 50, End: 74, BodyStart: 59, RawStart: 53, RawEnd: 77, Text: article1Text,
		},
	}
	if !reflect.DeepEqual(articles, wantArticles) {
		t.Errorf("article rows\n got %+v\nwant %+v", articles, wantArticles)
	}

	wantFacts := []FactRow{
		{
			DocID: sampleID, Article: 0, Page: i32(5), Sentence: 0, Kind: "money", Text: "超300亿元",
			Start: 27, End: 33, RawStart: 30, RawEnd: 36, Value: f64(30000000000), Unit: sp("CNY"),
			Qualifier: sp("over"), Metric: sp("产业规模"), Subject: sp("泵业"), Context: sentence0,
			Rule: "money.cn.yi", RulesVersion: rulesVersion, Source: sampleSource,
		},
		{
			DocID: sampleID, Article: 0, Page: i32(5), Sentence: 1, Kind: "date", Text: "2023年1月至9月",
			Start: 34, End: 44, RawStart: 37, RawEnd: 47, Date: sp("2023-01"), DateEnd: sp("2023-09"),
			Context: sentence1, Rule: "date.month-range", RulesVersion: rulesVersion, Source: sampleSource,
		},
	}
	if !reflect.DeepEqual(facts, wantFacts) {
		t.Errorf("fact rows\n got %+v\nwant %+v", facts, wantFacts)
	}

	wantEntities := []EntityRow{{
		DocID: sampleID, Article: 0, Page: i32(5), Sentence: 0, Kind: "person", Text: "赵碧莹",
		Normalized: sp("赵碧莹"), Role: sp("reporter"), Start: 17, End: 20, RawStart: 20, RawEnd: 23,
		Rule: "person.byline", RulesVersion: rulesVersion,
	}}
	if !reflect.DeepEqual(entities, wantEntities) {
		t.Errorf("entity rows\n got %+v\nwant %+v", entities, wantEntities)
	}
}

func TestRowsFailedDocument(t *testing.T) {
	doc, articles, facts, entities := Rows(failedDoc(), rulesVersion, toolVersion)
	want := DocumentRow{
		DocID: failedID, Source: failedSource, Format: "text", Encoding: "gb18030", Bytes: 42,
		Pages: 1, Status: "failed", Error: sp(failedError), Stage: sp("decode"), Facts: 1,
		RulesVersion: rulesVersion, ToolVersion: toolVersion,
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("document row\n got %+v\nwant %+v", doc, want)
	}
	if articles != nil || facts != nil || entities != nil {
		t.Errorf("a failed document gave rows: %v %v %v", articles, facts, entities)
	}
}

// Offsets outside the text (a bug upstream) must not panic the sink.
func TestRowsClampsBadOffsets(t *testing.T) {
	d := &pipeline.Doc{
		ID: "x", Text: "温岭泵业",
		Articles:  []pipeline.Article{{Start: 2, End: 99}, {Start: 3, End: 1}},
		Sentences: []pipeline.Sentence{{Index: 0, Start: -5, End: 2}},
		Facts:     []pipeline.Fact{{Kind: "number", Start: 1, End: 2, Sentence: 7}},
	}
	doc, articles, facts, _ := Rows(d, "", "")
	if doc.Status != "ok" || doc.Chars != 4 {
		t.Errorf("document row: status %q chars %d", doc.Status, doc.Chars)
	}
	if articles[0].Text != "泵业" || articles[1].Text != "" {
		t.Errorf("article texts %q %q", articles[0].Text, articles[1].Text)
	}
	if facts[0].Context != "" {
		t.Errorf("context of an unknown sentence = %q", facts[0].Context)
	}
}

// TestCodePoints checks the code point index against slicing the string as runes, for valid
// text and for bytes that are no UTF-8 (each of which `range` counts as a code point).
func TestCodePoints(t *testing.T) {
	long := strings.Repeat("温岭a已拥有😀上市企业5家。", 6) // 78 code points: past the first index step
	for _, s := range []string{"", "abc", "温岭已拥有上市企业5家。", "a\xe4\xb8b\x80c温", "\xff\xfe", "😀a温", long, long + "\xff" + long} {
		c := newCodePoints(s)
		var starts []int
		for i := range s {
			starts = append(starts, i)
		}
		if c.len() != len(starts) {
			t.Fatalf("%q: %d code points, want %d", s, c.len(), len(starts))
		}
		starts = append(starts, len(s))
		for i := 0; i <= c.len(); i++ {
			for j := i; j <= c.len(); j++ {
				if got, want := c.slice(i, j), s[starts[i]:starts[j]]; got != want {
					t.Errorf("%q [%d:%d] = %q, want %q", s, i, j, got, want)
				}
			}
		}
		if got := c.slice(-3, c.len()+5); got != s {
			t.Errorf("%q clamped = %q", s, got)
		}
	}
}

// TestSentenceIndex finds sentences by index when split numbered them by position, and when
// they carry other indexes.
func TestSentenceIndex(t *testing.T) {
	byPos := sentenceIndex([]pipeline.Sentence{{Index: 0, Start: 0}, {Index: 1, Start: 5}})
	if s, ok := byPos(1); !ok || s.Start != 5 {
		t.Errorf("by position: %v %v", s, ok)
	}
	if _, ok := byPos(2); ok {
		t.Error("by position: sentence 2 found")
	}
	if _, ok := byPos(-1); ok {
		t.Error("by position: sentence -1 found")
	}
	other := sentenceIndex([]pipeline.Sentence{{Index: 3, Start: 7}, {Index: 9, Start: 11}})
	if s, ok := other(9); !ok || s.Start != 11 {
		t.Errorf("by index: %v %v", s, ok)
	}
	if _, ok := other(0); ok {
		t.Error("by index: sentence 0 found")
	}
}
