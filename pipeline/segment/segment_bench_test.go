package segment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ego/gse"

	"github.com/newsfacts/newsfacts/pipeline/procstat"
)

// BenchmarkTokens segments the lines of the 278 People's Daily pages of ../shared/corpus, in
// MB/s of text and CPU ms per pass, the dictionary loaded first (impl=gse: gse's own Segment
// over the same lines); skipped without the corpus.
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
	b.Run("impl=lexicon", func(b *testing.B) {
		Load()
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b, procstat.CPU())
		for range b.N {
			for _, l := range lines {
				Tokens(l, 0, len(l), 0)
			}
		}
	})
	b.Run("impl=gse", func(b *testing.B) {
		seg := Gse()
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b, procstat.CPU())
		for range b.N {
			for _, l := range lines {
				seg.Segment([]byte(l))
			}
		}
	})
}

// BenchmarkLoad loads the simplified-Chinese dictionary: from=cache as Load does once per
// process when the cache is there, from=gse as Load does without one (gse's dictionary, then
// the word list), gse=own as gse's LoadDictEmbed does by itself.
func BenchmarkLoad(b *testing.B) {
	b.Run("from=cache", func(b *testing.B) {
		if _, err := fromGse(); err != nil { // writes the cache
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b, procstat.CPU())
		for range b.N {
			x, release := readCache()
			if x == nil {
				b.Fatal("no cache")
			}
			release() // each pass maps the 27 MB file anew
		}
	})
	b.Run("from=gse", func(b *testing.B) {
		for range b.N {
			if _, err := fromGse(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gse=own", func(b *testing.B) {
		for range b.N {
			var s gse.Segmenter
			s.SkipLog = true
			if err := s.LoadDictEmbed("zh_s"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the CPU time (user and system, all threads) per operation since start, a
// CPU time from cpuTime: on a machine shared with other jobs it grows far less than wall time.
func reportCPU(b *testing.B, start time.Duration) {
	if end := procstat.CPU(); start > 0 && end > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}
