package rules

import (
	"math"
	"testing"
	"time"
	"unicode/utf8"
)

// The figure and date normalisers must never panic, whatever a pattern hands them, and what
// they return must hold together. Seeds live in testdata/fuzz/<FuzzName>/; run, e.g.,
//
//	go test ./rules -run '^$' -fuzz FuzzFigure -fuzztime 30s

// FuzzFigure: parseFigure and percentValue read any string without panicking; a range they
// return does not run backwards and holds no NaN.
func FuzzFigure(f *testing.F) {
	for _, s := range []string{"3,450万", "十几万", "五六百", "上万", "40余万", "三分之一", "三百五又三分之一",
		"负一又二分之一", "3/5", "1 3/5", "2e5", "1e999", "-1.5E-3", "7 万5 千4 百", "四万万", "半", "百分之二三十",
		"千分之2.4", "三成半", "7.2成", "八九成", "15k", "百分之百", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fn := range []func(string) (figure, error){parseFigure, percentValue} {
			fig, err := fn(s)
			if err != nil {
				continue
			}
			if math.IsNaN(fig.v) || math.IsInf(fig.v, 0) || (fig.hasMax && (math.IsNaN(fig.max) || math.IsInf(fig.max, 0))) {
				t.Fatalf("%q: NaN in %+v", s, fig)
			}
			if fig.hasMax && fig.max < fig.v {
				t.Fatalf("%q: range runs backwards: %+v", s, fig)
			}
		}
	})
}

// ruleSeeds are texts where many rules fire at once: FuzzRules starts from them and
// TestDFAMatchesRegexp checks every automaton on them.
var ruleSeeds = []string{
	"今年1-9月份，产值超300亿元，近900家企业，占比70%以上。",
	"1998年至2000年，12月上旬，去年11月末，上周三，5天前，20世纪90年代，康熙三年五月。",
	"大于二十的同时小于等于三十五，在20和30之间，第十和第十五之间，十几万，三分之一。",
	"零下3摄氏度，一吨半，168cm，两个半月，七成六，打对折，百分之十二点五，千分之五。",
	"18年10月1日到19年2月3日，2019年6月1日-6月30日，2010/01/29，今年的最后3周。",
	"二零零四年八月十五，农历2015年十月初一，2月29日，2019年2月29日，99年，０７年。",
}

// FuzzRules runs every default rule over arbitrary text: no panic, every candidate lies inside
// the text, and every kept result holds together (value_max ≥ value, date_end ≥ date, dates
// well formed).
func FuzzRules(f *testing.F) {
	for _, s := range ruleSeeds {
		f.Add(s, "2023-11-01")
	}
	set, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, ref string) {
		if _, err := time.Parse("2006-01-02", ref); err != nil {
			ref = ""
		}
		for _, r := range set.Rules {
			for _, c := range r.Match(text, Context{RefDate: ref}) {
				if c.Start < 0 || c.End > len(text) || c.Start > c.End || !utf8.ValidString(c.Text) && utf8.ValidString(text) {
					t.Fatalf("%s: candidate %q [%d,%d) outside %q", r.ID, c.Text, c.Start, c.End, text)
				}
				if c.Dropped != "" {
					continue
				}
				if c.Value != nil && c.ValueMax != nil && *c.ValueMax < *c.Value {
					t.Fatalf("%s: %q: value_max %v < value %v", r.ID, c.Text, *c.ValueMax, *c.Value)
				}
				if c.Value != nil && (math.IsNaN(*c.Value) || math.IsInf(*c.Value, 0)) || c.ValueMax != nil && (math.IsNaN(*c.ValueMax) || math.IsInf(*c.ValueMax, 0)) {
					t.Fatalf("%s: %q: value not finite", r.ID, c.Text)
				}
				if c.Date != "" && !isoLike(c.Date) || c.DateEnd != "" && !isoLike(c.DateEnd) {
					t.Fatalf("%s: %q: dates %q..%q", r.ID, c.Text, c.Date, c.DateEnd)
				}
				if c.DateEnd != "" && c.DateEnd < c.Date {
					t.Fatalf("%s: %q: period %s..%s runs backwards", r.ID, c.Text, c.Date, c.DateEnd)
				}
			}
		}
	})
}

// isoLike: YYYY, YYYY-MM or YYYY-MM-DD of a real day.
func isoLike(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}
