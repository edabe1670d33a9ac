package rules

import "testing"

// BenchmarkAutomata builds the automata of every rule of the default set afresh (no cache), as
// each process does once after loading the rules: the start-up cost of the automata.
func BenchmarkAutomata(b *testing.B) {
	set, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var states int
	for range b.N {
		states = 0
		for _, r := range set.Rules {
			if d := newDFAOf(r.simple); d != nil {
				states += len(d.match)
			}
			if r.rejectBefore != nil {
				if d := buildDFA(r.rejectBefore.String(), true); d != nil {
					states += len(d.match)
				}
			}
			if r.rejectAfter != nil {
				if d := buildDFA(r.rejectAfter.String(), true); d != nil {
					states += len(d.match)
				}
			}
		}
	}
	b.ReportMetric(float64(states), "states")
}
