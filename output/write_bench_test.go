package output_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/extract"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

// BenchmarkWrite writes the 278 processed People's Daily pages of ../shared/corpus into a new
// dataset and commits it, in MB/s of input text; skipped without the corpus.
func BenchmarkWrite(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	if len(files) == 0 {
		b.Skip("../shared/corpus is not there")
	}
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	rec, err := entity.Default()
	if err != nil {
		b.Fatal(err)
	}
	var docs []*pipeline.Doc
	var size int64
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		d := &pipeline.Doc{ID: filepath.Base(f), Seq: i, Source: f, Format: "text", Raw: string(raw), Size: int64(len(raw)), PubDate: "1998-01-01", Status: pipeline.StatusOK}
		clean.Stage(d, clean.Options{})
		split.Articles(d)
		split.Sentences(d)
		extract.Stage(d, set, rec, nil)
		docs = append(docs, d)
		size += int64(len(raw))
	}
	meta := output.Meta{ToolVersion: "bench", RulesVersion: set.Version, ConfigHash: "bench", RunID: "bench"}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ds, err := output.Open(filepath.Join(b.TempDir(), "out"), meta, output.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range docs {
			if err := ds.Write(d, output.Input{Key: d.Source}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := ds.Commit(func(info output.CommitInfo) ([]byte, error) { return json.Marshal(info) }); err != nil {
			b.Fatal(err)
		}
	}
}
