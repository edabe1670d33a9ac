package entity

import "math/bits"

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
	for s, i := range words {
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
