package rules

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
	"unsafe"
)

// A match's groups and their normalisation depend on its text, its rule and (for a normaliser
// that reads it, normalizer.context) the context alone, and figures repeat (12, 1998年, 3月):
// a Matcher remembers what each came to in a matchMemo. It is a table of memoSlots in sets of
// two, the set chosen by a hash of rule and text: a new entry takes the first slot of its set
// and pushes what was there to the second, forgetting what the second held (the table forgets
// what came before rather than stopping to learn, as a figure seen once a page is likelier to
// recur there than one of the first pages of a run). The texts are
// copied end to end into one buffer, so that an entry costs no allocation and does not hold
// the document's text (a unit cut from the match is copied: put); once that buffer is full,
// the table starts again empty.

// memoSlots is the number of slots of a matchMemo (a power of two, at least 2); memoTextBytes
// how many bytes of match text it keeps before it starts again. About 2.5 MiB a Matcher,
// together. Over the corpus pages a Matcher normalises 14,667 distinct matches; with one slot
// a hash, 8,192 slots and 128 KiB of text it normalised 21,128 times (matches seen before were
// pushed out by others, or forgotten when the text filled up), now 16,529.
const (
	memoSlots     = 1 << 14
	memoTextBytes = 1 << 18
)

// matchMemo is what a Matcher remembers of matches; its zero value is ready.
type matchMemo struct {
	// size and textBytes are memoSlots and memoTextBytes unless set (by tests, to make the
	// table forget often) before the first use.
	size, textBytes int
	slots           []memoSlot
	texts           []byte // the slots' match texts
	gen             uint32 // a slot of another generation is empty
	seed            maphash.Seed
}

// memoSlot is one remembered match: rule r's match text texts[off:off+n], under the reference
// date ref when r's normaliser reads it ("" otherwise).
type memoSlot struct {
	rule   *Rule
	gen    uint32
	off, n uint32
	ref    string
	memoResult
}

// memoResult is a match's outcome: where its figure begins (CoreStart) from the match's
// start, whether it normalised, and to what (Value and ValueMax as numbers, so that the entry
// shares no pointer with a candidate).
type memoResult struct {
	core          int32
	ok            bool
	hasV, hasMax  bool
	value, max    float64
	unit, qual    string
	date, dateEnd string
}

// memoIDs numbers rules for the memo's hash: a rule's number is set when its automata are
// built (Rule.automata).
var memoIDs atomic.Uint64

// hash returns the hash of rule r's match text, which chooses its set of slots.
func (mm *matchMemo) hash(r *Rule, text string) uint64 {
	if mm.slots == nil {
		if mm.size == 0 {
			mm.size, mm.textBytes = memoSlots, memoTextBytes
		}
		mm.slots = make([]memoSlot, mm.size)
		mm.texts = make([]byte, 0, mm.textBytes)
		mm.seed = maphash.MakeSeed()
		mm.gen = 1
	}
	h := maphash.String(mm.seed, text) ^ r.memoID*0x9e3779b97f4a7c15
	h ^= h >> 29
	return h
}

// set returns the two slots of hash h.
func (mm *matchMemo) set(h uint64) []memoSlot {
	b := h & uint64(mm.size-1) &^ 1
	return mm.slots[b : b+2 : b+2]
}

// find returns the slot that remembers rule r's match text under ref, or nil; h is the text's
// hash.
func (mm *matchMemo) find(h uint64, r *Rule, text, ref string) *memoSlot {
	set := mm.set(h)
	for i := range set {
		if mm.holds(&set[i], r, text, ref) {
			return &set[i]
		}
	}
	return nil
}

// holds reports whether slot s remembers rule r's match text under ref.
func (mm *matchMemo) holds(s *memoSlot, r *Rule, text, ref string) bool {
	return s.gen == mm.gen && s.rule == r && s.ref == ref && string(mm.texts[s.off:s.off+s.n]) == text
}

// put makes the memory remember that rule r's match text, of hash h, came to res under ref,
// and returns the slot that does (nil when the text is too long to remember).
func (mm *matchMemo) put(h uint64, r *Rule, text, ref string, res memoResult) *memoSlot {
	if len(text) > mm.textBytes/64 {
		return nil // a match as long as a line is not worth a sixty-fourth of the memory
	}
	if len(mm.texts)+len(text) > mm.textBytes {
		mm.texts = mm.texts[:0]
		if mm.gen++; mm.gen == 0 { // wrapped: the oldest slots would look current
			clear(mm.slots)
			mm.gen = 1
		}
	}
	// A rule without a unit of its own gives its unit group's text, a piece of the match and
	// so of the document: a copy, so that the slot does not keep the document alive after it.
	// (A rule's own unit and a unit map's are constants, the qualifier too; dates are built.)
	if within(res.unit, text) {
		res.unit = strings.Clone(res.unit)
	}
	set := mm.set(h)
	set[1] = set[0]
	set[0] = memoSlot{rule: r, gen: mm.gen, off: uint32(len(mm.texts)), n: uint32(len(text)), ref: ref, memoResult: res}
	mm.texts = append(mm.texts, text...)
	return &set[0]
}

// within reports whether s lies in the memory of t.
func within(s, t string) bool {
	if s == "" || t == "" {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(t)))
	return p >= lo && p < lo+uintptr(len(t))
}

// remember returns what Result res comes to in a memoResult.
func remember(core int, ok bool, res Result) memoResult {
	m := memoResult{core: int32(core), ok: ok, unit: res.Unit, qual: res.Qualifier, date: res.Date, dateEnd: res.DateEnd}
	if res.Value != nil {
		m.hasV, m.value = true, *res.Value
	}
	if res.ValueMax != nil {
		m.hasMax, m.max = true, *res.ValueMax
	}
	return m
}

// result returns the Result m remembers, with a Value and ValueMax of its own.
func (m *memoResult) result() Result {
	res := Result{Unit: m.unit, Qualifier: m.qual, Date: m.date, DateEnd: m.dateEnd}
	if m.hasV {
		v := m.value
		res.Value = &v
	}
	if m.hasMax {
		v := m.max
		res.ValueMax = &v
	}
	return res
}
