package split

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
)

// BenchmarkSplit splits the 278 cleaned People's Daily pages of ../shared/corpus into articles
// and sentences, in MB/s of text; skipped without the corpus.
func BenchmarkSplit(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	if len(files) == 0 {
		b.Skip("../shared/corpus is not there")
	}
	var docs []pipeline.Doc
	var size int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		d := pipeline.Doc{Raw: string(raw), PubDate: "1998-01-01"}
		clean.Stage(&d, clean.Options{})
		docs = append(docs, d)
		size += int64(len(raw))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, d := range docs {
			d.Articles, d.Sentences, d.Entities = nil, nil, nil
			Articles(&d)
			Sentences(&d)
		}
	}
}
