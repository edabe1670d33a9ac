package extract

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/rules"
)

// TestKeptSpans: the overlap keptSpans finds is the one asking every fact kept finds — the
// first in the order kept — before and after it indexes them, and with spans outside the
// sentence, which turn the index off.
func TestKeptSpans(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		base, n := rng.IntN(50), 1+rng.IntN(300)
		var ks keptSpans
		ks.reset(base, base+n)
		var kept []cand
		for range 400 {
			start := base + rng.IntN(n) - 2*rng.IntN(2)*rng.IntN(3) // now and then before the sentence
			end := start + 1 + rng.IntN(1+rng.IntN(12))
			want := -1
			for i, k := range kept {
				if start < k.end && k.start < end {
					want = i
					break
				}
			}
			if got := ks.firstOverlap(kept, start, end); got != want {
				t.Fatalf("round %d, %d kept (indexed %v): [%d,%d) overlaps %d, want %d", round, len(kept), ks.indexed, start, end, got, want)
			}
			if want < 0 {
				kept = append(kept, cand{start: start, end: end})
				ks.add(len(kept)-1, start, end)
			}
		}
	}
}

// TestManyFactsInASentence: a sentence of 2,000 figures gives them all, each once, in order.
func TestManyFactsInASentence(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := run(t, set, "数字"+strings.Repeat("12% ", 2000)+"。", "2023-11-01", nil)
	pct := 0
	last := -1
	for _, f := range d.Facts {
		if f.Start < last {
			t.Fatalf("facts out of order at %d", f.Start)
		}
		last = f.Start
		if f.Kind == "percent" {
			if f.Value == nil || *f.Value != 12 {
				t.Fatalf("percent %+v", f)
			}
			pct++
		}
	}
	if pct != 2000 {
		t.Errorf("%d percentages, want 2000", pct)
	}
}

// BenchmarkDenseSentence extracts a sentence of 2,000 figures ("1 1 1 …", 4,000 code points):
// each candidate was checked against every fact kept before keptSpans indexed them.
func BenchmarkDenseSentence(b *testing.B) {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("1 ", 2000)
	run(b, set, text, "2023-11-01", nil) // the dictionaries load
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		run(b, set, text, "2023-11-01", nil)
	}
}
