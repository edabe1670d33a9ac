package entity

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The entities of two days of People's Daily pages and the start of the news archive, as
// recognition found them before its shortcuts (testdata/corpus.golden): a shortcut that turns
// away a token the full rules would take changes a line. The stages before this one make the
// tokens, so a change there is a reason to rewrite the file (go test -update), after checking
// its diff.
func TestCorpusGolden(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "1998-01-0[12]_p*.txt"))
	news, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "news", "*.txt"))
	if len(pages) == 0 || len(news) == 0 {
		t.Skip("../shared/corpus is not there")
	}
	r := recognizer(t)
	var b strings.Builder
	for _, f := range append(pages, news...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) > 1<<18 {
			raw = raw[:1<<18] // the first 256 KiB of the archive
		}
		d := process(t, r, string(raw))
		fmt.Fprintf(&b, "# %s\n", filepath.Base(f))
		for _, e := range d.Entities {
			fmt.Fprintf(&b, "%d %d %d %d %s %s %s %s\n", e.Article, e.Sentence, e.Start, e.End, e.Kind, e.Rule, e.Text, e.Normalized)
		}
	}
	golden := filepath.Join("testdata", "corpus.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) || i < len(w); i++ {
			var gl, wl string
			if i < len(g) {
				gl = g[i]
			}
			if i < len(w) {
				wl = w[i]
			}
			if gl != wl {
				t.Fatalf("%s line %d: got %q, want %q (%d lines, want %d)", golden, i+1, gl, wl, len(g), len(w))
			}
		}
	}
}
