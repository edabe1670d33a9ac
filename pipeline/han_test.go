package pipeline

import (
	"testing"
	"unicode"
	"unicode/utf8"
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

// TestDecodeRune: DecodeRune reads every one-, two- and three-byte string, every such prefix of
// a longer one, and four-byte characters, as utf8.DecodeRuneInString does: the characters
// UTF-8 allows, and the overlong forms, surrogates and cut sequences it does not.
func TestDecodeRune(t *testing.T) {
	check := func(s string) {
		t.Helper()
		r, size := DecodeRune(s)
		if wr, wsize := utf8.DecodeRuneInString(s); r != wr || size != wsize {
			t.Fatalf("DecodeRune(% x) = %U, %d; want %U, %d", s, r, size, wr, wsize)
		}
	}
	b := make([]byte, 4)
	for c0 := range 256 {
		for c1 := range 256 {
			for c2 := range 256 {
				b[0], b[1], b[2], b[3] = byte(c0), byte(c1), byte(c2), 0x80
				for n := 1; n <= 4; n++ {
					check(string(b[:n]))
				}
			}
		}
	}
	for _, s := range []string{"", "𠀀", "😀a", "\xf0\x9f\x98", "·"} {
		check(s)
	}
}

func TestIsDigit(t *testing.T) {
	for r, want := range map[rune]bool{'0': true, '9': true, '０': true, '９': true, 'a': false, '/': false, ':': false, '〇': false, '五': false, '٣': false} {
		if got := IsDigit(r); got != want {
			t.Errorf("IsDigit(%q) = %v, want %v", r, got, want)
		}
	}
}
