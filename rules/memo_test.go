package rules

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestMemoAgreesWithMatch: what a Matcher remembers gives the candidates that matching afresh
// gives (MatchKept, without groups): over every rule, on the test texts and the first corpus
// pages, each text twice and under two reference dates in turn, with the default table and
// with one so small that slots collide and the text buffer fills and starts again.
func TestMemoAgreesWithMatch(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := append(dfaTexts(set), corpusLines(t, 3)...)
	tiny := &Matcher{memo: matchMemo{size: 16, textBytes: 64 * 64}}
	matchers := []*Matcher{{}, tiny}
	ctxs := []Context{{RefDate: "2023-11-01"}, {RefDate: "1998-06-30"}}
	hits := 0
	for _, r := range set.Rules {
		for i, text := range texts {
			for round := range 2 {
				ctx := ctxs[(i+round)%2]
				var want []Candidate
				for _, c := range r.MatchKept(text, 0, len(text), ctx) {
					c.Groups = nil
					want = append(want, c)
				}
				for k, m := range matchers {
					if round == 1 && k == 0 && len(want) > 0 {
						ref := ""
						if r.norm.context {
							ref = ctx.RefDate
						}
						if m.memo.find(m.memo.hash(r, want[0].Text), r, want[0].Text, ref) != nil {
							hits++
						}
					}
					got := m.Kept(r, text, 0, len(text), nil, ctx)
					if !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
						t.Fatalf("rule %s over %q under %s, matcher %d, round %d: Kept finds\n%+v\nMatchKept\n%+v", r.ID, text, ctx.RefDate, k, round, got, want)
					}
					for j := range got {
						for _, p := range []*float64{got[j].Value, got[j].ValueMax} {
							if p != nil && (p == want[j].Value || p == want[j].ValueMax) {
								t.Fatalf("rule %s over %q: a remembered candidate shares its value", r.ID, text)
							}
						}
					}
				}
			}
		}
	}
	if hits == 0 {
		t.Error("the default table remembered no match: the test checks nothing remembered")
	}
	if tiny.memo.gen < 2 {
		t.Errorf("the tiny table never started again (generation %d): the test misses that path", tiny.memo.gen)
	}
}

// TestMemoKeys: the memory tells apart rules, texts and (for a normaliser that reads it) the
// reference date, keeps two entries a set, and forgets everything when its text buffer starts
// again.
func TestMemoKeys(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	a, b := set.Rules[0], set.Rules[1]
	a.automata()
	b.automata()
	mm := &matchMemo{size: 2, textBytes: 64 * 4} // one set: every entry goes into it
	holds := func(r *Rule, text, ref string) bool { return mm.find(mm.hash(r, text), r, text, ref) != nil }
	if holds(a, "3个", "") {
		t.Fatal("an empty memory holds 3个")
	}
	s := mm.put(mm.hash(a, "3个"), a, "3个", "", remember(0, true, Result{Unit: "x"}))
	for _, tc := range []struct {
		r         *Rule
		text, ref string
		want      bool
	}{
		{a, "3个", "", true}, {b, "3个", "", false}, {a, "4个", "", false}, {a, "3个", "1998-01-01", false}, {a, "3", "", false},
	} {
		if got := holds(tc.r, tc.text, tc.ref); got != tc.want {
			t.Errorf("holds(%s, %q, %q) = %v, want %v", tc.r.ID, tc.text, tc.ref, got, tc.want)
		}
	}
	if s.result().Unit != "x" {
		t.Errorf("remembered unit %q, want x", s.result().Unit)
	}
	// A second entry keeps the first; a third pushes it out.
	mm.put(mm.hash(b, "3个"), b, "3个", "", remember(0, true, Result{}))
	if !holds(a, "3个", "") || !holds(b, "3个", "") {
		t.Errorf("two entries in a set of two: %v %v, want both held", holds(a, "3个", ""), holds(b, "3个", ""))
	}
	mm.put(mm.hash(a, "4个"), a, "4个", "", remember(0, true, Result{}))
	if holds(a, "3个", "") || !holds(b, "3个", "") || !holds(a, "4个", "") {
		t.Errorf("a third entry: holds %v %v %v, want the first forgotten", holds(a, "3个", ""), holds(b, "3个", ""), holds(a, "4个", ""))
	}
	// A text longer than a sixty-fourth of the buffer is not remembered.
	long := "1234567890123456789012345678901234567890123456789012345678901234" // 64 bytes: too long
	if mm.put(mm.hash(a, long), a, long, "", remember(0, true, Result{})) != nil || holds(a, long, "") {
		t.Error("a text longer than a sixty-fourth of the buffer was remembered")
	}
	// In a table of many slots, 3个 stays until the buffer is full, then goes.
	big := &matchMemo{size: 1024, textBytes: 64 * 4}
	bigHolds := func(text string) bool { return big.find(big.hash(a, text), a, text, "") != nil }
	big.put(big.hash(a, "3个"), a, "3个", "", remember(0, true, Result{}))
	other := "4个" // a text in another set (the seed is random)
	for _, o := range []string{"5个", "6个"} {
		if big.hash(a, other)&^1%1024 == big.hash(a, "3个")&^1%1024 {
			other = o
		}
	}
	gen := big.gen
	for i := range 70 {
		big.put(big.hash(a, other), a, other, "", remember(0, true, Result{}))
		if i == 30 && !bigHolds("3个") {
			t.Fatal("3个 forgotten before the buffer was full")
		}
	}
	if big.gen == gen || len(big.texts) > big.textBytes {
		t.Errorf("after 284 bytes of text in a buffer of %d: generation %d (was %d), %d bytes kept", big.textBytes, big.gen, gen, len(big.texts))
	}
	if !bigHolds(other) || bigHolds("3个") {
		t.Errorf("after starting again: want %s remembered, 3个 forgotten", other)
	}
}

// TestMemoResult: a Result comes back from the memory as it went in, with values of its own.
func TestMemoResult(t *testing.T) {
	v, mx := 3.5, -0.0
	for _, res := range []Result{
		{},
		{Value: &v, Unit: "CNY", Qualifier: "over"},
		{Value: &v, ValueMax: &mx, Qualifier: "range", Date: "1998-01", DateEnd: "1998-02"},
	} {
		m := remember(2, true, res)
		got := m.result()
		if !reflect.DeepEqual(got, res) || (res.Value != nil && got.Value == res.Value) || (res.ValueMax != nil && got.ValueMax == res.ValueMax) {
			t.Errorf("remember(%+v).result() = %+v", res, got)
		}
		if m.core != 2 || !m.ok {
			t.Errorf("core %d ok %v, want 2 true", m.core, m.ok)
		}
	}
}

// TestMemoCopiesUnit: a remembered unit cut from the match is a copy, not a piece of the text
// it came from, which would keep the whole document alive as long as the slot lasts; a unit
// that is a constant (a rule's own) is kept as it is, without an allocation.
func TestMemoCopiesUnit(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rules[0]
	doc := strings.Repeat("这是一篇很长的文章。", 1000) + "5公顷"
	match := doc[len(doc)-len("5公顷"):]
	unit := match[1:]
	var mm matchMemo
	h := mm.hash(r, match)
	s := mm.put(h, r, match, "", remember(0, true, Result{Unit: unit}))
	if mm.find(h, r, match, "") != s || s.unit != "公顷" {
		t.Fatalf("slot holds %q (%v), want 公顷", s.unit, mm.find(h, r, match, "") == s)
	}
	if unsafe.StringData(s.unit) == unsafe.StringData(unit) {
		t.Error("the remembered unit shares the document's memory")
	}
	own := "公顷" // a constant, not in the match
	if allocs := testing.AllocsPerRun(100, func() {
		s = mm.put(h, r, match, "", remember(0, true, Result{Unit: own}))
	}); allocs != 0 {
		t.Errorf("a constant unit cost %.0f allocations", allocs)
	}
	if unsafe.StringData(s.unit) != unsafe.StringData(own) {
		t.Error("a constant unit was copied")
	}
}

func TestWithin(t *testing.T) {
	doc := "一二三四五"
	for _, c := range []struct {
		s    string
		want bool
	}{
		{doc[:3], true}, {doc[12:], true}, {doc[6:9], true}, {doc[15:], false}, {"三", false}, {"", false},
	} {
		if got := within(c.s, doc); got != c.want {
			t.Errorf("within(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
