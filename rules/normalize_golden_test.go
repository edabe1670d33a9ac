package rules

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline/procstat"
)

var update = flag.Bool("update", false, "rewrite testdata/normalize.jsonl.gz from the corpus and the rules' examples")

// normCase is one normalisation: a rule's groups of one match under a reference date, and
// what the normaliser made of them (Result's fields, or the error's text).
type normCase struct {
	Rule   string            `json:"rule"`
	Ref    string            `json:"ref,omitempty"`
	Groups map[string]string `json:"groups"`
	Want   string            `json:"want"`
}

const normGolden = "testdata/normalize.jsonl.gz"

// describeNorm writes a normaliser's answer as one string: every field of the Result (values
// in full precision, with their sign), or the error's text.
func describeNorm(res Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%x", math.Float64bits(*p))
	}
	return fmt.Sprintf("value=%s max=%s unit=%q qual=%q date=%q end=%q", f(res.Value), f(res.ValueMax), res.Unit, res.Qualifier, res.Date, res.DateEnd)
}

// TestNormalizersGolden: every normaliser gives, for the groups of the matches recorded in
// testdata/normalize.jsonl.gz (every distinct match of every default rule over the corpus'
// first People's Daily pages and news articles, the rules' examples and the fuzz seeds, under
// two reference dates), exactly the result and error text recorded. The record was made
// before the normalisers were tuned for speed: a faster path must not change an answer.
// go test -run TestNormalizersGolden -update ./rules rewrites it (needs ../shared/corpus).
func TestNormalizersGolden(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Rule{}
	for _, r := range set.Rules {
		r.automata()
		byID[r.ID] = r
	}
	if *update {
		writeNormGolden(t, set)
	}
	data, err := os.ReadFile(normGolden)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", normGolden, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	n, errs := 0, 0
	for sc.Scan() {
		var c normCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s line %d: %v", normGolden, n+1, err)
		}
		n++
		r := byID[c.Rule]
		if r == nil {
			t.Fatalf("%s line %d: no default rule %s", normGolden, n, c.Rule)
		}
		if strings.HasPrefix(c.Want, "error: ") {
			errs++
		}
		g, err := groupsOf(r, c.Groups)
		if err != nil {
			t.Fatalf("%s line %d: %v", normGolden, n, err)
		}
		if got := describeNorm(r.norm.fn(r, g, Context{RefDate: c.Ref})); got != c.Want {
			t.Errorf("%s line %d: rule %s, groups %v, ref %q:\n got %s\nwant %s", normGolden, n, c.Rule, c.Groups, c.Ref, got, c.Want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", normGolden, err)
	}
	if n < 5000 || errs < 500 {
		t.Errorf("%s holds %d cases (%d errors), want at least 5000 (500)", normGolden, n, errs)
	}
}

// writeNormGolden records the normalisations of every distinct match of every default rule.
func writeNormGolden(t *testing.T, set *Set) {
	texts := dfaTexts(set)
	pages, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	news, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "news", "*.txt"))
	if len(pages) < 40 || len(news) == 0 {
		t.Fatal("-update needs ../shared/corpus")
	}
	for _, p := range append(pages[:40], news[0]) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		texts = append(texts, lines[:min(len(lines), 3000)]...)
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range set.Rules {
		for _, text := range texts {
			if !r.MayMatch(text) {
				continue
			}
			for _, ref := range []string{"1998-01-15", "2023-11-01"} {
				for _, c := range r.MatchIn(text, 0, len(text), Context{RefDate: ref}) {
					if strings.HasPrefix(c.Dropped, "negative context") {
						continue
					}
					if !r.norm.context {
						ref = ""
					}
					g, err := groupsOf(r, c.Groups)
					if err != nil {
						t.Fatal(err)
					}
					line, err := json.Marshal(normCase{Rule: r.ID, Ref: ref, Groups: c.Groups, Want: describeNorm(r.norm.fn(r, g, Context{RefDate: ref}))})
					if err != nil {
						t.Fatal(err)
					}
					if !seen[string(line)] {
						seen[string(line)] = true
						out = append(out, string(line))
					}
				}
			}
		}
	}
	sort.Strings(out)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(strings.Join(out, "\n") + "\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(normGolden, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkNormalize runs every normaliser on the groups recorded in testdata/normalize.jsonl.gz
// (TestNormalizersGolden), one pass over all of them an op: what normalising costs a match
// the memory of a Matcher does not know, in CPU time (user + system) a normalisation.
func BenchmarkNormalize(b *testing.B) {
	set, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	byID := map[string]*Rule{}
	for _, r := range set.Rules {
		r.automata()
		byID[r.ID] = r
	}
	data, err := os.ReadFile(normGolden)
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	type job struct {
		r   *Rule
		g   *groups
		ctx Context
	}
	var jobs []job
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		var c normCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			b.Fatal(err)
		}
		g, err := groupsOf(byID[c.Rule], c.Groups)
		if err != nil {
			b.Fatal(err)
		}
		jobs = append(jobs, job{byID[c.Rule], g, Context{RefDate: c.Ref}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := procstat.CPU()
	for range b.N {
		for _, j := range jobs {
			j.r.norm.fn(j.r, j.g, j.ctx)
		}
	}
	b.ReportMetric(float64(procstat.CPU()-cpu)/float64(b.N*len(jobs)), "cpu-ns/norm")
}
