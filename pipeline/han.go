package pipeline

import (
	"unicode"
	"unicode/utf8"
)

// hanBMP holds, for every code point of the Basic Multilingual Plane, whether it is a Han
// character: stages ask for each character of the text, and a bit is cheaper than searching
// unicode.Han's ranges.
var hanBMP = func() *[1 << 16 / 64]uint64 {
	var set [1 << 16 / 64]uint64
	for r := rune(0); r < 1<<16; r++ {
		if unicode.Is(unicode.Han, r) {
			set[r>>6] |= 1 << (r & 63)
		}
	}
	return &set
}()

// IsHan reports whether r is a Han character, as unicode.Is(unicode.Han, r) does.
func IsHan(r rune) bool {
	if r >= 0 && r < 1<<16 {
		return hanBMP[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.Is(unicode.Han, r)
}

// IsDigit reports whether r is an ASCII or a full-width digit (0–9, ０–９).
func IsDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// DecodeRune is utf8.DecodeRuneInString with shortcuts for ASCII and for the three-byte
// sequences of most Han characters (lead bytes E1–EC and EE–EF, whose second byte may be any
// continuation byte; E0 and ED have narrower rules and take the long way): the stages that
// read a text character by character spend much of their time decoding.
func DecodeRune(s string) (rune, int) {
	if len(s) == 0 {
		return utf8.RuneError, 0
	}
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xE1 && c <= 0xEF && c != 0xED && len(s) >= 3 {
		if c1, c2 := s[1], s[2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s)
}
