package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// corpusInputs returns the benchmark corpus of the issue: the 278 People's Daily pages and the
// THUCNews sample from ../shared, with their total size; the benchmark is skipped without them.
func corpusInputs(b *testing.B) ([]string, int64) {
	pages := filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages")
	news := filepath.Join("..", "..", "..", "shared", "corpus", "news", "thucnews_cnews_val_1000.txt")
	var total int64
	for _, glob := range []string{filepath.Join(pages, "*.txt"), news} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if st, err := os.Stat(f); err == nil {
				total += st.Size()
			}
		}
	}
	if total == 0 {
		b.Skip("../shared/corpus is not there")
	}
	return []string{pages, news}, total
}

// BenchmarkRun measures `newsfacts run` end to end — read, decode, clean, split, segment,
// extract, write Parquet — in MB/s of input text, with 1 worker and with every CPU. The
// dictionary is loaded before the clock starts; its cost is reported as load-ms.
func BenchmarkRun(b *testing.B) {
	inputs, total := corpusInputs(b)
	for _, workers := range []int{1, runtime.NumCPU()} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			segment.Load()
			b.SetBytes(total)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out := filepath.Join(b.TempDir(), "out")
				args := append([]string{"run", "--out", out, "--workers", strconv.Itoa(workers)}, inputs...)
				if code, _, stderr := newsfacts(b, "", args...); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr)
				}
			}
		})
	}
}
