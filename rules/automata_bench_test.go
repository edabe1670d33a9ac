package rules

import "testing"

// BenchmarkAutomata builds the automata of every rule of the default set afresh (no cache): what
// writing automata.bin costs, and what a process pays once for the automata of rules the file
// lacks (a researcher's own).
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
			if r.RejectBefore != "" {
				if d := contextDFA(r.RejectBefore, true); d != nil {
					states += len(d.match)
				}
			}
			if r.RejectAfter != "" {
				if d := contextDFA(r.RejectAfter, false); d != nil {
					states += len(d.match)
				}
			}
		}
	}
	b.ReportMetric(float64(states), "states")
}

// BenchmarkStartup is what the rules cost a process before its first match: loading the
// default set, its Filter, and the automata of every rule and reject pattern, decoded from
// automata.bin as a process gets them (each afresh, without the process's cache).
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		set, err := Default()
		if err != nil {
			b.Fatal(err)
		}
		set.Filter()
		for _, r := range set.Rules {
			keys := []string{automatonKey('a', r.expanded)}
			if r.RejectBefore != "" {
				keys = append(keys, automatonKey('b', r.RejectBefore))
			}
			if r.RejectAfter != "" {
				keys = append(keys, automatonKey('f', r.RejectAfter))
			}
			for _, k := range keys {
				if _, ok := prebuiltDFA(k); !ok {
					b.Fatalf("automata.bin lacks %.60q", k)
				}
			}
		}
	}
}
