package segment

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ego/gse"
)

// BenchmarkTokens segments the lines of the 278 People's Daily pages of ../shared/corpus, in
// MB/s of text, the dictionary loaded first; skipped without the corpus.
func BenchmarkTokens(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	if len(files) == 0 {
		b.Skip("../shared/corpus is not there")
	}
	var lines []string
	var size int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		lines = append(lines, strings.Split(string(raw), "\n")...)
		size += int64(len(raw))
	}
	Load()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, l := range lines {
			Tokens(l, 0)
		}
	}
}

// BenchmarkLoad loads the simplified-Chinese dictionary from the embedded copy as Load does
// once per process (gse=own: as gse's LoadDictEmbed does by itself).
func BenchmarkLoad(b *testing.B) {
	b.Run("gse=own", func(b *testing.B) {
		for range b.N {
			var s gse.Segmenter
			s.SkipLog = true
			if err := s.LoadDictEmbed("zh_s"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gse=presized", func(b *testing.B) {
		for range b.N {
			var s gse.Segmenter
			if err := load(&s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPartial builds the partial dictionary of a text from the cache, as LoadFor does for
// a small input: one sentence, one page (testdata/pages), and, when ../shared/corpus is there,
// the first 20, 64 and 128 KB of the PD1998 pages. Reported: words kept.
func BenchmarkPartial(b *testing.B) {
	writeCache(full(b))
	d := readCache()
	if d == nil {
		b.Fatal("no cache")
	}
	texts := []struct {
		name, text string
	}{{"sentence", "温岭已拥有上市企业5家。"}}
	if raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt")); err == nil {
		texts = append(texts, struct{ name, text string }{"page13KB", string(raw)})
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	var all []byte
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		all = append(all, raw...)
		if len(all) > 128<<10 {
			break
		}
	}
	for _, kb := range []int{20, 64, 128} {
		if len(all) >= kb<<10 {
			texts = append(texts, struct{ name, text string }{fmt.Sprintf("pd1998_%dKB", kb), strings.ToValidUTF8(string(all[:kb<<10]), "")})
		}
	}
	for _, tc := range texts {
		b.Run(tc.name, func(b *testing.B) {
			var kept int
			for range b.N {
				s, ok := filtered(d, new(runeSet).with(tc.text), d.n)
				if !ok {
					b.Skip("too many words for a partial dictionary")
				}
				kept = s.Dict.NumTokens()
			}
			b.ReportMetric(float64(kept), "words")
		})
	}
}
