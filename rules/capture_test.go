package rules

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestCaptures: the groups the automaton's walk reads agree with Go's regexp in longest mode
// on every text a pattern matches whole, including patterns whose groups are ambiguous (which
// path wins decides them), repeated groups (the last repetition counts) and invalid UTF-8.
func TestCaptures(t *testing.T) {
	patterns := []string{
		`(a|ab)(c|bcd)?(d*)`,
		`(?P<num>[0-9]+)(?:(?P<mult>万|亿)|(?P<unit>万元))?元?`,
		`(x*)(x*)(x+)`,
		`(?:(a)|(b))+`,
		`((?:[0-9]|,)+)(\.[0-9]+)?`,
		`(?i)(usd)?([0-9]+)`,
		`(.+)(元|\x{FFFD})`,
		`([一二三四五六七八九十百千万]+)(?:(万)|([百千万]人))`,
	}
	texts := []string{
		"abcd", "abd", "ab", "abbcdd", "a", "12万元", "12万", "12元", "3亿元", "xxxx", "x", "abab",
		"1,234.5", "1,,2", "USD12", "usd7", "\xff元", "a\xff", "三十万人", "三十万百人", "七千万",
	}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		re.Longest()
		d := newDFA(p)
		if d == nil {
			t.Fatalf("%s: no automaton", p)
		}
		caps := make([]int, 2*(re.NumSubexp()+1))
		for _, text := range texts {
			want := re.FindStringSubmatchIndex(text)
			whole := want != nil && want[0] == 0 && want[1] == len(text)
			ok := d.captures(text, caps)
			if ok != whole {
				t.Errorf("%s over %q: captures %v, want %v (regexp %v)", p, text, ok, whole, want)
				continue
			}
			if ok && !reflect.DeepEqual(caps, want) {
				t.Errorf("%s over %q: groups %v, regexp %v", p, text, caps, want)
			}
		}
	}
	// Past maxCaptureBits the walk declines and the regexp reads the groups.
	d := newDFA(`([0-9]+)`)
	if d.captures(strings.Repeat("1", maxCaptureBits), make([]int, 4)) {
		t.Error("captures over a text past maxCaptureBits, want it to decline")
	}
}
