package entity

import "unicode/utf8"

// document recognises, across the whole document, the names its sentences recognised once:
// a name recurs where the sentence alone gave no reason to read it as one (a two-character
// name with no title beside it), and an organisation recurs under a short form (博哥文化 for
// 温岭博哥文化传媒有限公司, 利欧 for 利欧股份), which carries the full name in Normalized.
//
// names, empty, is the map document fills with the names and their prefixes, so that a span
// that starts no name ends the search for longer ones. Spans end where tokens end: on a
// character's boundary when every token is UTF-8, else on any byte.
func (r *Recognizer) document(sents []sentence, fs []found, taken *spans, names map[string]known) []found {
	// firsts holds the first characters of the keys of names: a text that starts with
	// none of them is no key, and most tokens are turned away here without a lookup.
	var firsts runeSet
	// shapes holds the shapes of the keys (keyShapes), when every sentence is UTF-8.
	var shapes keyShapes
	valid := true
	for si := range sents {
		valid = valid && !sents[si].invalid
	}
	longest := 0
	addPrefix := func(p string) {
		k := names[p]
		k.prefix = true
		names[p] = k
		firsts.add(firstRune(p))
	}
	addName := func(text string, k known) {
		if old := names[text]; !old.name {
			k.name, k.prefix = true, old.prefix
			names[text] = k
			firsts.add(firstRune(text))
			longest = max(longest, utf8.RuneCountInString(text))
			if !valid {
				for b := 1; b < len(text); b++ {
					addPrefix(text[:b])
				}
				return
			}
			shapes.addKey(text)
			for b := range text {
				if b > 0 {
					addPrefix(text[:b])
				}
			}
		}
	}
	for i, f := range fs {
		if utf8.RuneCountInString(f.text) < 2 {
			continue
		}
		addName(f.text, known{from: int32(i)})
	}
	for i, f := range fs {
		if f.kind != Organization {
			continue
		}
		// An organisation named again has the short forms of its first mention, which
		// are names already (addName keeps the first).
		if k := names[f.text]; k.shortened {
			continue
		} else if k.name {
			k.shortened = true
			names[f.text] = k
		}
		for _, v := range r.shortForms(f.text) {
			addName(v, known{from: int32(i), short: true})
		}
	}
	if len(names) == 0 {
		return fs
	}
	for si := range sents {
		s := &sents[si]
		for i := 0; i < len(s.toks); i++ {
			// Texts from token i start with its first character, which fill read, when
			// the token is not empty and the sentence is UTF-8 (a character cut in two
			// tokens would be read whole from both).
			whole := !s.invalid && s.toks[i].n() != 0 // (a token of no character has no text)
			if whole && !firsts.has(s.toks[i].first) {
				continue // no name, nor the start of one
			}
			// A name that starts at token i starts with its word, which is then a key.
			if t := &s.toks[i]; whole && valid && !shapes.has(t.first, t.last, t.n()) {
				continue // its word is no name, nor the start of one
			}
			n := 0
			best := -1
			var bestK known
			for j := i + 1; j <= len(s.toks); j++ {
				if j > i+1 && !s.adjacent(j-2, j-1) {
					break
				}
				n += int(s.toks[j-1].n())
				if n > longest {
					break
				}
				text := s.text(i, j)
				if text == "" {
					continue // an empty token
				}
				if !whole && !firsts.has(firstRune(text)) {
					break // no name, nor the start of one
				}
				k := names[text]
				if k.name {
					best, bestK = j, k
				}
				if !k.prefix {
					break
				}
			}
			if best < 0 {
				continue
			}
			start, end := int(s.toks[i].Start), int(s.toks[best-1].End)
			if taken.overlaps(start, end) {
				continue
			}
			taken.add(start, end)
			text := s.text(i, best)
			from, rule := fs[bestK.from], "doc.repeat"
			if bestK.short {
				rule = "doc.short"
			}
			fs = append(fs, found{cand: cand{start: start, end: end, kind: from.kind, text: text, norm: from.norm, rule: rule}, sent: s.Sentence})
			i = best - 1
		}
	}
	return fs
}

// keyShapes is a set of the shapes of strings (their first character, last character and
// length in code points), hashed: it may answer yes for a shape it does not hold (shapes share
// its bits), never no for one it holds. document keeps the shapes of the keys of its names,
// so that a token whose word has no key's shape (fill read it: first, last, n) is turned
// away without a read of its text nor a lookup.
type keyShapes [1 << 11]uint64 // 2^17 bits, 16 KiB

// addKey adds the shapes of a UTF-8 string and of every start of it cut at a character.
func (ks *keyShapes) addKey(text string) {
	first, _ := utf8.DecodeRuneInString(text)
	n, last := int32(0), rune(-1)
	for b, c := range text {
		if b > 0 {
			ks.add(first, last, n) // text[:b]
		}
		last = c
		n++
	}
	ks.add(first, last, n)
}

func (ks *keyShapes) add(first, last rune, n int32) {
	b := keyShapeBit(first, last, n)
	ks[b/64] |= 1 << (b % 64)
}

func (ks *keyShapes) has(first, last rune, n int32) bool {
	b := keyShapeBit(first, last, n)
	return ks[b/64]&(1<<(b%64)) != 0
}

func keyShapeBit(first, last rune, n int32) uint32 {
	return (uint32(first)*0x9E3779B1 ^ uint32(last)*0x85EBCA77 ^ uint32(n)*0xC2B2AE3D) >> (32 - 17)
}

// known is what document knows of a name or the start of one.
type known struct {
	from   int32 // the entity of fs that gives its kind and full name
	short  bool  // a short form of from (doc.short), else from's own text (doc.repeat)
	name   bool  // a name; else only the start of one
	prefix bool  // longer names start with it

	shortened bool // an organisation's name whose short forms are added
}

// shortForms returns the names an organisation is called by after its full name: without
// the place it starts with, its legal form and its trade (温岭博哥文化传媒有限公司 → 博哥文化传媒,
// 博哥文化), each of three characters or more.
func (r *Recognizer) shortForms(full string) []string {
	n := utf8.RuneCountInString(full)
	if n < 6 {
		return nil
	}
	core := full
	for k := n - 3; k >= 2; k-- {
		if r.wBits(firstRunes(full, k))&bPlace != 0 {
			core = full[len(firstRunes(full, k)):]
			break
		}
	}
	var out []string
	addForm := func(s string) {
		if s != full && utf8.RuneCountInString(s) >= 3 {
			out = append(out, s)
		}
	}
	stripped := r.trimLegal(core)
	if stripped == core {
		return nil // only companies are called by a short form of their name
	}
	addForm(stripped)
	n = utf8.RuneCountInString(stripped)
	for k := 1; k < n; k++ {
		if r.listWord(lastRunes(stripped, k)).orgTrade {
			addForm(firstRunes(stripped, n-k))
		}
	}
	return out
}

// trimLegal removes the longest legal form (有限公司) that s ends with.
func (r *Recognizer) trimLegal(s string) string {
	n := utf8.RuneCountInString(s)
	for k := n - 1; k >= 1; k-- {
		if r.listWord(lastRunes(s, k)).orgLegal {
			return s[:len(s)-len(lastRunes(s, k))]
		}
	}
	return s
}

// runeSet is a set of characters that may answer yes for a character it does not hold (a
// bit for every character with the same remainder), never no for one it holds: a filter
// in front of a map, small enough to live on the stack.
type runeSet [64]uint64

func (rs *runeSet) add(c rune) { rs[uint32(c)/64%64] |= 1 << (uint32(c) % 64) }

func (rs *runeSet) has(c rune) bool { return rs[uint32(c)/64%64]&(1<<(uint32(c)%64)) != 0 }
