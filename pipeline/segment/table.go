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
// at most half full, so a search for a character that is not there soon meets an empty slot,
// and a node without children says so, which spares the walk a search that must fail. For
// gse's simplified-Chinese dictionary it has 2²⁰ slots, 16 MB; it is built when the words
// are (newLexicon) and stored in the cache as it is.
type table struct {
	slots []slot
	shift uint // 64 − log2(len(slots)): a hash's top bits are a slot's index
}

// A slot is a node of the trie, or empty (r < 0). Its layout is the cache file's
// (TestSlotLayout).
type slot struct {
	parent int32   // the node it is a child of: rootNode or a slot's index
	r      rune    // the character that leads to it from parent; -1 for an empty slot
	dist   float32 // the path weight of the word the node completes
	pos    uint16  // that word's part of speech, an index into posNames; noWord for no word
	leaf   bool    // the node has no children
	_      uint8
}

const (
	rootNode  int32  = -1                 // the root's node number: no slot's index
	noNode    int32  = -2                 // what child returns when there is no child
	noWord    uint16 = 1<<16 - 1          // a slot's pos when its node completes no word
	slotSize         = 16                 // bytes of a slot, in memory and in the cache
	fibonacci        = 0x9E3779B97F4A7C15 // 2⁶⁴/φ, odd: multiplying by it spreads keys over the top bits
)

// home is the slot where the search for parent's child r starts (Fibonacci hashing).
func (t *table) home(parent int32, r rune) int {
	key := uint64(uint32(parent))<<32 | uint64(uint32(r))
	return int((key * fibonacci) >> t.shift)
}

// child returns node's child for character r, or noNode when there is none.
func (t *table) child(node int32, r rune) int32 {
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
		if node >= 0 && t.slots[node].leaf {
			return noNode
		}
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
	t := table{slots: make([]slot, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
	for i := range t.slots {
		t.slots[i].r = -1
	}
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
			s := slot{parent: at[n], r: r, pos: noWord, leaf: tr.kids[c] == tr.kids[c+1]}
			if w := tr.word[c]; w >= 0 {
				s.dist, s.pos = dist[w], pos[w]
			}
			t.slots[i] = s
			at[c] = int32(i)
		}
	}
	return t
}

// tableOf returns the table of slots read from a cache.
func tableOf(slots []slot) table {
	return table{slots: slots, shift: uint(64 - bits.TrailingZeros(uint(len(slots))))}
}
