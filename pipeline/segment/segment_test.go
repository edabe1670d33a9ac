package segment

import (
	"testing"

	"github.com/go-ego/gse"
)

// TestLoadAsGse: the dictionary Load builds (tokens pre-allocated) segments like the one gse's
// own LoadDictEmbed builds, and holds the same tokens.
func TestLoadAsGse(t *testing.T) {
	Load()
	var ref gse.Segmenter
	ref.SkipLog = true
	if err := ref.LoadDictEmbed("zh_s"); err != nil {
		t.Fatal(err)
	}
	if got, want := seg.Dict.NumTokens(), ref.Dict.NumTokens(); got != want || got == 0 {
		t.Fatalf("%d tokens, gse loads %d", got, want)
	}
	if seg.Dict.TotalFreq() != ref.Dict.TotalFreq() || seg.Dict.MaxTokenLen() != ref.Dict.MaxTokenLen() {
		t.Errorf("total frequency %v, longest token %d; gse: %v, %d", seg.Dict.TotalFreq(), seg.Dict.MaxTokenLen(), ref.Dict.TotalFreq(), ref.Dict.MaxTokenLen())
	}
	for _, text := range []string{
		"新华社北京1月5日电 今年全国粮食产量达到4.9亿吨，比去年增长3.5%。",
		"中共中央政治局常委、国务院总理李鹏在人民大会堂会见了来访的客人。",
		"泵业产业规模超300亿元，2023年1月至9月产值增长。",
	} {
		got, want := seg.Segment([]byte(text)), ref.Segment([]byte(text))
		if len(got) != len(want) {
			t.Fatalf("%q: %d words, gse %d", text, len(got), len(want))
		}
		for i := range got {
			if got[i].Start() != want[i].Start() || got[i].End() != want[i].End() || got[i].Token().Pos() != want[i].Token().Pos() {
				t.Errorf("%q: word %d %q/%s, gse %q/%s", text, i, got[i].Token().Text(), got[i].Token().Pos(), want[i].Token().Text(), want[i].Token().Pos())
			}
		}
	}
}
