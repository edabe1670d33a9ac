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
// Three shortcuts spare most walks a look into the table that would miss the processor's
// caches (most walks end on a character that is no child: a search bound to fail):
//   - the root's children, the first step of every walk, are also in an array indexed by
//     character (root, 256 KB);
//   - each slot has a bit for every character of its node's children (kidBit: 16 bits, so some
//     characters share one): a character whose bit is not set is no child, and a node without
//     children has none set. It is in the slot just read, so it costs nothing; it tells most
//     nodes deep in the trie, which have a child or two, from the others;
//   - a filter of a bit per (node, character) of every child but the root's (edges, 512 KB,
//     which unlike the slots stay in the processor's caches) turns away nine in ten of the
//     characters that pass the slot's bits but are no child: mostly the second character of
//     a walk, whose node, a common character, has hundreds of children.
//
// root and edges are made from the slots when the table is built (derive), and stored in the
// cache with them: made at every start they took about 10 ms.
type table struct {
	slots     []slot
	shift     uint     // 64 − log2(len(slots)): a hash's top bits are a slot's index
	root      []int32  // the root's child for each character below rootChars, or noNode
	edges     []uint64 // edgesPerSlot bits a slot: a bit set at edgeBit(parent, character) of every child
	edgeShift uint     // 64 − log2(the bits of edges)
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
	rootNode     int32  = -1                 // the root's node number: no slot's index
	noNode       int32  = -2                 // what child returns when there is no child
	noWord       uint16 = 1<<16 - 1          // a slot's pos when its node completes no word
	slotSize            = 16                 // bytes of a slot, in memory and in the cache
	rootChars           = 0x10000            // the root's children in table.root: the Basic Multilingual Plane
	edgesPerSlot        = 4                  // bits of table.edges for each slot: 8 or more for each child
	edgeHash            = 0xD6E8FEB86659FD93 // odd, another multiplier than home's, so that the bits are not the slots'
	fibonacci           = 0x9E3779B97F4A7C15 // 2⁶⁴/φ, odd: multiplying by it spreads keys over the top bits
)

// edgeKey is parent's child r as one number, which home and edgeBit hash.
func edgeKey(parent int32, r rune) uint64 {
	return uint64(uint32(parent))<<32 | uint64(uint32(r))
}

// home is the slot where the search for parent's child r starts (Fibonacci hashing).
func (t *table) home(parent int32, r rune) int {
	return int((edgeKey(parent, r) * fibonacci) >> t.shift)
}

// kidBit is the bit of character r in a slot's kids: its low four bits, which over the
// corpus's walks turn away as many characters as a hash of them does.
func kidBit(r rune) uint16 { return 1 << (r & 15) }

// edgeBit is the word of t.edges and the bit in it of parent's child r.
func (t *table) edgeBit(parent int32, r rune) (word int, bit uint64) {
	h := (edgeKey(parent, r) * edgeHash) >> t.edgeShift
	return int(h >> 6), 1 << (h & 63)
}

// edgeWords is the number of words of the edge filter of a table of n slots.
func edgeWords(n int) int { return max(1, n*edgesPerSlot/64) }

// child returns node's child for character r, or noNode when there is none.
func (t *table) child(node int32, r rune) int32 {
	if node == rootNode {
		if uint32(r) < rootChars {
			return t.root[r]
		}
	} else if !t.mayHave(node, t.slots[node].kids, r) {
		return noNode
	}
	return t.search(node, r)
}

// mayHave reports whether node, a slot whose kids the caller has read, may have a child r:
// false when the slot's bits or the edge filter say it has none.
func (t *table) mayHave(node int32, kids uint16, r rune) bool {
	if kids&kidBit(r) == 0 {
		return false
	}
	w, b := t.edgeBit(node, r)
	return t.edges[w]&b != 0
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
	t := table{slots: slots, shift: shiftOf(size)}
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
	t.derive()
	return t
}

// tableOf returns the table of slots, root array and edge filter read from a cache.
func tableOf(slots []slot, root []int32, edges []uint64) table {
	return table{slots: slots, shift: shiftOf(len(slots)), root: root, edges: edges, edgeShift: shiftOf(len(edges) * 64)}
}

// shiftOf is 64 − log2(n), n a power of two: the shift that takes log2(n) top bits of a hash.
func shiftOf(n int) uint {
	return uint(64 - bits.TrailingZeros(uint(n)))
}

// derive makes t's root array and edge filter from its slots.
func (t *table) derive() {
	t.root = make([]int32, rootChars)
	for i := range t.root {
		t.root[i] = noNode
	}
	t.edges = make([]uint64, edgeWords(len(t.slots)))
	t.edgeShift = shiftOf(len(t.edges) * 64)
	for i, s := range t.slots {
		switch {
		case s.r < 0: // empty
		case s.parent != rootNode:
			w, b := t.edgeBit(s.parent, s.r)
			t.edges[w] |= b
		case s.r < rootChars:
			t.root[s.r] = int32(i)
		}
	}
}
