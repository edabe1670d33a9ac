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

// BenchmarkCleanNews cleans the THUCNews file of ../shared/corpus (1,000 articles, 2.9 MB,
// one a line), in MB/s.
func BenchmarkCleanNews(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "news", "thucnews_cnews_val_1000.txt"))
	if err != nil {
		b.Skip("../shared/corpus is not there")
	}
	opt := Options{Lexicon: DefaultLexicon()}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for range b.N {
		Clean(string(raw), opt)
	}
}
