package pipeline

import (
	"testing"
	"unicode"
)

// TestIsHan: IsHan answers as unicode.Is(unicode.Han, r) for every code point.
func TestIsHan(t *testing.T) {
	han := 0
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := IsHan(r), unicode.Is(unicode.Han, r); got != want {
			t.Fatalf("IsHan(%U) = %v, want %v", r, got, want)
		}
		if IsHan(r) {
			han++
		}
	}
	if han < 90000 {
		t.Errorf("only %d Han characters", han)
	}
}
