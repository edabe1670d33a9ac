package rules

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
)

// defaultAutomatonKeys returns the keys of every automaton of the default set, sorted.
func defaultAutomatonKeys(t testing.TB) []string {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range set.Rules {
		keys = append(keys, automatonKey('a', r.expanded))
		if r.RejectBefore != "" {
			keys = append(keys, automatonKey('b', r.RejectBefore))
		}
		if r.RejectAfter != "" {
			keys = append(keys, automatonKey('f', r.RejectAfter))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// TestPrebuiltAutomata checks that automata.bin is for the code in force, holds every automaton
// of the default set, and that each equals a fresh build; with -update it writes the file.
func TestPrebuiltAutomata(t *testing.T) {
	keys := defaultAutomatonKeys(t)
	if *update {
		if err := os.WriteFile("automata.bin", writePrebuilt(keys), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote automata.bin: %d automata; build the binary again to embed it", len(keys))
		return
	}
	const again = "; write it again: go test ./rules -run TestPrebuiltAutomata -update"
	entries, err := readPrebuilt(prebuiltFile)
	if err != nil {
		t.Fatalf("%v%s", err, again)
	}
	for _, k := range keys {
		if _, ok := entries[k]; !ok {
			t.Errorf("automata.bin lacks the automaton of %.60q%s", k, again)
		}
	}
	if len(entries) != len(keys) {
		t.Errorf("automata.bin holds %d automata, the default set has %d%s", len(entries), len(keys), again)
	}
	nils := 0
	for k, e := range entries {
		got, err := decodeDFA(e)
		if err != nil {
			t.Fatalf("%.60q: %v", k, err)
		}
		want := buildAutomatonFor(k)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%.60q: the automaton automata.bin holds differs from a fresh build%s", k, again)
		}
		if got == nil {
			nils++
		}
		if d, ok := prebuiltDFA(k); !ok || !reflect.DeepEqual(d, want) {
			t.Errorf("%.60q: prebuiltDFA = %v, %v", k, d != nil, ok)
		}
	}
	if nils == len(entries) {
		t.Error("every automaton of automata.bin is nil")
	}
}

// TestPrebuiltRoundTrip encodes and decodes automata of every shape: a rule's, a searching
// context's, a reversed one, an edge, and none.
func TestPrebuiltRoundTrip(t *testing.T) {
	for _, key := range []string{
		automatonKey('a', `(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<unit>万?元)`),
		automatonKey('b', `[0-9]$`),                  // edge
		automatonKey('b', `(?:第|约)[0-9]*$`),          // reversed
		automatonKey('f', `^(?:年|月)`),                // forwards
		automatonKey('f', `倍`),                       // searching
		automatonKey('a', `\bx`),                     // none: an assertion
		automatonKey('a', `(?i)Km|[α-ω]+|\x{10000}`), // folds, and a rune outside the BMP
	} {
		want := buildAutomatonFor(key)
		got, err := decodeDFA(string(encodeDFA(want)))
		if err != nil {
			t.Fatalf("%q: %v", key, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: decoded automaton differs from the one encoded", key)
		}
		if (key == automatonKey('a', `\bx`)) != (want == nil) {
			t.Errorf("%q: built %v", key, want != nil)
		}
	}
}

// TestPrebuiltRefused: a file for other code, truncated or corrupt is refused, never read.
func TestPrebuiltRefused(t *testing.T) {
	good := string(writePrebuilt([]string{automatonKey('a', `[0-9]+元`), automatonKey('f', `^年`)}))
	entries, err := readPrebuilt(good)
	if err != nil || len(entries) != 2 {
		t.Fatalf("readPrebuilt(good) = %d entries, %v", len(entries), err)
	}
	hashAt := len(prebuiltMagic) + 1
	stale := good[:hashAt] + "x" + good[hashAt+1:]
	if _, err := readPrebuilt(stale); !errors.Is(err, errStale) {
		t.Errorf("a file of other code: %v, want errStale", err)
	}
	for n := 0; n < len(good); n += 7 {
		if _, err := readPrebuilt(good[:n]); err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
	// A count of entries no file could hold is refused at once, not read entry by entry.
	countAt := hashAt + 32
	huge := good[:countAt] + "\xff\xff\xff\xff\xff\x0f" + good[countAt+1:]
	if _, err := readPrebuilt(huge); err == nil {
		t.Error("a file claiming 2^39 entries: no error")
	}
	for k, e := range entries {
		for n := 1; n < len(e); n += 5 {
			if d, err := decodeDFA(e[:n]); err == nil {
				t.Errorf("%q truncated to %d bytes: no error (%v)", k, n, d != nil)
			}
		}
	}
}
