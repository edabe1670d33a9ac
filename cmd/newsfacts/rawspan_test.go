package main

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/source"
)

// TestRawSpansCleanToFacts: over the whole corpus, every fact's raw span, cleaned again, gives
// the fact's text — the offset map sends an analyst to the right place in the original.
func TestRawSpansCleanToFacts(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	inputs, _ := source.Expand([]string{
		filepath.Join(root, "pd1998", "pages"),
		filepath.Join(root, "pdf", "pdftotext-22.12"),
		filepath.Join("..", "..", "testdata", "pages"),
	})
	if len(inputs) < 100 {
		t.Skip("../shared/corpus is not there")
	}
	en, err := loadEngine(Config{})
	if err != nil {
		t.Fatal(err)
	}
	process := stages(Config{PubDate: "2023-11-01"}, en)
	n, bad := 0, 0
	for _, in := range inputs {
		d := source.Read(in, nil)
		source.Decode(d)
		raw := []rune(d.Raw) // the stages release d.Raw once cleaned
		process(d)
		if d.Failed() {
			continue
		}
		for _, f := range d.Facts {
			n++
			rs, re := d.Map.Raw(f.Start, f.End)
			// debris judges whole lines: a span cut out alone (a table cell's 300) would look
			// like a page number to it, so it sits this out.
			got, _, _ := clean.Clean(string(raw[rs:re]), clean.Options{Disable: []string{"debris"}})
			// Two operations judge a break or a space by what surrounds it (join_lines needs the
			// whole line, han_spaces a run of three): alone, a span keeps that white space.
			if stripSpace(got) != stripSpace(f.Text) {
				bad++
				if bad <= 10 {
					t.Errorf("%s: fact %q: raw span [%d,%d) %q cleans to %q", in.Path, f.Text, rs, re, string(raw[rs:re]), got)
				}
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d facts over the corpus", n)
	}
	t.Logf("%d facts, %d raw spans that do not clean back", n, bad)
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
