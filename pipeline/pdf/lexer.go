package pdf

import (
	"bytes"
	"strconv"
)

// The content-stream tokenizer. ledongthuc/pdf's Interpret reads a stream a byte at a time
// through an interface and allocates a Value per token; on born-digital pages it was a third of
// the reading time. Content streams need only a small part of the PDF syntax: numbers, names,
// strings, arrays, inline dictionaries, operators, and inline images to skip.

// operand is one operand of a content-stream operator.
type operand struct {
	kind byte // 'n' number, '/' name, 's' string, '[' array, 'd' dictionary, 'k' true/false/null
	num  float64
	s    string // a name without its slash, or a string's bytes
	arr  []operand
	dict []entry
}

// entry is one key and value of an inline dictionary (a few at most: a slice beats a map).
type entry struct {
	key string
	val operand
}

func (o operand) Name() string {
	if o.kind != '/' {
		return ""
	}
	return o.s
}

func (o operand) Float64() float64 {
	if o.kind != 'n' {
		return 0
	}
	return o.num
}

func (o operand) Key(k string) operand {
	for _, e := range o.dict {
		if e.key == k {
			return e.val
		}
	}
	return operand{}
}

const (
	maxOperands = 1 << 16 // per operator, and per array or dictionary
	maxNesting  = 32      // arrays and dictionaries inside each other
)

// lexer reads the tokens of a content stream. Malformed input never stops it: a stray byte
// is skipped, an unclosed string or array ends at the end of the data.
type lexer struct {
	b       []byte
	i       int
	arena   []operand // the arrays of the current operator's operands, reset for each
	entries []entry   // and their dictionaries
	names   map[string]string
}

// operators are the content-stream operators, interned so that tokens do not allocate.
var operators = func() map[string]string {
	m := map[string]string{}
	for _, op := range []string{"b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs",
		"d", "d0", "d1", "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i",
		"ID", "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri", "s", "S",
		"SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts",
		"Tw", "Tz", "v", "w", "W", "W*", "y", "'", "\""} {
		m[op] = op
	}
	return m
}()

// next returns the next operand, or an operator (ok and op != ""), or ok false at the end.
func (l *lexer) next(depth int) (o operand, op string, ok bool) {
	b := l.b
	for l.i < len(b) {
		c := b[l.i]
		switch {
		case isWS(c):
			l.i++
		case c == '%':
			for l.i < len(b) && b[l.i] != '\n' && b[l.i] != '\r' {
				l.i++
			}
		case c == '/':
			l.i++
			return operand{kind: '/', s: l.name()}, "", true
		case c == '(':
			l.i++
			return operand{kind: 's', s: l.literal()}, "", true
		case c == '<' && l.i+1 < len(b) && b[l.i+1] == '<':
			l.i += 2
			return l.dict(depth + 1), "", true
		case c == '<':
			l.i++
			return operand{kind: 's', s: l.hex()}, "", true
		case c == '[':
			l.i++
			return l.array(depth + 1), "", true
		case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
			if depth > 0 && (c == ']' || c == '>') {
				return operand{}, string(c), true // the caller's closing bracket
			}
			l.i++ // stray
		case c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9':
			if n, ok := l.number(); ok {
				return operand{kind: 'n', num: n}, "", true
			}
		default:
			j := l.i
			for l.i < len(b) && !isWS(b[l.i]) && !isDelimiter(b[l.i]) {
				l.i++
			}
			if l.i == j {
				l.i++ // a delimiter alone
				continue
			}
			w := b[j:l.i]
			switch string(w) {
			case "true", "false", "null":
				return operand{kind: 'k', s: string(w)}, "", true
			}
			if s, ok := operators[string(w)]; ok {
				return operand{}, s, true
			}
			return operand{}, string(w), true
		}
	}
	return operand{}, "", false
}

// number reads a number the way PDF writes them (no exponent); a malformed one is skipped as
// a word.
func (l *lexer) number() (float64, bool) {
	b := l.b
	j := l.i
	neg := false
	if b[l.i] == '+' || b[l.i] == '-' {
		neg = b[l.i] == '-'
		l.i++
	}
	var mant uint64
	digits, frac := 0, -1
	for ; l.i < len(b); l.i++ {
		c := b[l.i]
		if c >= '0' && c <= '9' {
			if digits < 18 {
				mant = mant*10 + uint64(c-'0')
				digits++
				if frac >= 0 {
					frac++
				}
			} else if frac < 0 {
				// more integer digits than a uint64 keeps: let strconv have it
				for l.i < len(b) && !isWS(b[l.i]) && !isDelimiter(b[l.i]) {
					l.i++
				}
				f, err := strconv.ParseFloat(string(b[j:l.i]), 64)
				return f, err == nil
			}
			continue
		}
		if c == '.' && frac < 0 {
			frac = 0
			continue
		}
		break
	}
	if l.i < len(b) && !isWS(b[l.i]) && !isDelimiter(b[l.i]) {
		// 1.2.3, 12abc: not a number; skip the word
		for l.i < len(b) && !isWS(b[l.i]) && !isDelimiter(b[l.i]) {
			l.i++
		}
		return 0, false
	}
	if digits == 0 {
		return 0, false // a sign or a dot alone
	}
	f := float64(mant) // exact: at most 18 digits
	if frac > 0 {
		f /= pow10[frac] // one correctly rounded division
	}
	if neg {
		f = -f
	}
	return f, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

func (l *lexer) name() string {
	j := l.i
	for l.i < len(l.b) && !isWS(l.b[l.i]) && !isDelimiter(l.b[l.i]) {
		l.i++
	}
	w := l.b[j:l.i]
	if bytes.IndexByte(w, '#') < 0 {
		// a stream repeats a few names (/F1, /MCID, /Span) many times: one string each
		if s, ok := l.names[string(w)]; ok {
			return s
		}
		if l.names == nil {
			l.names = map[string]string{}
		}
		s := string(w)
		if len(l.names) < 4096 {
			l.names[s] = s
		}
		return s
	}
	var out []byte // #xx escapes
	for k := 0; k < len(w); k++ {
		if w[k] == '#' && k+2 < len(w) {
			hi, ok1 := unhexByte(w[k+1])
			lo, ok2 := unhexByte(w[k+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				k += 2
				continue
			}
		}
		out = append(out, w[k])
	}
	return string(out)
}

func (l *lexer) hex() string {
	c := clexer{b: l.b, i: l.i}
	s := c.hex()
	l.i = c.i
	return s
}

func (l *lexer) literal() string {
	// the common case, a string without escapes or nested parentheses, without a copy loop
	if k := bytes.IndexAny(l.b[l.i:], "()\\"); k >= 0 && l.b[l.i+k] == ')' {
		s := string(l.b[l.i : l.i+k])
		l.i += k + 1
		return s
	}
	c := clexer{b: l.b, i: l.i}
	s := c.literal()
	l.i = c.i
	return s
}

// array reads an array's elements. Those of an operand's own array go into the arena, so
// that a TJ array costs no allocation of its own; nested arrays (rare) are allocated.
func (l *lexer) array(depth int) operand {
	o := operand{kind: '['}
	if depth > maxNesting {
		l.skipNested('[', ']')
		return o
	}
	start := len(l.arena)
	for {
		v, op, ok := l.next(depth)
		if !ok || op == "]" {
			if ok {
				l.i++
			}
			break
		}
		if op == ">" {
			l.i++ // stray inside an array
			continue
		}
		if op != "" {
			continue // an operator inside an array: malformed, dropped
		}
		switch {
		case depth > 1:
			if len(o.arr) < maxOperands {
				o.arr = append(o.arr, v)
			}
		case len(l.arena)-start < maxOperands:
			l.arena = append(l.arena, v)
		}
	}
	if depth == 1 {
		o.arr = l.arena[start:len(l.arena):len(l.arena)]
	}
	return o
}

func (l *lexer) dict(depth int) (o operand) {
	o = operand{kind: 'd'}
	if depth > maxNesting {
		l.skipNested('<', '>')
		return o
	}
	start := len(l.entries)
	defer func() {
		if depth == 1 { // an operand's own dictionary lives in the arena, like its arrays
			o.dict = l.entries[start:len(l.entries):len(l.entries)]
		}
	}()
	var key string
	haveKey := false
	for {
		v, op, ok := l.next(depth)
		if !ok {
			return o
		}
		if op == ">" {
			l.i++
			if l.i < len(l.b) && l.b[l.i] == '>' {
				l.i++
			}
			return o
		}
		if op == "]" {
			l.i++
			continue
		}
		if op != "" {
			continue
		}
		if !haveKey {
			if v.kind == '/' {
				key, haveKey = v.s, true
			}
			continue
		}
		switch {
		case depth > 1:
			if len(o.dict) < maxOperands {
				o.dict = append(o.dict, entry{key, v})
			}
		case len(l.entries)-start < maxOperands:
			l.entries = append(l.entries, entry{key, v})
		}
		haveKey = false
	}
}

// skipNested skips to the close of a bracket nested too deep.
func (l *lexer) skipNested(open, close byte) {
	depth := 1
	for l.i < len(l.b) && depth > 0 {
		switch l.b[l.i] {
		case open:
			depth++
		case close:
			depth--
		case '(':
			l.i++
			l.literal()
			continue
		}
		l.i++
	}
}

// skipInlineImage skips an inline image's dictionary and data (BI … ID data EI): the data
// ends at an EI that stands alone, white space before it and white space or the end after.
func (l *lexer) skipInlineImage() {
	for {
		_, op, ok := l.next(0)
		if !ok {
			return
		}
		if op == "ID" {
			break
		}
		if op == "EI" {
			return
		}
	}
	l.i++ // the single white-space byte after ID
	for l.i < len(l.b) {
		k := bytes.Index(l.b[l.i:], []byte("EI"))
		if k < 0 {
			l.i = len(l.b)
			return
		}
		at := l.i + k
		l.i = at + 2
		if at > 0 && isWS(l.b[at-1]) && (l.i == len(l.b) || isWS(l.b[l.i]) || isDelimiter(l.b[l.i])) {
			return
		}
	}
}
