package extract

import (
	"testing"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/rules"
)

// FuzzExtract: any text goes through clean, split and extract without a panic, and every
// fact's offsets select its text in the cleaned document.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"产值超300亿元，配套企业近900家。", "今年1-9月份，直播近9000场次", "李四人民币", "１３·４亿美元",
		"30日电", "2023年2月30日", "8亿至10亿元", "百分之十二点五", "近三年", "", "\n\n", "一九九七年十二月三十一日",
	} {
		f.Add(s, "2023-11-01")
	}
	set, err := rules.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, pub string) {
		if !utf8.ValidString(text) {
			return
		}
		d := run(t, set, text, pub, nil)
		rs := []rune(d.Text)
		for _, fa := range d.Facts {
			if fa.Start < 0 || fa.End > len(rs) || fa.Start >= fa.End || string(rs[fa.Start:fa.End]) != fa.Text {
				t.Fatalf("fact %q at [%d,%d) does not match the text %q", fa.Text, fa.Start, fa.End, d.Text)
			}
		}
		for _, e := range d.Entities {
			if e.Start < 0 || e.End > len(rs) || string(rs[e.Start:e.End]) != e.Text {
				t.Fatalf("entity %q at [%d,%d) does not match the text %q", e.Text, e.Start, e.End, d.Text)
			}
		}
	})
}
