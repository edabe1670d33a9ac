package clean

import (
	"os"
	"path/filepath"
	"testing"
)

// benchPages returns the text of the People's Daily pages of ../shared/corpus (UTF-8), with
// their total size; the benchmark is skipped without them.
func benchPages(b *testing.B) ([]string, int64) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	var out []string
	var n int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, string(raw))
		n += int64(len(raw))
	}
	if len(out) == 0 {
		b.Skip("../shared/corpus is not there")
	}
	return out, n
}

// BenchmarkClean cleans the 278 pages with every operation and the default lexicon, in MB/s.
func BenchmarkClean(b *testing.B) {
	pages, size := benchPages(b)
	opt := Options{Lexicon: DefaultLexicon()}
	b.SetBytes(size)
	b.ReportAllocs()
	for range b.N {
		for _, p := range pages {
			Clean(p, opt)
		}
	}
}
