package segment

import "testing"

// FuzzLexiconAsGse: for any text, the lexicon cuts as gse does.
//
//	go test -fuzz FuzzLexiconAsGse -fuzztime 60s ./pipeline/segment
func FuzzLexiconAsGse(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Add("中华人民共和国成立于1949年10月1日，ＰＭ2.5浓度下降。")
	Load()
	x, seg := cur.Load(), Gse()
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := lexSpans(x, text), gseSpans(seg, text); got != want {
			t.Fatalf("%q:\nlexicon %s\ngse     %s", text, got, want)
		}
	})
}
