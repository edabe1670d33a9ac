package extract

import (
	"fmt"
	"sort"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

func run(t testing.TB, set *rules.Set, text, pub string, tr *Trace) *pipeline.Doc {
	t.Helper()
	d := prepared(text, pub)
	Stage(d, set, nil, tr)
	return d
}

// prepared runs a text through the stages before this one: clean and split.
func prepared(text, pub string) *pipeline.Doc {
	d := &pipeline.Doc{Raw: text, PubDate: pub}
	clean.Stage(d, clean.Options{})
	split.Articles(d)
	split.Sentences(d)
	return d
}

// TestExamplesEndToEnd runs every inline example of the default rules through the whole
// pipeline: a positive example must still come out of its own rule once every other rule,
// segmentation and overlap resolution have had their say; a negative one must not.
func TestExamplesEndToEnd(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		for _, ex := range r.Examples {
			pub := ex.PubDate
			if pub == "" {
				pub = rules.DefaultExampleDate
			}
			tr := &Trace{}
			d := run(t, set, ex.Text, pub, tr)
			var mine []pipeline.Fact
			for _, f := range d.Facts {
				if f.Rule == r.ID {
					mine = append(mine, f)
				}
			}
			if ex.None {
				if len(mine) > 0 {
					t.Errorf("%s:%d: %s: %q: want nothing, got %v", r.File, ex.Line, r.ID, ex.Text, mine[0].Fields())
				}
				continue
			}
			ok := false
			var got []string
			for _, f := range mine {
				if rules.WantDiff(ex.Want, f.Fields()) == "" {
					ok = true
				}
				got = append(got, fmt.Sprint(f.Fields()))
			}
			if !ok {
				var why []string
				for _, dr := range tr.Dropped {
					if dr.Candidate.Rule.ID == r.ID {
						why = append(why, fmt.Sprintf("%q: %s", dr.Candidate.Text, dr.Reason))
					}
				}
				t.Errorf("%s:%d: %s: %q: want %v, got %v; dropped: %v; all facts: %+v", r.File, ex.Line, r.ID, ex.Text, ex.Want, got, why, d.Facts)
			}
		}
	}
}

func TestCutThroughWord(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trace{}
	d := run(t, set, "李四人民币存款很多。", "2023-11-01", tr)
	for _, f := range d.Facts {
		if f.Text == "四人" {
			t.Errorf("李四人民币 gave the count %q", f.Text)
		}
	}
	found := false
	for _, dr := range tr.Dropped {
		if dr.Candidate.Text == "四人" && dr.Reason == "cuts through the word 李四" {
			found = true
		}
	}
	if !found {
		t.Errorf("no trace of 四人 being dropped for cutting through 李四: %+v", tr.Dropped)
	}
}

func TestOverlapAndMetric(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := run(t, set, "作为温岭第一主导产业，泵业产业规模超300亿元，历时3个月，2019年入选。", "2023-11-01", nil)
	var got []string
	for _, f := range d.Facts {
		got = append(got, f.Kind+":"+f.Text+":"+f.Metric)
	}
	want := []string{"money:超300亿元:泵业产业规模", "duration:3个月:", "date:2019年:"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("facts %v, want %v", got, want)
	}
}

// TestDatelineAnchorsRelativeDates: 今天 and 今年 in an article resolve against its dateline.
func TestDatelineAnchorsRelativeDates(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := run(t, set, "标题一\n本报北京１２月３０日电　记者王明报道：今年全市经济增长８％。\n", "1998-01-01", nil)
	var dates []string
	for _, f := range d.Facts {
		if f.Kind == "date" {
			dates = append(dates, f.Text+"="+f.Date)
		}
	}
	if fmt.Sprint(dates) != "[12月30日=1997-12-30 今年=1997]" {
		t.Errorf("dates %v, want [12月30日=1997-12-30 今年=1997] (the dateline is 1997-12-30)", dates)
	}
}

// TestSubjectLinking: a figure is about the nearest name before it in its sentence, unless
// that name is where the figure comes from; a figure with no name before it has no subject.
func TestSubjectLinking(t *testing.T) {
	set, rec := defaults(t)
	tests := []struct {
		text, fact, metric, subject string
	}{
		{"在这个集群内，温岭已拥有上市企业5家。", "5家", "上市企业", "温岭"},
		{"去年，温岭网络零售额近18亿元。", "近18亿元", "网络零售额", "温岭"},
		{"据国家统计局统计，粮食产量增长5%。", "5%", "", ""},
		{"某村年网络销售额约200万元。", "约200万元", "年网络销售额", ""},
	}
	for _, tt := range tests {
		d := &pipeline.Doc{Raw: tt.text, PubDate: "2023-11-01"}
		clean.Stage(d, clean.Options{})
		split.Articles(d)
		split.Sentences(d)
		Stage(d, set, rec, nil)
		var f *pipeline.Fact
		for i := range d.Facts {
			if d.Facts[i].Text == tt.fact {
				f = &d.Facts[i]
			}
		}
		if f == nil {
			t.Errorf("%s: no fact %q in %+v", tt.text, tt.fact, d.Facts)
			continue
		}
		if f.Subject != tt.subject || (tt.metric != "" && f.Metric != tt.metric) {
			t.Errorf("%s: %s metric %q subject %q, want %q %q", tt.text, tt.fact, f.Metric, f.Subject, tt.metric, tt.subject)
		}
	}
}

// TestMetric: what a figure measures, as written.
func TestMetric(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, fact, metric string }{
		{"小型水泵产量占全国70%以上。", "70%以上", "水泵产量"},  // a share of 全国, of 产量
		{"现场一名学生说道。", "一名", "学生"},             // the noun after the classifier
		{"温岭已拥有上市企业5家。", "5家", "上市企业"},        // else the nouns before
		{"单次直播4小时超40万。", "超40万", ""},          // 小时 is how long, not what
		{"来自各地的30余人汇聚一堂。", "30余人", ""},        // an idiom is no metric
		{"年网络销售额约200万元。", "约200万元", "年网络销售额"}, // 年 belongs to it
	}
	for _, tt := range tests {
		d := run(t, set, tt.text, "2023-11-01", nil)
		found := false
		for _, f := range d.Facts {
			if f.Text == tt.fact {
				found = true
				if f.Metric != tt.metric {
					t.Errorf("%s: %s metric %q, want %q", tt.text, tt.fact, f.Metric, tt.metric)
				}
			}
		}
		if !found {
			t.Errorf("%s: no fact %q", tt.text, tt.fact)
		}
	}
}

// TestCutsWordOnOrderedTokens: sentenceFacts hands cutsWord only the words around a figure
// when the tokens are in order; that gives the answer the whole sentence gives, for every
// figure position of a segmented sentence. Tokens out of order are seen as such.
func TestCutsWordOnOrderedTokens(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := run(t, set, "李四人民币存款很多，近三年产值超300亿元，占比高达94%。", "2023-11-01", nil)
	toks := d.Sentences[0].Tokens
	if len(toks) < 10 || !inOrder(toks) {
		t.Fatalf("segmentation gave %d tokens, in order %v", len(toks), inOrder(toks))
	}
	n := int(toks[len(toks)-1].End)
	for start := range n {
		for core := start; core < n; core++ {
			for end := core + 1; end <= n; end++ {
				part := toks[sort.Search(len(toks), func(i int) bool { return int(toks[i].End) > core }):]
				part = part[:sort.Search(len(part), func(i int) bool { return int(part[i].Start) >= end })]
				for _, checkEnd := range []bool{false, true} {
					w1, ok1 := cutsWord(d.Text, toks, start, core, end, checkEnd)
					w2, ok2 := cutsWord(d.Text, part, start, core, end, checkEnd)
					if w1 != w2 || ok1 != ok2 {
						t.Fatalf("[%d %d %d): whole sentence %q %v, words around it %q %v", start, core, end, w1, ok1, w2, ok2)
					}
				}
			}
		}
	}
	for _, tc := range []struct {
		toks []pipeline.Token
		want bool
	}{
		{nil, true},
		{[]pipeline.Token{{Start: 0, End: 2}, {Start: 2, End: 3}, {Start: 5, End: 6}}, true},
		{[]pipeline.Token{{Start: 0, End: 2}, {Start: 1, End: 3}}, false},
		{[]pipeline.Token{{Start: 2, End: 3}, {Start: 0, End: 1}}, false},
		{[]pipeline.Token{{Start: 0, End: 1}, {Start: 3, End: 2}}, false},
	} {
		if got := inOrder(tc.toks); got != tc.want {
			t.Errorf("inOrder(%v) = %v, want %v", tc.toks, got, tc.want)
		}
	}
}

// defaults returns the embedded rules and entity dictionaries.
func defaults(t *testing.T) (*rules.Set, *entity.Recognizer) {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := entity.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set, rec
}
