package rules

import (
	"testing"
	"unicode"
)

// TestAutomatonTables checks the tables buildDFA derives by shortcuts against the definitions
// they shortcut, for the automata of every default rule and reject pattern and a few (?i)
// patterns: the class of every rune of the Basic Multilingual Plane from the page table equals
// the one the intervals give; a rune's class holds exactly the rune instructions that match it
// by Inst.MatchRune; and no two classes hold the same.
func TestAutomatonTables(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	patterns := []string{`(?i)usd|k`, `(?i)[a-c]ſ元`, `[^，]+元`, `(?s).x`, `.元`}
	for _, r := range set.Rules {
		patterns = append(patterns, r.expanded)
		if r.RejectBefore != "" {
			patterns = append(patterns, r.RejectBefore)
		}
		if r.RejectAfter != "" {
			patterns = append(patterns, r.RejectAfter)
		}
	}
	built := 0
	for _, p := range patterns {
		for _, anchors := range []bool{false, true} {
			d := buildDFA(p, anchors)
			if d == nil {
				continue
			}
			built++
			for r := rune(0); r < 0x10000; r++ {
				if got, want := d.class(r), d.search(r); got != want {
					t.Fatalf("%s: rune %U: class %d from the pages, %d from the intervals", p, r, got, want)
				}
			}
			// The runes checked: Latin (where case folds are), both ends of every interval,
			// and the case folds of every literal.
			var runes []rune
			for r := rune(0); r < 0x300; r++ {
				runes = append(runes, r)
			}
			for i, lo := range d.bounds {
				runes = append(runes, lo)
				if i+1 < len(d.bounds) {
					runes = append(runes, d.bounds[i+1]-1)
				}
			}
			for _, in := range d.prog.Inst {
				if len(in.Rune) == 1 {
					for r := unicode.SimpleFold(in.Rune[0]); r != in.Rune[0]; r = unicode.SimpleFold(r) {
						runes = append(runes, r)
					}
				}
			}
			for _, r := range runes {
				c := d.search(r)
				sig := d.sigs[c*d.words : (c+1)*d.words]
				for pc := range d.prog.Inst {
					in := &d.prog.Inst[pc]
					want := isRune(in.Op) && in.MatchRune(r)
					if got := sig[pc/64]&(1<<(pc%64)) != 0; got != want {
						t.Fatalf("%s: rune %U, instruction %d (%v): in its class %v, matches %v", p, r, pc, in.Op, got, want)
					}
				}
			}
			seen := map[string]int{}
			for c := range d.nclass {
				k := string(bitset(d.sigs[c*d.words : (c+1)*d.words]).appendKey(nil))
				if prev, ok := seen[k]; ok {
					t.Fatalf("%s: classes %d and %d hold the same instructions", p, prev, c)
				}
				seen[k] = c
			}
		}
	}
	if built < len(set.Rules) {
		t.Fatalf("built %d automata for %d patterns, want at least one a rule", built, len(patterns))
	}
}
