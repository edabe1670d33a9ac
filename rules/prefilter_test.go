package rules

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"testing"
)

func TestPrefilter(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"percent.sign":       "%",
		"percent.cheng":      "成",
		"date.relative_year": "今去明前后本上来",
	}
	for _, r := range set.Rules {
		if r.required == "" {
			t.Errorf("rule %s has no prefilter: every text would go through its pattern", r.ID)
		}
		if w, ok := want[r.ID]; ok && r.required != w {
			t.Errorf("rule %s: prefilter %q, want %q", r.ID, r.required, w)
		}
		// Every positive example must pass its own rule's prefilter.
		for _, ex := range r.Examples {
			if !ex.None && !r.MayMatch(ex.Text) {
				t.Errorf("rule %s: prefilter %q rejects its example %q", r.ID, r.required, ex.Text)
			}
		}
	}
}

func TestNeeds(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{`人民币(\d+)元`, "[人 民 币 0123456789 元]"},
		{`(\d+)(?:万|亿)?(?:元|美元)`, "[0123456789 元美 元美 元]"}, // rarest, first and last need of each alternative
		{`(?:今|去)年`, "[今去 年]"},
		{`今年|去年`, "[今去 今去 年]"},
		{`[一二三]?个`, "[个]"},
		{`(?i)usd\d`, "[0123456789]"},
		{`.*`, "[]"},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, set := range needs(re.Simplify()) {
			got = append(got, string(set))
		}
		if s := fmt.Sprint(got); s != tc.want {
			t.Errorf("%s: needs %s, want %s", tc.pattern, s, tc.want)
		}
	}
}

// TestFilter checks the set's Filter against what the rules match: every positive example
// passes its own rule's filter, and texts lacking a needed rune are refused.
func TestFilter(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := set.Filter()
	if set.Filter() != f {
		t.Error("Filter is built again on a second call")
	}
	var present []uint64
	for i, r := range set.Rules {
		for _, ex := range r.Examples {
			present = f.Present(ex.Text, present)
			if !ex.None && !f.May(i, present) {
				t.Errorf("rule %s: the filter refuses its example %q", r.ID, ex.Text)
			}
		}
		// Text without a single rune any rule needs: no rule may run.
		if f.May(i, f.Present("，。；：", present)) {
			t.Errorf("rule %s: the filter lets punctuation through", r.ID)
		}
	}
}

func TestSpan(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := set.Filter()
	// Every match of every rule over its examples lies within the rule's span of the text.
	for i, r := range set.Rules {
		for _, ex := range r.Examples {
			text := "据报道，" + ex.Text + "。"
			lo, hi, ok := f.Span(i, text)
			for _, loc := range r.regex().FindAllStringIndex(text, -1) {
				if !ok || loc[0] < lo || loc[1] > hi {
					t.Errorf("rule %s: match %q of %q outside the span %q", r.ID, text[loc[0]:loc[1]], text, text[lo:hi])
				}
			}
		}
	}
	for _, tc := range []struct{ pattern, text, want string }{
		{`(?:约|近)?\d+(?:万)?元`, "今年收入约300万元，比去年多", "约300万元"},
		{`(?:约|近)?\d+(?:万)?元`, "去年多出12万人", ""},
		{`\b\d+元`, "共12元。", "共12元。"}, // an assertion: the whole text
	} {
		g := newFilter([]*Rule{{expanded: tc.pattern}})
		lo, hi, ok := g.Span(0, tc.text)
		got := tc.text[lo:hi]
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("%s over %q: span %q, want %q", tc.pattern, tc.text, got, tc.want)
		}
	}
}

// TestWindow: Read, Next and WindowSpan say what Present, May and Span say, rule by rule, on
// the automaton test texts, pieces of them cut anywhere (invalid UTF-8 included) and the
// first lines of the corpus when it is there.
func TestWindow(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := set.Filter()
	texts := dfaTexts(set)
	for _, text := range texts[:len(texts):len(texts)] {
		for _, cut := range []int{1, 2, 5} {
			if cut < len(text) {
				texts = append(texts, text[cut:], text[:len(text)-cut])
			}
		}
	}
	texts = append(texts, corpusLines(t, 20)...)
	var w Window
	var present []uint64
	for _, text := range texts {
		f.Read(text, &w)
		present = f.Present(text, present)
		next := w.Next(0)
		for i := range set.Rules {
			may := f.May(i, present)
			if may != (next == i) {
				t.Fatalf("rule %s over %q: May %v, Next gives %d", set.Rules[i].ID, text, may, next)
			}
			if may {
				next = w.Next(i + 1)
			}
			lo, hi, ok := f.Span(i, text)
			wlo, whi, wok := f.WindowSpan(i, &w)
			if lo != wlo || hi != whi || ok != wok {
				t.Fatalf("rule %s over %q: Span %d, %d, %v; WindowSpan %d, %d, %v", set.Rules[i].ID, text, lo, hi, ok, wlo, whi, wok)
			}
			// StartsSpan: WindowSpan and Starts at once; no span when there are no starts.
			starts, known := f.Starts(i, &w)
			starts = slices.Clone(starts)
			slo, shi, sstarts, sok := f.StartsSpan(i, &w)
			if known && len(starts) == 0 {
				ok = false
			}
			if sok != ok || ok && (slo != lo || shi != hi || !slices.Equal(sstarts, starts) || (sstarts == nil) != !known) {
				t.Fatalf("rule %s over %q: StartsSpan %d, %d, %v, %v; WindowSpan %d, %d, %v and Starts %v, %v", set.Rules[i].ID, text, slo, shi, sstarts, sok, lo, hi, ok, starts, known)
			}
		}
		if next != -1 {
			t.Fatalf("over %q: Next lists rule %d past the last", text, next)
		}
	}
}
