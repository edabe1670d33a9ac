package entity

import "hash/maphash"

// table finds the words of Recognizer.words (as their map does) in one visit to memory for
// most: an open-addressing hash table whose slots hold the word's text itself when it is
// short, so that a lookup reads one slot rather than a map's control bytes, its key and
// the key's bytes, three places that the segmenter's dictionary has pushed out of the
// processor's cache by the time entity recognition runs. Longer words stay in long.
type table struct {
	seed  maphash.Seed
	slots []slot // a power of two, at most half full
	long  map[string]int32
}

// slotKey is the longest text a slot holds: eight characters of three bytes.
const slotKey = 26

type slot struct {
	key [slotKey]byte
	n   uint8 // bytes of key; 0 for an empty slot
	_   uint8
	i   int32 // index in Recognizer.list
}

func newTable(words map[string]int32) table {
	size := 16
	for size < 2*len(words) {
		size *= 2
	}
	t := table{seed: maphash.MakeSeed(), slots: make([]slot, size), long: map[string]int32{}}
	for s, i := range words {
		if len(s) == 0 || len(s) > slotKey {
			t.long[s] = i
			continue
		}
		mask := uint64(len(t.slots) - 1)
		for h := maphash.String(t.seed, s) & mask; ; h = (h + 1) & mask {
			if t.slots[h].n == 0 {
				t.slots[h] = slot{n: uint8(len(s)), i: i}
				copy(t.slots[h].key[:], s)
				break
			}
		}
	}
	return t
}

// find returns the index of s, or -1.
func (t *table) find(s string) int32 {
	if len(s) == 0 || len(s) > slotKey {
		if i, ok := t.long[s]; ok {
			return i
		}
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for h := maphash.String(t.seed, s) & mask; ; h = (h + 1) & mask {
		sl := &t.slots[h]
		if sl.n == 0 {
			return -1
		}
		if int(sl.n) == len(s) && string(sl.key[:sl.n]) == s {
			return sl.i
		}
	}
}
