package segment

import (
	"math/bits"

	"github.com/newsfacts/newsfacts/pipeline"
)

// A table is the trie of a lexicon's words in the form segment walks: an open-addressing hash
// table of the trie's nodes, each in the slot its parent and its character hash to (or the
// next free one after it), holding the word the node completes: its path weight and part of
// speech. A step of a walk is then one hash and nearly always one cache line, where a trie of
// sorted children took a binary search over one array and a look into two more for the word
// and its weight; those cache misses were most of segmentation's time.
//
// A node is known by its slot's index; the root, which has no slot, is rootNode. The table is
// at most half full, so a search for a character that is not there soon meets an empty slot.
// For gse's simplified-Chinese dictionary it has 2²⁰ slots, 16 MB; it is built when the words
// are (newLexicon) and stored in the cache as it is.
//
// Two shortcuts spare most walks a look into the table that would miss the processor's
// caches. The root's children, the first step of every walk, are also in an array indexed by
// character (root). And each slot has a bit for every character of its node's children
// (kidBit: 16 bits, so some characters share one): a character whose bit is not set is no
// child, without a search, and a node without children has none set.
type table struct {
	slots []slot
	shift uint    // 64 − log2(len(slots)): a hash's top bits are a slot's index
	root  []int32 // the root's child for each character below rootChars, or noNode
}

// A slot is a node of the trie, or empty (r < 0). Its layout is the cache file's
// (TestSlotLayout).
type slot struct {
	parent int32   // the node it is a child of: rootNode or a slot's index
	r      rune    // the character that leads to it from parent; -1 for an empty slot
	dist   float32 // the path weight of the word the node completes
	pos    uint16  // that word's part of speech, an index into posNames; noWord for no word
	kids   uint16  // the kidBit of each of the node's children, or-ed; 0 when it has none
}

const (
	rootNode  int32  = -1                 // the root's node number: no slot's index
	noNode    int32  = -2                 // what child returns when there is no child
	noWord    uint16 = 1<<16 - 1          // a slot's pos when its node completes no word
	slotSize         = 16                 // bytes of a slot, in memory and in the cache
	rootChars        = 0x10000            // the root's children in table.root: the Basic Multilingual Plane
	fibonacci        = 0x9E3779B97F4A7C15 // 2⁶⁴/φ, odd: multiplying by it spreads keys over the top bits
)

// home is the slot where the search for parent's child r starts (Fibonacci hashing).
func (t *table) home(parent int32, r rune) int {
	key := uint64(uint32(parent))<<32 | uint64(uint32(r))
	return int((key * fibonacci) >> t.shift)
}

// kidBit is the bit of character r in a slot's kids: its low four bits, which spread the
// children of a node over the 16 bits about as well as a hash (Han characters are numbered in
// the order of their radicals and strokes, not of their use).
func kidBit(r rune) uint16 { return 1 << (r & 15) }

// child returns node's child for character r, or noNode when there is none.
func (t *table) child(node int32, r rune) int32 {
	if node == rootNode {
		if uint32(r) < rootChars {
			return t.root[r]
		}
	} else if t.slots[node].kids&kidBit(r) == 0 {
		return noNode
	}
	return t.search(node, r)
}

// search looks for node's child r in the slots, from its home to the first empty slot.
func (t *table) search(node int32, r rune) int32 {
	mask := len(t.slots) - 1
	for i := t.home(node, r); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.r == r && s.parent == node {
			return int32(i)
		}
		if s.r < 0 {
			return noNode
		}
	}
}

// walk follows the characters of s from node; noNode when a character has no child.
func (t *table) walk(node int32, s string) int32 {
	for i := 0; i < len(s); {
		r, size := pipeline.DecodeRune(s[i:])
		if node = t.child(node, r); node == noNode {
			return noNode
		}
		i += size
	}
	return node
}

// newTable builds the table of trie tr, whose words have the path weights dist and the parts
// of speech pos.
func newTable(tr *trie, dist []float32, pos []uint16) table {
	nodes := len(tr.label)
	// Room for twice the nodes but the root, in a power of two.
	size := 1 << bits.Len(uint(2*max(nodes-1, 1)-1))
	slots := make([]slot, size)
	for i := range slots {
		slots[i].r = -1
	}
	t := table{slots: slots, shift: uint(64 - bits.TrailingZeros(uint(size)))}
	mask := size - 1
	// The trie's nodes are numbered level by level, so a node's slot is known before its
	// children are placed.
	at := make([]int32, nodes) // the slot of every trie node
	at[0] = rootNode
	for n := range nodes {
		for c := tr.kids[n]; c < tr.kids[n+1]; c++ {
			r := tr.label[c]
			i := t.home(at[n], r)
			for t.slots[i].r >= 0 {
				i = (i + 1) & mask
			}
			s := slot{parent: at[n], r: r, pos: noWord}
			if w := tr.word[c]; w >= 0 {
				s.dist, s.pos = dist[w], pos[w]
			}
			t.slots[i] = s
			at[c] = int32(i)
			if n > 0 {
				t.slots[at[n]].kids |= kidBit(r)
			}
		}
	}
	t.root = rootArray(t.slots)
	return t
}

// tableOf returns the table of slots read from a cache.
func tableOf(slots []slot) table {
	return table{slots: slots, shift: uint(64 - bits.TrailingZeros(uint(len(slots)))), root: rootArray(slots)}
}

// rootArray returns the array of the root's children below rootChars (table.root).
func rootArray(slots []slot) []int32 {
	root := make([]int32, rootChars)
	for i := range root {
		root[i] = noNode
	}
	for i, s := range slots {
		if s.parent == rootNode && 0 <= s.r && s.r < rootChars {
			root[s.r] = int32(i)
		}
	}
	return root
}
