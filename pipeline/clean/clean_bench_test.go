package clean

import (
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkCleanJoined cleans 2.4 MB of body lines that all join into one paragraph, as the
// tagged month of the People's Daily in one file does: a step that looks at the whole line
// joined so far at every join makes this quadratic (a minute and more instead of
// milliseconds), which the pages above do not show.
func BenchmarkCleanJoined(b *testing.B) {
	text := strings.Repeat("今天上午市里召开了关于经济工作的会议与会代表讨论了明年的发展计划和目标，\n", 20_000)
	opt := Options{Lexicon: DefaultLexicon()}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for range b.N {
		Clean(text, opt)
	}
}

// BenchmarkCleanBlankLines cleans 250,000 blank lines and 2.4 MB of joined lines set as in a
// PDF with headlines: join_lines once scanned a run of blank lines again from each of its
// breaks, and counted a joined paragraph back to its start at each join to ask whether it
// began as a headline (25 s and 1.4 s; both now read once).
func BenchmarkCleanBlankLines(b *testing.B) {
	blank := "字\n" + strings.Repeat("\n", 250_000)
	joined := strings.Repeat("今天上午市里召开了关于经济工作的会议与会代表讨论了明年的发展计划和目标，\n", 20_000)
	b.SetBytes(int64(len(blank) + len(joined)))
	for range b.N {
		Clean(blank, Options{})
		Clean(joined, Options{Headlines: []int{1 << 40}})
	}
}
