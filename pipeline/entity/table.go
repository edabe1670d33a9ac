package entity

import (
	"math/bits"
	"unicode/utf8"
)

// table finds the words of Recognizer.words (as their map does) in one visit to memory for
// most: an open-addressing hash table whose slots hold the word's text itself when it is
// short, so that a lookup reads one slot rather than a map's control bytes, its key and
// the key's bytes, three places that the segmenter's dictionary has pushed out of the
// processor's cache by the time entity recognition runs. Longer words stay in long. A slot
// holds the word's bits too (Recognizer.wordBits), which fill copies into each token: one
// visit to memory rather than two.
type table struct {
	slots []slot // a power of two, at most half full
	long  map[string]int32
	bits  []wordBits // of every word, for those of long

	// twos holds the words of two characters of the Basic Multilingual Plane again (half
	// of the tokens that are looked up), 12 bytes a slot rather than 32: a table a fifth the
	// size, which stays in the processor's cache where slots does not (findTwo).
	twos []twoSlot // a power of two, at most half full
}

// twoSlot is a word of two characters, c and c2 (both of the Basic Multilingual Plane and
// neither U+0000 nor U+FFFD), as the key c<<16 | c2; 0 for an empty slot.
type twoSlot struct {
	key uint32
	i   int32    // index in Recognizer.list
	b   wordBits // the bits of the word
}

// slotKey is the longest text a slot holds: eight characters of three bytes.
const slotKey = 24

type slot struct {
	key [slotKey]byte
	n   uint8 // bytes of key; 0 for an empty slot
	_   uint8
	b   wordBits // the bits of the word
	i   int32    // index in Recognizer.list
}

// newTable builds the table of words, bits holding the bits of every index.
func newTable(words map[string]int32, bits []wordBits) table {
	size := 16
	for size < 2*len(words) {
		size *= 2
	}
	t := table{slots: make([]slot, size), long: map[string]int32{}, bits: bits}
	twos := 0
	for s := range words {
		if _, _, ok := twoKey(s); ok {
			twos++
		}
	}
	tsize := 16
	for tsize < 2*twos {
		tsize *= 2
	}
	t.twos = make([]twoSlot, tsize)
	for s, i := range words {
		if c, c2, ok := twoKey(s); ok {
			tmask := uint32(len(t.twos) - 1)
			key := uint32(c)<<16 | uint32(c2)
			for h := hashTwo(key) & tmask; ; h = (h + 1) & tmask {
				if t.twos[h].key == 0 {
					t.twos[h] = twoSlot{key: key, i: i, b: bits[i]}
					break
				}
			}
		}
		if len(s) == 0 || len(s) > slotKey {
			t.long[s] = i
			continue
		}
		mask := uint64(len(t.slots) - 1)
		for h := hashKey(s) & mask; ; h = (h + 1) & mask {
			if t.slots[h].n == 0 {
				t.slots[h] = slot{n: uint8(len(s)), b: bits[i], i: i}
				copy(t.slots[h].key[:], s)
				break
			}
		}
	}
	return t
}

// find returns the index of s and its bits, or -1 and none.
func (t *table) find(s string) (int32, wordBits) {
	if len(s) == 0 || len(s) > slotKey {
		if i, ok := t.long[s]; ok {
			return i, t.bits[i]
		}
		return -1, 0
	}
	mask := uint64(len(t.slots) - 1)
	for h := hashKey(s) & mask; ; h = (h + 1) & mask {
		sl := &t.slots[h]
		if sl.n == 0 {
			return -1, 0
		}
		if int(sl.n) == len(s) && string(sl.key[:sl.n]) == s {
			return sl.i, sl.b
		}
	}
}

// twoKey returns the two characters of a string that is two characters of the Basic
// Multilingual Plane, other than U+0000 and U+FFFD (the character bytes that are no UTF-8
// read as): strings whose two characters are the same are then the same string.
func twoKey(s string) (c, c2 rune, ok bool) {
	c, size := utf8.DecodeRuneInString(s)
	c2, size2 := utf8.DecodeRuneInString(s[size:])
	return c, c2, size+size2 == len(s) && twoChars(c, c2)
}

// twoChars reports whether a word of the characters c and c2 may be in table.twos.
func twoChars(c, c2 rune) bool {
	return c > 0 && c2 > 0 && c < 0x10000 && c2 < 0x10000 && c != utf8.RuneError && c2 != utf8.RuneError
}

// findTwo is find for a string of the two characters c and c2 (twoChars), of which table.twos
// holds every word.
func (t *table) findTwo(c, c2 rune) (int32, wordBits) {
	key := uint32(c)<<16 | uint32(c2)
	mask := uint32(len(t.twos) - 1)
	for h := hashTwo(key) & mask; ; h = (h + 1) & mask {
		sl := &t.twos[h]
		if sl.key == key {
			return sl.i, sl.b
		}
		if sl.key == 0 {
			return -1, 0
		}
	}
}

// hashTwo scatters a key of two characters over a table's index: the high bits of a
// multiplication, turned down.
func hashTwo(key uint32) uint32 {
	h := key * 0x9E3779B1
	return h>>16 | h<<16
}

// hashKey mixes the bytes of a key eight at a time, a multiplication for each eight. Keys are
// a few characters of three bytes, for which hash/maphash's call and set-up cost more than
// the mixing. (The files are the researchers' own: no one picks keys to collide.)
func hashKey(s string) uint64 {
	h := uint64(len(s))
	for ; len(s) > 8; s = s[8:] {
		h = mix(h ^ le64(s))
	}
	// The last one to eight bytes; the two pieces of four overlap when there are fewer than
	// eight, which loses none of them.
	var last uint64
	switch n := len(s); {
	case n >= 4:
		last = uint64(le32(s)) | uint64(le32(s[n-4:]))<<32
	case n > 0:
		last = uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16
	}
	return mix(h ^ last)
}

// mix scatters the bits of x over the whole word, the low bits (a table's index) included:
// the two halves of a 128-bit product, in which every bit of x reaches the middle.
func mix(x uint64) uint64 {
	hi, lo := bits.Mul64(x, 0x9E3779B97F4A7C15)
	return hi ^ lo
}

// le64 and le32 read the first eight and four bytes of s as a little-endian number (the
// compiler makes each one load).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
