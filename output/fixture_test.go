package output

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// The sample documents shared by the tests, built by hand.
//
// Cleaning removed three blank lines at the top of the raw text, so every raw offset is the
// cleaned offset plus 3.
const (
	rawPrefix = "\n\n\n"

	article0Text = "聚链成群，产值超300亿元\n记者 赵碧莹\n泵业产业规模超300亿元。2023年1月至9月产值增长。\n"
	article1Text = "温岭发力直播赛道\n全省直播电商大赛拿下一金一铜。"
	sampleText   = article0Text + article1Text

	sentence0 = "泵业产业规模超300亿元。"
	sentence1 = "2023年1月至9月产值增长。"
	sentence2 = "全省直播电商大赛拿下一金一铜。"

	sampleID     = "db8b3177b1dab977"
	sampleSource = "testdata/pages/000_db8b3177b1dab977.txt"
	failedID     = "0f00000000000bad"
	failedSource = "in/bad.txt"
	failedError  = "in/bad.txt: invalid GB18030 sequence at byte 17"

	rulesVersion = "rules-2024.1"
	toolVersion  = "0.1.0-test"
)

// cp returns the code point offset of the n-th (0-based) occurrence of sub in s.
func cp(t testing.TB, s, sub string, n int) int {
	t.Helper()
	base := 0
	for {
		i := strings.Index(s, sub)
		if i < 0 {
			t.Fatalf("%q not in %q", sub, s)
		}
		if n == 0 {
			return base + utf8.RuneCountInString(s[:i])
		}
		n--
		base += utf8.RuneCountInString(s[:i+len(sub)])
		s = s[i+len(sub):]
	}
}

func f64(v float64) *float64 { return &v }

// sampleDoc is an ok document: two articles, three sentences, a money fact, a date fact and a
// reporter.
func sampleDoc(t testing.TB) *pipeline.Doc {
	t.Helper()
	n := utf8.RuneCountInString(sampleText)
	start, end := make([]int32, n), make([]int32, n)
	for i := range n {
		start[i] = int32(i + 3)
		end[i] = int32(i + 4)
	}
	m := pipeline.NewOffsetMap(start, end)
	a0 := utf8.RuneCountInString(article0Text)
	s0 := cp(t, sampleText, sentence0, 0)
	s1 := cp(t, sampleText, sentence1, 0)
	s2 := cp(t, sampleText, sentence2, 0)
	money := cp(t, sampleText, "超300亿元", 1) // the one in the body, not the headline
	date := cp(t, sampleText, "2023年1月至9月", 0)
	reporter := cp(t, sampleText, "赵碧莹", 0)
	raw := rawPrefix + sampleText
	return &pipeline.Doc{
		Seq:      0,
		ID:       sampleID,
		Source:   sampleSource,
		Format:   "text",
		Size:     int64(len(raw)),
		Encoding: "utf-8",
		Pages:    1,
		Page:     5,
		PubDate:  "2024-01-05",
		Raw:      raw,
		Text:     sampleText,
		Map:      m,
		Articles: []pipeline.Article{
			{
				Index: 0, Start: 0, End: a0, BodyStart: cp(t, sampleText, "泵业", 0),
				Headline: "聚链成群，产值超300亿元", Byline: "记者 赵碧莹", RefDate: "2024-01-05",
				Reporters: []string{"赵碧莹"},
			},
			{
				Index: 1, Start: a0, End: n, BodyStart: s2,
				Headline: "温岭发力直播赛道", RefDate: "2024-01-05", ContinuesOn: "第三版",
			},
		},
		Sentences: []pipeline.Sentence{
			{Index: 0, Article: 0, Start: s0, End: s0 + utf8.RuneCountInString(sentence0)},
			{Index: 1, Article: 0, Start: s1, End: s1 + utf8.RuneCountInString(sentence1)},
			{Index: 2, Article: 1, Start: s2, End: s2 + utf8.RuneCountInString(sentence2)},
		},
		Facts: []pipeline.Fact{
			{
				Kind: "money", Text: "超300亿元", Start: money, End: money + utf8.RuneCountInString("超300亿元"),
				Value: f64(3e10), Unit: "CNY", Qualifier: "over",
				Metric: "产业规模", Subject: "泵业", Sentence: 0, Article: 0, Rule: "money.cn.yi",
			},
			{
				Kind: "date", Text: "2023年1月至9月", Start: date, End: date + utf8.RuneCountInString("2023年1月至9月"),
				Date: "2023-01", DateEnd: "2023-09", Sentence: 1, Article: 0, Rule: "date.month-range",
			},
		},
		Entities: []pipeline.Entity{
			{
				Kind: "person", Text: "赵碧莹", Normalized: "赵碧莹", Role: "reporter",
				Start: reporter, End: reporter + 3, Sentence: 0, Article: 0, Rule: "person.byline",
			},
		},
		Status:  pipeline.StatusOK,
		Elapsed: 12500 * time.Microsecond,
	}
}

// failedDoc is a document that decoding failed. The stray fact must not reach the dataset.
func failedDoc() *pipeline.Doc {
	d := &pipeline.Doc{
		Seq:      1,
		ID:       failedID,
		Source:   failedSource,
		Format:   "text",
		Size:     42,
		Encoding: "gb18030",
		Pages:    1,
		Facts:    []pipeline.Fact{{Kind: "number", Text: "1", Start: 0, End: 1, Rule: "stray"}},
	}
	d.Fail("decode", errors.New(failedError))
	return d
}
