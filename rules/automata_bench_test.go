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
				if d := contextDFA(r.rejectBefore.String(), true); d != nil {
					states += len(d.match)
				}
			}
			if r.rejectAfter != nil {
				if d := contextDFA(r.rejectAfter.String(), false); d != nil {
					states += len(d.match)
				}
			}
		}
	}
	b.ReportMetric(float64(states), "states")
}

// BenchmarkStartup is what the rules cost a process before its first match: loading the
// default set, its Filter, and the automata of every rule and reject pattern (afresh).
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		set, err := Default()
		if err != nil {
			b.Fatal(err)
		}
		set.Filter()
		for _, r := range set.Rules {
			newDFAOf(r.simple)
			if r.rejectBefore != nil {
				contextDFA(r.rejectBefore.String(), true)
			}
			if r.rejectAfter != nil {
				contextDFA(r.rejectAfter.String(), false)
			}
		}
	}
}
