package clean

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lexicon corrects look-alike OCR confusions: it knows words and names, and the sets of
// characters OCR mistakes for each other, and maps every word one substitution away from a
// known word back to it (东苜泵业 → 东音泵业).
type Lexicon struct {
	fix map[string]string // misread form → known word
	// The first characters of the forms (elsewhere nothing can match): a bit for each
	// character of the Basic Multilingual Plane, a map for the rest.
	firstBMP *[1 << 10]uint64
	first    map[rune]bool
	maxLen   int // longest form, in code points
	minLen   int
}

// ParseLexicon builds a lexicon from word files and confusable-set files (one word, or one set
// of look-alike characters, a line; # starts a comment). name is used in error messages.
func ParseLexicon(words, confusables map[string][]byte) (*Lexicon, error) {
	sets := map[rune][]rune{}
	for name, data := range confusables {
		err := eachLine(name, data, func(line string) error {
			rs := []rune(line)
			if len(rs) < 2 {
				return fmt.Errorf("a confusable set needs at least two characters")
			}
			for _, r := range rs {
				for _, o := range rs {
					if o != r {
						sets[r] = append(sets[r], o)
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	known := map[string]bool{}
	for name, data := range words {
		if err := eachLine(name, data, func(w string) error { known[w] = true; return nil }); err != nil {
			return nil, err
		}
	}
	lx := &Lexicon{fix: map[string]string{}, minLen: 1 << 30}
	for w := range known {
		rs := []rune(w)
		for i, r := range rs {
			for _, o := range sets[r] {
				v := append([]rune(nil), rs...)
				v[i] = o
				form := string(v)
				if known[form] {
					continue // both forms are real words: nothing to correct
				}
				if prev, ok := lx.fix[form]; ok && prev != w {
					delete(lx.fix, form) // ambiguous: two known words are one look-alike away
					continue
				}
				lx.fix[form] = w
				lx.maxLen = max(lx.maxLen, len(rs))
				lx.minLen = min(lx.minLen, len(rs))
			}
		}
	}
	lx.first, lx.firstBMP = map[rune]bool{}, new([1 << 10]uint64)
	for form := range lx.fix {
		r, _ := utf8.DecodeRuneInString(form)
		if r < 0x10000 {
			lx.firstBMP[r>>6] |= 1 << (r & 63)
		} else {
			lx.first[r] = true
		}
	}
	return lx, nil
}

func eachLine(name string, data []byte, f func(string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return fmt.Errorf("%s:%d: not valid UTF-8", name, n)
		}
		if err := f(line); err != nil {
			return fmt.Errorf("%s:%d: %v", name, n, err)
		}
	}
	return sc.Err()
}

// correct replaces every misread form in t with its known word, longest first.
func (lx *Lexicon) correct(t *text, log *editLog) {
	if lx == nil || len(lx.fix) == 0 {
		return
	}
	s := t.s
	w := rewrite{t: t, log: log}
	ends := make([]int, lx.maxLen+1) // ends[n]: the byte offset n code points on
	k := 0
	for p := 0; p < len(s); {
		r, size := runeAt(s, p)
		if !lx.starts(r) {
			p += size
			k++
			continue
		}
		n := 0
		for ends[0] = p; n < lx.maxLen && ends[n] < len(s); n++ {
			ends[n+1] = ends[n] + int(seqLen[s[ends[n]]])
		}
		matched := 1
		for ; n >= lx.minLen; n-- {
			known, ok := lx.fix[s[p:ends[n]]]
			if !ok {
				continue
			}
			// Same length in code points: each one that differs is an edit of its own.
			q, m := p, k
			for _, r := range known {
				old, size := utf8.DecodeRuneInString(s[q:])
				if old != r {
					w.replace(q, q+size, m, runeString(r))
				}
				q += size
				m++
			}
			matched = n
			break
		}
		p = ends[matched]
		k += matched
	}
	w.finish()
}

// starts reports whether some misread form begins with r.
func (lx *Lexicon) starts(r rune) bool {
	if r < 0x10000 {
		return lx.firstBMP[r>>6]&(1<<(r&63)) != 0
	}
	return lx.first[r]
}
