package segment

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"
	"unsafe"
)

// TestTableWalk: walks in the table of a small lexicon find each word's node with its part of
// speech and weight, a prefix's node without a word, and no node for what is no prefix.
func TestTableWalk(t *testing.T) {
	x, err := newLexicon([]entry{
		{"abc", 5, "eng"}, {"中", 50, "f"}, {"中国", 40, "ns"}, {"中国人", 10, "n"}, {"人民", 30, "n"}, {"𠮷野", 2, "nr"},
	}, 137)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s    string
		pos  string // "" for a node without a word, "none" for no node
		leaf bool
	}{
		{"中", "f", false}, {"中国", "ns", false}, {"中国人", "n", true}, {"人", "", false}, {"人民", "n", true},
		{"ab", "", false}, {"abc", "eng", true}, {"𠮷", "", false}, {"𠮷野", "nr", true},
		{"国", "none", false}, {"中国人民", "none", false}, {"中人", "none", false}, {"abcd", "none", false}, {"A", "none", false},
	} {
		node := x.table.walk(rootNode, c.s)
		got := "none"
		var s slot
		if node != noNode {
			s = x.table.slots[node]
			got = ""
			if s.pos != noWord {
				got = x.posNames[s.pos]
			}
		}
		if leaf := node != noNode && s.kids == 0; got != c.pos || leaf != c.leaf {
			t.Errorf("%q: part of speech %q, leaf %v; want %q, %v", c.s, got, leaf, c.pos, c.leaf)
		}
		if w := x.find(c.s); w >= 0 && s.dist != x.dist[w] {
			t.Errorf("%q: weight %v, want %v", c.s, s.dist, x.dist[w])
		}
	}
	if got := x.table.walk(rootNode, ""); got != rootNode {
		t.Errorf("an empty walk ends at %d, not the root", got)
	}
}

// TestTableAsTrie: for every node of the trie of gse's whole dictionary, the table finds each
// child, with its word's part of speech and weight and the bits of its own children, and finds
// no child for characters next to the children's, with the bits or with a search; every slot in
// use is a node of the trie, and the edge filter has the bits of the trie's edges and no other.
func TestTableAsTrie(t *testing.T) {
	reset()
	defer reset()
	x := loaded()
	tr := x.trie()
	tab := &x.table
	at := make([]int32, len(tr.label)) // each trie node's slot
	at[0] = rootNode
	found, misses := 0, 0
	edges := make([]uint64, len(tab.edges))
	for n := range len(tr.label) {
		isChild := map[rune]bool{}
		for c := tr.kids[n]; c < tr.kids[n+1]; c++ {
			r := tr.label[c]
			if isChild[r] {
				// Two words whose next bytes are invalid UTF-8 both read as U+FFFD there;
				// segment reaches only the first of them, as gse does (TestLexiconAsGse).
				continue
			}
			isChild[r] = true
			got := tab.child(at[n], r)
			if got == noNode {
				t.Fatalf("node %d: no child %q in the table", n, r)
			}
			want := slot{parent: at[n], r: r, pos: noWord}
			for k := tr.kids[c]; k < tr.kids[c+1]; k++ {
				want.kids |= kidBit(tr.label[k])
			}
			if w := tr.word[c]; w >= 0 {
				want.dist, want.pos = x.dist[w], x.pos[w]
			}
			if s := tab.slots[got]; s != want {
				t.Fatalf("node %d, child %q: slot %+v, want %+v", n, r, s, want)
			}
			at[c] = got
			found++
			if n > 0 {
				w, b := tab.edgeBit(at[n], r)
				edges[w] |= b
			}
		}
		for r := range isChild {
			if !isChild[r+1] {
				if got, searched := tab.child(at[n], r+1), tab.search(at[n], r+1); got != noNode || searched != noNode {
					t.Fatalf("node %d: a child %q in the table (%d, searched %d), none in the trie", n, r+1, got, searched)
				}
				misses++
			}
		}
	}
	used := 0
	for _, s := range tab.slots {
		if s.r >= 0 {
			used++
		}
	}
	if used != found || found < 300_000 {
		t.Errorf("%d slots in use, %d children found in the trie", used, found)
	}
	set := 0
	for w := range edges {
		if tab.edges[w] != edges[w] {
			t.Fatalf("edge filter word %d: %x, want %x", w, tab.edges[w], edges[w])
		}
		set += bits.OnesCount64(edges[w])
	}
	if set > len(edges)*64/8 {
		t.Errorf("%d of %d bits of the edge filter set: it filters little", set, len(edges)*64)
	}
	t.Logf("%d nodes, %d characters that are no child, %d slots", found, misses, len(tab.slots))
}

// TestRootArray: the array of the root's children holds, for every character it covers, the
// child a search of the table finds (noNode for none), for gse's dictionary and a small one.
func TestRootArray(t *testing.T) {
	reset()
	defer reset()
	small, err := newLexicon([]entry{{"abc", 5, "eng"}, {"中", 50, "f"}, {"中国", 40, "ns"}, {"𠮷野", 2, "nr"}}, 97)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x        *lexicon
		children int // at least, in the array
	}{{small, 2}, {loaded(), 5000}} {
		x, tab := c.x, &c.x.table
		if len(tab.root) != rootChars {
			t.Fatalf("a root array of %d characters, want %d", len(tab.root), rootChars)
		}
		children := 0
		for r := range rune(rootChars) {
			if got, want := tab.root[r], tab.search(rootNode, r); got != want {
				t.Fatalf("the root's child %q: %d in the array, %d in the table", r, got, want)
			}
			if tab.root[r] != noNode {
				children++
			}
		}
		if children < c.children {
			t.Errorf("%d of the root's children in the array, want at least %d", children, c.children)
		}
		// Beyond the array, child searches the table.
		if got := tab.child(rootNode, '𠮷'); x == small && (got == noNode || tab.slots[got].r != '𠮷') {
			t.Errorf("𠮷: node %d", got)
		}
	}
}

// TestSlotLayout: the cache holds slots as they lie in memory (cache.go's slotSection shares
// them on a little-endian machine), so their layout is fixed.
func TestSlotLayout(t *testing.T) {
	var s slot
	got := fmt.Sprint(unsafe.Sizeof(s), unsafe.Offsetof(s.parent), unsafe.Offsetof(s.r), unsafe.Offsetof(s.dist), unsafe.Offsetof(s.pos), unsafe.Offsetof(s.kids))
	if want := fmt.Sprint(slotSize, 0, 4, 8, 12, 14); got != want {
		t.Errorf("slot size and offsets %s, want %s", got, want)
	}
}

// TestCutUnits: runs of letters and digits of one or two bytes are one unit; any other
// character is a unit of its own; offsets in bytes and code points.
func TestCutUnits(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "0/0"},
		{"中国", "0/0中 3/1国 6/2"},
		{"iphone15手机", "0/0run 8/8手 11/9机 14/10"},
		{"a", "0/0a 1/1"},
		{"a b", "0/0a 1/1  2/2b 3/3"},
		{"café和naïve", "0/0run 5/4和 8/5run 14/10"},
		{"Ελλάδα", "0/0run 12/6"},
		{"ａｂｃ１２３", "0/0ａ 3/1ｂ 6/2ｃ 9/3１ 12/4２ 15/5３ 18/6"}, // full-width forms are 3 bytes
		{"x-19", "0/0x 1/1- 2/2run 4/4"},
		{"𠮷野", "0/0𠮷 4/1野 7/2"},
		{"\xffab\xe4\xb8", "0/0\ufffd 1/1run 3/3\ufffd 4/4\ufffd 5/5"},
		{"½和²", "0/0½ 2/1和 5/2² 7/3"}, // numbers of two bytes, one unit each as they stand alone
		{"a½", "0/0run 3/2"},
	} {
		units := cutUnits(c.text, nil)
		var b strings.Builder
		for _, u := range units[:len(units)-1] {
			r := "run"
			if u.r >= 0 {
				r = string(u.r)
			}
			fmt.Fprintf(&b, "%d/%d%s ", u.start, u.runeStart, r)
		}
		end := units[len(units)-1] // where the text ends
		fmt.Fprintf(&b, "%d/%d", end.start, end.runeStart)
		if got := b.String(); got != c.want {
			t.Errorf("%q: %s, want %s", c.text, got, c.want)
		}
	}
}
