package segment

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
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

// The researcher's words, in the order they were added. Guarded by mu.
var (
	userWords []Word
	userAdded = map[string]bool{}
)

// AddWords adds words to the process's dictionary. Call it before any text is segmented:
// the dictionary is shared by every goroutine and command of the process, so words from two
// rule sets (newsfacts diff) are both in force. A word the dictionary holds already keeps
// gse's frequency and part of speech, as gse keeps them; adding a word twice does nothing.
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
	userWords = append(userWords, fresh...)
	if x := cur.Load(); x != nil && len(fresh) > 0 {
		nx, err := x.withWords(fresh)
		if err != nil {
			return err
		}
		cur.Store(nx)
	}
	return nil
}
