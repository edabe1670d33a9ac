package segment

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline/pdf"
)

// TestTraditional: with the traditional dictionary asked for, the lexicon holds gse's
// simplified and traditional words and cuts a Traditional-Chinese page (a Hong Kong
// prospectus, ../shared/corpus/pdf/pdftools/chinese.pdf) exactly as gse does with
// LoadDictEmbed("zh"), cutting it otherwise than the simplified dictionary alone; its cache is a
// file of its own, read back by the next load; switching back gives the simplified lexicon.
func TestTraditional(t *testing.T) {
	reset()
	defer reset()
	path := filepath.Join("..", "..", "..", "shared", "corpus", "pdf", "pdftools", "chinese.pdf")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("the Traditional-Chinese PDF is not there: %v", err)
	}
	res := pdf.Read(context.Background(), path, data, pdf.Options{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	lines := []string{"本集團現金客戶的風險因素", "董事會認為，本集團於二零零二年一月三十一日的營業額為17,300,000港元。"}
	for _, p := range res.Pages {
		for _, l := range strings.FieldsFunc(p.Text, func(r rune) bool { return r == '\n' || r == '。' }) {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) < 20 {
		t.Fatalf("%s gives %d sentences", path, len(lines))
	}

	Load()
	simple := cur.Load()
	simplePath := cachePath()

	UseTraditional(true)
	Load()
	x, seg := cur.Load(), Gse()
	if x.n() != seg.Dict.NumTokens() || x.total != seg.Dict.TotalFreq() || x.n() <= simple.n() {
		t.Fatalf("lexicon %d words, total %v; gse %d, %v; simplified %d", x.n(), x.total, seg.Dict.NumTokens(), seg.Dict.TotalFreq(), simple.n())
	}
	differ := 0
	for _, l := range lines {
		got, want := lexSpans(x, l), gseSpans(seg, l)
		if got != want {
			t.Fatalf("%q:\nlexicon %s\ngse     %s", l, got, want)
		}
		if got != lexSpans(simple, l) {
			differ++
		}
	}
	if differ == 0 {
		t.Errorf("none of %d sentences is cut otherwise with the traditional words", len(lines))
	}
	t.Logf("%d sentences as gse cuts them; %d cut otherwise than with the simplified words alone", len(lines), differ)

	if p := cachePath(); p == simplePath || !strings.Contains(filepath.Base(p), "gse-zh-") {
		t.Errorf("cache files: %s and %s", simplePath, p)
	}
	if y := cachedLexicon(); y == nil || y.n() != x.n() {
		t.Error("the traditional cache is not read back")
	}
	UseTraditional(false)
	if got := tokensOf("本集團現金"); cur.Load().n() != simple.n() || len(got) == 0 {
		t.Errorf("back to the simplified dictionary: %d words", cur.Load().n())
	}
}
