package rules

import (
	"reflect"
	"testing"
	"testing/fstest"
)

// checkFill compares, for every match of rule r in text, the groups a Matcher fills (fill,
// from the group offsets) with those built from the candidate's Groups map (as explain and
// the normalisers before groups had them), and the normalisation of both.
func checkFill(t *testing.T, r *Rule, text string) int {
	t.Helper()
	n := 0
	for _, c := range r.MatchIn(text, 0, len(text), Context{RefDate: DefaultExampleDate}) {
		loc := r.regex().FindStringSubmatchIndex(c.Text)
		if loc == nil || loc[1] != len(c.Text) {
			continue // the regexp alone reads a shorter match from its text: not comparable
		}
		var got groups
		got.quals = []string{"stale"} // a reused value: fill must clear what it held
		got.v[gHalf] = "stale"
		got.fill(r, c.Text, loc)
		want, err := groupsOf(r, c.Groups)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.quals) == 0 {
			want.quals = got.quals[:0]
		}
		if !reflect.DeepEqual(&got, want) {
			t.Fatalf("rule %s over %q: fill gives\n%+v\nthe Groups map\n%+v", r.ID, c.Text, got, *want)
		}
		a, errA := r.norm.fn(r, &got, Context{RefDate: DefaultExampleDate})
		b, errB := r.norm.fn(r, want, Context{RefDate: DefaultExampleDate})
		if describeNorm(a, errA) != describeNorm(b, errB) {
			t.Fatalf("rule %s over %q: %s, want %s", r.ID, c.Text, describeNorm(a, errA), describeNorm(b, errB))
		}
		n++
	}
	return n
}

// TestGroupsFill: the groups a Matcher hands the normalisers, by number, are the named groups
// the Groups map holds, over every default rule on the test texts and the first corpus pages.
func TestGroupsFill(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := append(dfaTexts(set), corpusLines(t, 2)...)
	n := 0
	for _, r := range set.Rules {
		for _, text := range texts {
			if r.MayMatch(text) {
				n += checkFill(t, r, text)
			}
		}
	}
	if n < 1000 {
		t.Errorf("%d matches compared, want at least 1000", n)
	}
}

// TestGroupsFillDuplicateNames: a name written twice in a pattern keeps the later group that
// captured text, as the Groups map does; qualifier groups of any name (q3, qx) reach the
// qualifier, in name order.
func TestGroupsFillDuplicateNames(t *testing.T) {
	const rules = `version: 1
maps:
  qualifiers: {约: approx, 超过: over, 多: over}
  units: {元: CNY, 块: CNY}
rules:
  - id: test.twice
    kind: money
    pattern: '(?:(?P<qx>约|超过))?(?:(?P<num>[0-9]+)(?P<unit>元)|(?P<num>[一二三])(?P<unit>块))(?P<q3>多)?'
    normalize: amount
    unit_map: units
`
	set, err := Load(fstest.MapFS{"t.yaml": {Data: []byte(rules)}}, "")
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rules[0]
	for _, tc := range []struct {
		text, num, unit, qual string
	}{
		{"约12元", "12", "元", "approx"},
		{"超过三块", "三", "块", "over"},
		{"二块多", "二", "块", "over"},
		{"7元", "7", "元", "exact"},
	} {
		if checkFill(t, r, tc.text) != 1 {
			t.Fatalf("%q: want one match", tc.text)
		}
		got := r.MatchKept(tc.text, 0, len(tc.text), Context{})
		if len(got) != 1 || got[0].Groups["num"] != tc.num || got[0].Groups["unit"] != tc.unit || got[0].Qualifier != tc.qual {
			t.Errorf("%q: %+v, want num %s unit %s qualifier %s", tc.text, got, tc.num, tc.unit, tc.qual)
		}
	}
	if got := r.qualifierGroups(); !reflect.DeepEqual(got, []string{"q3", "qx"}) {
		t.Errorf("qualifier groups %v, want [q3 qx]", got)
	}
}

// TestGroupNames: every group a normaliser reads has a groupID, and groupNames lists each
// once.
func TestGroupNames(t *testing.T) {
	for name, n := range normalizers {
		for _, g := range n.groups {
			if _, ok := groupIDs[g]; !ok {
				t.Errorf("normaliser %s reads group %q, which has no groupID", name, g)
			}
		}
	}
	if len(groupIDs) != int(numGroups) {
		t.Errorf("%d names for %d groupIDs: a name twice", len(groupIDs), numGroups)
	}
}
