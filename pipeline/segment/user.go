package segment

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Word is an entry of a researcher's segmentation dictionary: a word gse should keep whole
// (a local company, a place, a term of the paper's own), its frequency and part of speech.
type Word struct {
	Text string
	Freq float64
	Pos  string
}

// DefaultFreq is the frequency of a word listed without one: high enough that gse prefers it
// to the pieces its own dictionary would cut it into.
const DefaultFreq = 100000

// ParseWords reads a segmentation dictionary: one word a line, optionally followed by a
// frequency and a part of speech (gse's tags: n, nr, ns, nt, nz …), separated by white space;
// "#" starts a comment. Errors name path and line.
func ParseWords(path string, data []byte) ([]Word, error) {
	var out []Word
	var errs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		w := Word{Text: f[0], Freq: DefaultFreq}
		if !utf8.ValidString(w.Text) {
			errs = append(errs, fmt.Sprintf("%s:%d: not UTF-8", path, line))
			continue
		}
		rest := f[1:]
		if len(rest) > 0 {
			if v, err := strconv.ParseFloat(rest[0], 64); err == nil {
				if v <= 0 {
					errs = append(errs, fmt.Sprintf("%s:%d: %q: the frequency must be positive", path, line, rest[0]))
					continue
				}
				w.Freq, rest = v, rest[1:]
			}
		}
		switch len(rest) {
		case 0:
		case 1:
			w.Pos = rest[0]
		default:
			errs = append(errs, fmt.Sprintf("%s:%d: %q: want a word, a frequency and a part of speech at most", path, line, strings.TrimSpace(text)))
			continue
		}
		out = append(out, w)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// The researcher's words, in the order they were added, and the keys gse files them under.
// Guarded by mu; userKeyList is read without it by IsWord.
var (
	userWords   []Word
	userAdded   = map[string]bool{}
	userKeyList atomic.Pointer[[]string] // sorted
)

// AddWords adds words to the process's dictionary. Call it before any text is segmented:
// the dictionary is shared by every goroutine and command of the process, so words from two
// rule sets (newsfacts diff) are both in force. Adding a word twice does nothing. It loads
// nothing: the words join whatever dictionary is loaded now or later.
func AddWords(words []Word) error {
	mu.Lock()
	defer mu.Unlock()
	for _, w := range words {
		if w.Text == "" {
			return fmt.Errorf("segment: adding an empty word")
		}
	}
	var fresh []Word
	for _, w := range words {
		if userAdded[w.Text] {
			continue
		}
		userAdded[w.Text] = true
		fresh = append(fresh, w)
	}
	if len(fresh) == 0 {
		return nil
	}
	userWords = append(userWords, fresh...)
	keys := append([]string(nil), userKeys()...)
	var z gse.Segmenter
	for _, w := range fresh {
		t := z.ToToken(w.Text, w.Freq, w.Pos)
		keys = append(keys, t.Text())
	}
	sort.Strings(keys)
	userKeyList.Store(&keys)

	st := cur.Load()
	switch {
	case st == nil || st.seg == nil:
		// added when a dictionary is loaded
	case st.full:
		if addUserWords(st.seg, nil) {
			st.seg.CalcToken() // gse's path weights depend on the total frequency
		}
	default:
		// a partial dictionary: build it again for the same runes, with the new words
		s, ok := filtered(st.dict, st.runes, maxKept)
		if !ok {
			loadFullLocked()
			return nil
		}
		cur.Store(&state{seg: s, dict: st.dict, runes: st.runes, builds: st.builds, kept: st.kept})
	}
	return nil
}

// addUserWords adds the researcher's words to s, a dictionary without its CalcToken yet (or to
// be called again), and reports whether any was new. With d, s is a partial dictionary of d: a
// word d holds is left out, as gse leaves out a word its dictionary already has. mu is held.
func addUserWords(s *gse.Segmenter, d *cachedDict) bool {
	added := false
	for _, w := range userWords {
		if d != nil {
			if t := s.ToToken(w.Text, w.Freq, w.Pos); d.has(t.Text()) {
				continue
			}
		}
		before := s.Dict.NumTokens()
		if err := s.AddToken(w.Text, w.Freq, w.Pos); err == nil && s.Dict.NumTokens() > before {
			added = true
		}
	}
	return added
}

// userKeys returns the researcher's words as gse files them, sorted.
func userKeys() []string {
	if p := userKeyList.Load(); p != nil {
		return *p
	}
	return nil
}

// userHasPrefix reports whether a researcher's word begins with s (or is s).
func userHasPrefix(s string) bool {
	keys := userKeys()
	i := sort.SearchStrings(keys, s)
	return i < len(keys) && strings.HasPrefix(keys[i], s)
}
