package segment

import (
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
