package entity

import (
	"sync"

	"github.com/newsfacts/newsfacts/pipeline"
)

// scratch is the memory Stage works in for one document: the sentences, the tokens of every
// sentence (one slice for the document, each sentence a piece of it), the candidates, the
// accepted entities and the maps that count and find names across the document. Nothing of
// it outlives Stage (entities are copied into the document), so a pool hands it from one
// document to the next: a run allocates it a few times rather than once per sentence, and
// the garbage collector has that much less to do.
type scratch struct {
	sents    []sentence
	toks     []tok
	cs       []cand
	order    []candKey // the candidates' order (resolve)
	accepted []found
	taken    spans
	breaks   breaks
	seen     map[string]int   // the texts of person candidates that need a second mention, counted (Stage)
	names    map[string]known // the document's names and their prefixes (document)
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// pooledToks is the most tokens a scratch keeps when it goes back to the pool: one archive
// in one document must not hold its memory for the rest of the run. A newspaper page has
// about four thousand (at most seven in ../shared/corpus), so thirty pages in one file
// still reuse their scratch.
const pooledToks = 1 << 17

// pooledSpans is the longest document (in code points) whose taken spans a scratch keeps:
// a range of a long document would otherwise hand back flags for all of its text.
const pooledSpans = 1 << 22

// sentences prepares the sentences of a document; fill completes each. Sentence i's tokens
// are a piece of sc.toks, which fill writes whole: nothing needs clearing before.
func (sc *scratch) sentences(ss []pipeline.Sentence) []sentence {
	n := 0
	for i := range ss {
		n += len(ss[i].Tokens)
	}
	if cap(sc.toks) < n {
		sc.toks = make([]tok, n)
	}
	if cap(sc.sents) < len(ss) {
		sc.sents = make([]sentence, len(ss))
	}
	toks, sents := sc.toks[:n], sc.sents[:len(ss)]
	at := 0 // the first token of the next sentence in toks
	for i := range ss {
		k := len(ss[i].Tokens)
		// A sentence keeps its slice of person candidates from the last document: they
		// point nowhere (their rules are constants), and most sentences have a few.
		sents[i] = sentence{Sentence: &ss[i], toks: toks[at : at+k : at+k], persons: sents[i].persons[:0]}
		at += k
	}
	return sents
}

// spans returns the spans of a document of n code points, none taken.
func (sc *scratch) spans(n int) *spans {
	if cap(sc.taken.taken) < n {
		sc.taken.taken = make([]bool, n)
	}
	sc.taken.taken = sc.taken.taken[:n]
	clear(sc.taken.taken)
	return &sc.taken
}

// release clears what points into the document (its texts, sentences) and puts sc
// back in the pool; a document of more than pooledToks tokens leaves nothing in it.
func (sc *scratch) release(sents []sentence) {
	if cap(sc.toks) > pooledToks || cap(sc.taken.taken) > pooledSpans || cap(sc.breaks) > pooledToks {
		*sc = scratch{}
		scratchPool.Put(sc)
		return
	}
	// The tokens hold no pointers (fill writes each whole): nothing to clear.
	for i := range sents {
		sents[i] = sentence{persons: sents[i].persons[:0]}
	}
	clear(sc.cs[:cap(sc.cs)]) // a sentence's candidates: a few dozen
	clear(sc.accepted)
	sc.cs, sc.accepted = sc.cs[:0], sc.accepted[:0]
	clear(sc.seen)
	clear(sc.names)
	scratchPool.Put(sc)
}
