package pipeline

import "unicode"

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
