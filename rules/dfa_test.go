package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// dfaTexts are texts every rule's automaton is checked on: the examples of all rules, the
// fuzz seeds, and texts that stress invalid UTF-8, long runs and full-width spaces.
func dfaTexts(set *Set) []string {
	texts := append([]string{
		"\xff12\xfe万元\xe4\xb8，3\xe4亿", "七 万 5 千元　约　3　亿美元", "USD 12 KG 5kg 3.5E-3 2^5",
		strings.Repeat("一二三四五六七八九十百千万亿", 40) + "元",
		strings.Repeat("1,234,567.89万", 30) + "人",
	}, ruleSeeds...)
	for _, r := range set.Rules {
		for _, ex := range r.Examples {
			texts = append(texts, ex.Text, "据报道，"+ex.Text+"。")
		}
	}
	return texts
}

// corpusLines returns the lines of the first n pages of the corpus, none without it.
func corpusLines(t *testing.T, n int) []string {
	t.Helper()
	var lines []string
	pages, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	for _, p := range pages[:min(len(pages), n)] {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(data), "\n")...)
	}
	return lines
}

// TestDFAMatchesRegexp: every rule finds, through its automaton, exactly the matches and groups
// its regexp finds alone, on the test texts and on the first lines of the corpus when it is there.
func TestDFAMatchesRegexp(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := append(dfaTexts(set), corpusLines(t, 20)...)
	withDFA := 0
	for _, r := range set.Rules {
		r.automata()
		if r.dfa == nil || r.RejectBefore != "" && r.beforeDFA == nil || r.RejectAfter != "" && r.afterDFA == nil {
			continue
		}
		withDFA++
		for _, text := range texts {
			checkAutomaton(t, r, text, 0, len(text))
			// Part of a text, as extraction hands windows and spans to MatchIn.
			if lo, hi := len(text)/4, len(text)*3/4; lo < hi {
				checkAutomaton(t, r, text, lo, hi)
			}
		}
	}
	if withDFA != len(set.Rules) {
		t.Errorf("%d of %d default rules have an automaton, want all", withDFA, len(set.Rules))
	}
}

// checkAutomaton compares what rule r finds in text[lo:hi] with and without its automaton,
// and MatchKept with MatchIn's candidates that were not dropped.
func checkAutomaton(t *testing.T, r *Rule, text string, lo, hi int) {
	t.Helper()
	ctx := Context{RefDate: DefaultExampleDate}
	got, want := r.match(text, lo, hi, ctx, true, true), r.match(text, lo, hi, ctx, true, false)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rule %s over %q[%d:%d]: automaton finds\n%+v\nregexp\n%+v", r.ID, text, lo, hi, got, want)
	}
	var kept []Candidate
	for _, c := range want {
		if c.Dropped == "" {
			kept = append(kept, c)
		}
	}
	if got := r.MatchKept(text, lo, hi, ctx); !reflect.DeepEqual(got, kept) {
		t.Fatalf("rule %s over %q[%d:%d]: MatchKept finds\n%+v\nwant\n%+v", r.ID, text, lo, hi, got, kept)
	}
	// A Matcher, used twice (its buffers reused), finds them too, without groups.
	var noGroups []Candidate
	for _, c := range kept {
		c.Groups = nil
		noGroups = append(noGroups, c)
	}
	f := r.set.Filter()
	f.Read(text, &testWindow)
	starts, _ := f.Starts(slices.Index(r.set.Rules, r), &testWindow) // nil when not known
	for _, starts := range [][]int32{nil, starts, starts} {
		if got := testMatcher.Kept(r, text, lo, hi, starts, ctx); !reflect.DeepEqual(got, noGroups) && len(got)+len(noGroups) > 0 {
			t.Fatalf("rule %s over %q[%d:%d]: Matcher.Kept (starts %v) finds\n%+v\nwant\n%+v", r.ID, text, lo, hi, starts, got, noGroups)
		}
	}
}

// testWindow is one Window for all checks.
var testWindow Window

// testMatcher is one Matcher for all checks, so that its buffers carry over from rule to rule.
var testMatcher Matcher

// TestContextAutomata: the automata of every rule's reject_before and reject_after say what
// the regexps say on the contexts of every position of the test texts, and on texts made to
// stress ^ and $.
func TestContextAutomata(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := dfaTexts(set)
	for _, r := range set.Rules {
		r.automata()
		for _, text := range texts {
			checkContexts(t, r, text)
		}
	}
	for _, tc := range []struct {
		pattern string
		yes     []string
		no      []string
	}{
		{`(?:^|[^是前])$`, []string{"", "五", "是前后"}, []string{"是", "答案是"}},
		{`^(?:[0-9]|年)`, []string{"1", "年底", "9元"}, []string{"", "元9", " 1"}},
		{`^$`, []string{""}, []string{"a"}},
		{`[0-9]$|^第`, []string{"第", "第a", "a1"}, []string{"", "a第", "1a"}},
		{`$^`, []string{""}, []string{"x"}},
		// One character decides (dfa.edge):
		{`[0-9.]$`, []string{"a1", ".", "x\xff9"}, []string{"", "1a", "\xff"}},
		{`(?:第|[0-9.])$`, []string{"第", "a.", "第1"}, []string{"第a", ""}},
		{`^[0-9A-Za-z]`, []string{"a", "Z元", "9\xff"}, []string{"", "元a", "\xff1"}},
		{`^电`, []string{"电", "电视"}, []string{"", "来电"}},
		{`(?i)k$`, []string{"K", "k"}, []string{"k1"}},
	} {
		d := buildDFA(tc.pattern, true)
		if d == nil {
			t.Fatalf("%s: no automaton", tc.pattern)
		}
		for _, s := range tc.yes {
			if !d.matchString(s) {
				t.Errorf("%s does not match %q, want a match", tc.pattern, s)
			}
		}
		for _, s := range tc.no {
			if d.matchString(s) {
				t.Errorf("%s matches %q, want none", tc.pattern, s)
			}
		}
	}
	for pattern, want := range map[string]int{`[0-9.]$`: edgeLast, `第$`: edgeLast, `^[0-9]`: edgeFirst,
		`(?i)k$`: 0, `[0-9]$|^第`: 0, `(?:^|[^是前])$`: 0, `[0-9][.,]$`: 0, `^(?:[0-9]|年)`: edgeFirst} {
		if d := buildDFA(pattern, true); d == nil || d.edge != want {
			t.Errorf("%s: edge %v, want %d", pattern, d, want)
		}
	}
	if buildDFA(`\b1`, true) != nil || buildDFA(`(?m)^1`, true) != nil {
		t.Error("an automaton for \\b or (?m)^, which only ^ and $ of the text may have")
	}
}

// checkContexts compares r's reject automata with its reject regexps on the context before and
// after every position of text.
func checkContexts(t *testing.T, r *Rule, text string) {
	t.Helper()
	before, after := r.contextRegexps()
	for i := range len(text) + 1 {
		// What extraction hands the automata (before, after) decides as the regexps decide on
		// the contexts proper.
		if r.beforeDFA != nil && rejectedBefore(before, r.beforeDFA, text[:i]) != before.MatchString(tail(text[:i], contextRunes)) {
			t.Fatalf("rule %s: reject_before %s before %q: automaton and regexp disagree", r.ID, r.RejectBefore, text[:i])
		}
		if r.afterDFA != nil && rejectedAfter(after, r.afterDFA, text[i:]) != after.MatchString(head(text[i:], contextRunes)) {
			t.Fatalf("rule %s: reject_after %s after %q: automaton and regexp disagree", r.ID, r.RejectAfter, text[i:])
		}
		for _, s := range []string{tail(text[:i], contextRunes), head(text[i:], contextRunes), text[:i][:min(i, 40)]} {
			if r.beforeDFA != nil && r.beforeDFA.matchString(s) != before.MatchString(s) {
				t.Fatalf("rule %s: reject_before %s over %q: automaton %v, regexp %v", r.ID, r.RejectBefore, s, !before.MatchString(s), before.MatchString(s))
			}
			if r.afterDFA != nil && r.afterDFA.matchString(s) != after.MatchString(s) {
				t.Fatalf("rule %s: reject_after %s over %q: automaton %v, regexp %v", r.ID, r.RejectAfter, s, !after.MatchString(s), after.MatchString(s))
			}
		}
	}
}

func TestNewDFA(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		text    string
		start   int // -1: no automaton
		end     int
	}{
		{`(?:约|近)?[0-9]+(?:万)?元`, "收入约300万元，", 6, 18},
		{`[0-9]+(?:万)?元`, "共12人", -1, -1},
		{`(?i)usd[0-9]`, "pay UsD5", 4, 8},
		{`a|ab|abc`, "xabcd", 1, 4}, // longest, not first
		{`[^，]+元`, "a，b元", 4, 8},
		{`\b[0-9]+`, "", -1, 0}, // an assertion: no automaton
		{`^[0-9]+`, "", -1, 0},
		{`[0-9]*`, "", -1, 0}, // matches the empty string: no automaton
	} {
		d := newDFA(tc.pattern)
		if tc.end == 0 {
			if d != nil {
				t.Errorf("%s: built an automaton, want none", tc.pattern)
			}
			continue
		}
		if d == nil {
			t.Fatalf("%s: no automaton", tc.pattern)
		}
		if s, e := d.find(tc.text, 0); s != tc.start || e != tc.end {
			t.Errorf("%s over %q: match [%d,%d), want [%d,%d)", tc.pattern, tc.text, s, e, tc.start, tc.end)
		}
	}
}

// FuzzDFA: on any text, each default rule finds the same candidates with its automaton and
// with its regexp alone.
//
//	go test ./rules -run '^$' -fuzz FuzzDFA -fuzztime 60s -fuzzminimizetime 3s
//
// (each input runs every rule both ways and both reject patterns at every position, so the
// fuzzer's default minimisation of a new input takes a minute of no visible progress).
func FuzzDFA(f *testing.F) {
	set, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range dfaTexts(set)[:9] { // the short ones
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 300 {
			t.Skip("long texts make slow runs; TestDFAMatchesRegexp has some")
		}
		for _, r := range set.Rules {
			checkAutomaton(t, r, text, 0, len(text))
			checkContexts(t, r, text)
		}
	})
}

// TestTailHead: tail and head cut the code points utf8's decoders count, on every one-, two-
// and three-byte string after a prefix, and on the automaton test texts.
func TestTailHead(t *testing.T) {
	slow := func(s string, n int) (string, string) {
		i, j := len(s), 0
		for k := 0; k < n && i > 0; k++ {
			_, size := utf8.DecodeLastRuneInString(s[:i])
			i -= size
		}
		for k := 0; k < n && j < len(s); k++ {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
		}
		return s[i:], s[:j]
	}
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := dfaTexts(set)
	b := make([]byte, 3)
	for c0 := 0x80; c0 < 256; c0++ {
		for c1 := 0x70; c1 < 0xC8; c1++ {
			for _, c2 := range []int{'a', 0x80, 0xBF, 0xC0} {
				b[0], b[1], b[2] = byte(c0), byte(c1), byte(c2)
				texts = append(texts, string(b), "中"+string(b), string(b[:2]), "\xbf"+string(b[:2]))
			}
		}
	}
	for _, s := range texts {
		for n := range 10 {
			wt, wh := slow(s, n)
			if got := tail(s, n); got != wt {
				t.Fatalf("tail(%q, %d) = %q, want %q", s, n, got, wt)
			}
			if got := head(s, n); got != wh {
				t.Fatalf("head(%q, %d) = %q, want %q", s, n, got, wh)
			}
		}
	}
}

// TestAutomataShared: two loads of the same rules share their automata (built once per
// process), and a rule's automata are those of its patterns.
func TestAutomataShared(t *testing.T) {
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range a.Rules {
		s := b.Rules[i]
		r.automata()
		s.automata()
		if r.dfa == nil || r.dfa != s.dfa || r.beforeDFA != s.beforeDFA || r.afterDFA != s.afterDFA {
			t.Fatalf("rule %s: automata %p %p %p and %p %p %p, want the same", r.ID, r.dfa, r.beforeDFA, r.afterDFA, s.dfa, s.beforeDFA, s.afterDFA)
		}
		if r.RejectBefore != "" && r.beforeDFA == r.afterDFA {
			t.Fatalf("rule %s: reject_before and reject_after share an automaton", r.ID)
		}
	}
}

// TestMatcherMemo: a Matcher remembers what a match came to per rule, text and context: the
// same text under another reference date resolves again, and candidates never share a value.
func TestMatcherMemo(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var year, count *Rule
	for _, r := range set.Rules {
		switch r.ID {
		case "date.relative_year":
			year = r
		case "count.classifier":
			count = r
		}
	}
	if year == nil || count == nil {
		t.Fatal("date.relative_year or count.classifier is gone")
	}
	var m Matcher
	text := "今年我们"
	for _, tc := range []struct{ ref, want string }{{"2023-11-01", "2023"}, {"1998-01-01", "1998"}, {"2023-11-01", "2023"}} {
		got := m.Kept(year, text, 0, len(text), nil, Context{RefDate: tc.ref})
		if len(got) != 1 || got[0].Date != tc.want {
			t.Fatalf("今年 on %s: %+v, want the date %s", tc.ref, got, tc.want)
		}
	}
	text = "有3个人，3个人"
	ctx := Context{RefDate: DefaultExampleDate}
	first := m.Kept(count, text, 0, len(text), nil, ctx)
	if len(first) != 2 || first[0].Value == nil || first[1].Value == nil || first[0].Value == first[1].Value || *first[1].Value != 3 {
		t.Fatalf("3个人 twice: %+v, want two counts of 3 with values of their own", first)
	}
}

// TestNormalizerContext: a normaliser not marked as reading the context (normalizer.context)
// gives the same results under any reference date, on every rule's examples and the fuzz
// seeds; otherwise a Matcher's memory would be wrong.
func TestNormalizerContext(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		if normalizers[r.Normalize].context {
			continue
		}
		texts := slices.Clone(ruleSeeds)
		for _, ex := range r.Examples {
			texts = append(texts, ex.Text)
		}
		for _, text := range texts {
			a := r.MatchKept(text, 0, len(text), Context{RefDate: "2023-11-01"})
			b := r.MatchKept(text, 0, len(text), Context{RefDate: "1998-06-30"})
			c := r.MatchKept(text, 0, len(text), Context{})
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
				t.Errorf("rule %s (normalize: %s) over %q: results change with the reference date; mark the normaliser context: true", r.ID, r.Normalize, text)
			}
		}
	}
}

// anchoredContextCases are context patterns for TestAnchoredContexts and FuzzContexts: reject
// patterns of the default rules and patterns made to stress the contextRunes limit and inner ^
// and $, with the automaton each must get.
var anchoredContextCases = []struct {
	pattern  string
	before   bool
	reversed bool // the reversed automaton, read backwards (else not)
}{
	{`(?:^|[^是前后“”‘’「」，,：:；;])$`, true, true},
	{`(?:[^，,\s]|[A-Za-z]\s+)$`, true, true},
	{`(?:[0-9][.,]|[0-9A-Za-z_/^兆:∶]|[A-Za-z] |第|月)$`, true, true},
	{`(?:[0-9.]|[0-9〇零一二三四五六七八九]年)$`, true, true},
	{`[0-9]{8}$`, true, true},   // needs the whole context
	{`[0-9]{9}$`, true, true},   // longer than any context: never
	{`^[0-9]{2,}$`, true, true}, // the context's own start
	{`(?:^|[0-9])(?:元|旦)$`, true, true},
	{`[0-9]$|^第`, true, false}, // not anchored at the match: searches
	{`[0-9.]$`, true, false},   // one character decides (edge)
	{`^(?:[^，。,.；;：:！!？?”’」的这那不而却和与或也]|不[^是])`, false, false},
	{`^(?:[0-9]|[.\-/][0-9])`, false, false},
	{`^[0-9]{8}`, false, false},
	{`^(?:[0-9]|年)(?:$|底)`, false, false},
	{`^(?i)k[0-9]`, false, false},
}

// checkAnchoredContext compares the automaton d of context pattern re with the regexp on the
// contexts before (or after) every position of text, and on its prefixes as whole texts.
func checkAnchoredContext(t *testing.T, re *regexp.Regexp, d *dfa, before bool, text string) {
	t.Helper()
	for i := range len(text) + 1 {
		if before {
			if got, want := rejectedBefore(re, d, text[:i]), re.MatchString(tail(text[:i], contextRunes)); got != want {
				t.Errorf("%s before %q: automaton %v, regexp %v", re, text[:i], got, want)
			}
		} else if got, want := rejectedAfter(re, d, text[i:]), re.MatchString(head(text[i:], contextRunes)); got != want {
			t.Errorf("%s after %q: automaton %v, regexp %v", re, text[i:], got, want)
		}
		// matchString reads all of a text, either way.
		if got, want := d.matchString(text[:i]), re.MatchString(text[:i]); got != want {
			t.Errorf("%s: matchString(%q) = %v, regexp %v", re, text[:i], got, want)
		}
	}
}

// TestAnchoredContexts: the automata of anchored contexts (contextDFA), which read from the
// match outwards and stop early, say what the regexps say on the contexts before and after
// every position of texts made to stress the contextRunes limit, inner ^ and $, and invalid
// UTF-8; and the patterns get the automaton meant for them.
func TestAnchoredContexts(t *testing.T) {
	texts := []string{
		"", "1", "第1", "答案是五", "据，五", "2，新手", "a 12", "ab 12", "1.", "1998年12月",
		"一二三四五六七八九十", "123456789", "12345678", "1234567", "x\xff9", "\xe4\xb81", "中\xb8\xad\xad2",
		"\xbf\xe4", "是\xff", "年底", " 1", "第a", "费了五", "，,：", "元旦前后",
	}
	for _, tc := range anchoredContextCases {
		d := contextDFA(tc.pattern, tc.before)
		if d == nil {
			t.Fatalf("%s: no automaton", tc.pattern)
		}
		if d.reversed != tc.reversed {
			t.Errorf("%s: reversed %v, want %v", tc.pattern, d.reversed, tc.reversed)
		}
		re := regexp.MustCompile(tc.pattern)
		for _, text := range texts {
			checkAnchoredContext(t, re, d, tc.before, text)
		}
	}
}

// FuzzContexts: on any text, the context automata say what the regexps say.
//
//	go test ./rules -run '^$' -fuzz FuzzContexts -fuzztime 60s
func FuzzContexts(f *testing.F) {
	for _, s := range []string{"答案是五", "a 12", "1998年12月", "\xe4\xb81", "中\xb8\xad\xad2", "12345678"} {
		f.Add(s)
	}
	res := make([]*regexp.Regexp, len(anchoredContextCases))
	automata := make([]*dfa, len(anchoredContextCases))
	for i, tc := range anchoredContextCases {
		res[i], automata[i] = regexp.MustCompile(tc.pattern), contextDFA(tc.pattern, tc.before)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 200 {
			t.Skip("each position is checked: long texts make slow runs")
		}
		for i, tc := range anchoredContextCases {
			checkAnchoredContext(t, res[i], automata[i], tc.before, text)
		}
	})
}

// TestLongestMemo: runs that share what failed runs learnt (runMemo) end where runs of their
// own end, from every start, in either order, for every default rule and a few patterns made
// for it, on texts with long runs of digits that fail at their end.
func TestLongestMemo(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var automata []*dfa
	for _, r := range set.Rules {
		r.automata()
		automata = append(automata, r.dfa)
	}
	for _, p := range []string{`[0-9]{1,3}年`, `[0-9]+(?:\.[0-9]+)?[个人]`, `(?:19|20)[0-9]{2}年|[0-9]{3}`, `a[0-9]*b|[0-9]{2}c`} {
		d := newDFA(p)
		if d == nil {
			t.Fatalf("%s: no automaton", p)
		}
		automata = append(automata, d)
	}
	texts := append([]string{
		"1998年12月31日", "123456789年", "12345个 678人", "1998年", "a123b 12c 123c", "2023年1.5个",
		strings.Repeat("1", 200) + "年", "一二三四五六七八九十百千万亿人", "\xff12\xfe3个",
	}, dfaTexts(set)...)
	var rm runMemo
	for _, d := range automata {
		for _, text := range texts {
			var starts []int
			for i := range text {
				starts = append(starts, i)
			}
			for _, order := range []string{"forwards", "backwards"} {
				if order == "backwards" {
					slices.Reverse(starts)
				}
				lo := len(text) / 5 // as Kept: runs over text[lo:] from starts past lo
				rm.reset(lo, len(text)-lo)
				for _, st := range starts {
					if st < lo {
						continue
					}
					if got, want := d.longestMemo(text, st, &rm), d.longest(text, st); got != want {
						t.Fatalf("over %q from %d (%s): longestMemo %d, longest %d", text, st, order, got, want)
					}
				}
			}
		}
	}
}
