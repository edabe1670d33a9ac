package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/procstat"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

// BenchmarkFacts applies the default rules to the 278 segmented People's Daily pages of
// ../shared/corpus (no entities), in MB/s of text, and the CPU time a pass took (user + system,
// garbage collection included: run with -cpu 1 to compare); skipped without the corpus.
func BenchmarkFacts(b *testing.B) {
	benchmarkFacts(b, filepath.Join("pd1998", "pages", "*.txt"))
}

// BenchmarkFactsNews is BenchmarkFacts on the corpus's news file (1,000 THUCNews articles in
// one document of 2.9 MB, figures much denser than in the People's Daily pages).
func BenchmarkFactsNews(b *testing.B) {
	benchmarkFacts(b, filepath.Join("news", "*.txt"))
}

func benchmarkFacts(b *testing.B, glob string) {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	docs, size := segmented(b, glob)
	for i := range docs {
		docs[i].Entities = nil
	}
	var facts int64
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := procstat.CPU()
	for range b.N {
		facts = 0
		forgetScratch() // each pass as a run of its own: no matches remembered from the last
		for _, d := range docs {
			d.Facts = nil
			Facts(&d, set, nil, nil)
			facts += int64(len(d.Facts))
		}
	}
	b.ReportMetric(float64(procstat.CPU()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(facts), "facts")
}

// BenchmarkEntities finds the people, organisations and places of the same pages (already
// segmented), in MB/s of text; skipped without the corpus.
func BenchmarkEntities(b *testing.B) {
	rec, err := entity.Default()
	if err != nil {
		b.Fatal(err)
	}
	docs, size := segmented(b, filepath.Join("pd1998", "pages", "*.txt"))
	var n int64
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n = 0
		for _, d := range docs {
			d.Entities = nil
			entity.Stage(&d, rec)
			n += int64(len(d.Entities))
		}
	}
	b.ReportMetric(float64(n), "entities")
}

// segmented cleans, splits and segments the files of ../shared/corpus that glob names (the 278
// People's Daily pages, the news file) for the benchmarks, and returns them with their size in
// bytes; it skips without the corpus.
func segmented(b *testing.B, glob string) ([]pipeline.Doc, int64) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", glob))
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
		split.Articles(&d)
		split.Sentences(&d)
		Segment(&d)
		docs = append(docs, d)
		size += int64(len(raw))
	}
	return docs, size
}
