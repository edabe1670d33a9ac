package pdf

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf16"

	lpdf "github.com/ledongthuc/pdf"
)

// cmap is a parsed CMap program: an embedded ToUnicode map (bfchar, bfrange), an embedded
// encoding CMap (cidchar, cidrange) or a predefined one from poppler-data. The parser is our
// own small PostScript tokenizer rather than the library's Interpret, which needs a dictionary
// value for the usual "/CIDInit /ProcSet findresource begin" preamble that callers outside the
// library cannot make.
type cmap struct {
	space   []codeRange
	uni     map[uint64]string // (length<<32 | code) → text
	uniRng  []uniRange
	cid     map[uint64]uint32
	cidRng  []cidRange
	useCMap string
	wmode   int
	entries int  // codes and ranges parsed, a code given twice twice
	cut     bool // entries past the limit parseCMap was given were left out
}

type codeRange struct {
	n      int
	lo, hi [4]byte
}

type uniRange struct {
	n      int
	lo, hi uint32
	dst    []uint16 // UTF-16 of the first code; the last unit counts up
	arr    []string // or one string per code
}

type cidRange struct {
	n      int
	lo, hi uint32
	cid    uint32
}

const (
	// maxCMapBytes is the most of a ToUnicode or embedded CMap read: the largest of
	// poppler-data's CMaps has 270 KB, a ToUnicode map of every code of two bytes about 1 MB.
	// 32 MiB let a file of 20 fonts, each a compressed bomb, decode 640 MiB.
	maxCMapBytes   = 8 << 20
	maxCMapEntries = 1 << 20
	// maxPageCMapEntries is how many entries the ToUnicode and encoding CMaps one page uses
	// may reach before its further maps are not read, about 75 bytes an entry. A CJK font's
	// map has at most 65,536 (codes of two bytes); a newspaper page's subset fonts a few
	// thousand each. Past it the page's error says so: thirty fonts of a 1.9 MB file, each with
	// a map of 400,000 four-byte codes, took a run to 674 MB in 20 s.
	maxPageCMapEntries = 1 << 20
	// maxKeptCMapEntries is how many entries the maps read for earlier pages may hold and all
	// stay cached. Past it, before a page, the maps the page before did not use are let go, with
	// the document's fonts (those used are loaded again from the cache): a long PDF whose pages
	// each have fonts of their own holds two pages' maps at most, and one whose every page uses
	// the same large maps does not read them again for each page.
	maxKeptCMapEntries = 1 << 19
	maxExpand          = 256 // ranges up to this many codes are expanded into the map
)

func key(n int, code uint32) uint64 { return uint64(n)<<32 | uint64(code) }

// cmaps reads the ToUnicode and embedded encoding CMaps of one document: each stream once,
// however many fonts name it, within the budgets above.
type cmaps struct {
	byID    map[uint64]*keptMap // the maps read, by their stream's object number
	entries int                 // entries of the maps in byID
	serial  int                 // the page being read, counted from 1
	page    int                 // entries of the maps the page has used, read or kept
	short   int                 // maps of the page not read, or read in part, for its budget
	cut     map[uint64]*keptMap // the maps read in part for this page, by number
}

// keptMap is a map read, and the last page that used it.
type keptMap struct {
	m    *cmap
	size int
	used int // cmaps.serial
}

// newPage starts a page's count. When the maps kept hold more than maxKeptCMapEntries, it first
// lets go those the page before did not use, and reports so: the document's fonts, which hold
// them, must go too.
func (c *cmaps) newPage() (evicted bool) {
	c.serial++
	c.page, c.short, c.cut = 0, 0, nil
	if c.entries <= maxKeptCMapEntries {
		return false
	}
	for id, k := range c.byID {
		if k.used < c.serial-1 {
			delete(c.byID, id)
			c.entries -= k.size
			evicted = true
		}
	}
	return evicted
}

// read returns the CMap in stream v of font object parent (objID), or nil and why it was not
// read.
func (c *cmaps) read(v lpdf.Value, parent uint64) (*keptMap, string) {
	id, ok := objID(v)
	ok = ok && id != parent // a stream written in the font's dictionary has no number of its own
	if k, hit := c.byID[id]; ok && hit {
		c.use(k)
		return k, ""
	}
	if k, hit := c.cut[id]; ok && hit {
		return k, "" // counted on this page already
	}
	left := maxPageCMapEntries - c.page
	if left <= 0 {
		c.short++
		return nil, fmt.Sprintf("not read: the page's character maps reached %d entries", c.page)
	}
	src := readStream(v, maxCMapBytes+1)
	over := len(src) > maxCMapBytes
	if over {
		src = src[:maxCMapBytes]
	}
	m := parseCMap(src, min(left, maxCMapEntries))
	m.cut = m.cut || over // its first maxCMapBytes only
	k := &keptMap{m: m, size: m.size(), used: c.serial - 1}
	c.use(k)
	c.page += max(0, m.entries-k.size) // the page's budget is of codes parsed: a code given twice costs twice
	if m.cut {
		// What fits serves this page, for every font that names the map; the next page reads
		// it again, whole if it can.
		c.short++
		if ok {
			if c.cut == nil {
				c.cut = map[uint64]*keptMap{}
			}
			c.cut[id] = k
		}
		return k, ""
	}
	if ok {
		if c.byID == nil {
			c.byID = map[uint64]*keptMap{}
		}
		c.byID[id] = k
		c.entries += k.size
	}
	return k, ""
}

// use counts k in the page's maps, once.
func (c *cmaps) use(k *keptMap) {
	if k != nil && k.used != c.serial {
		k.used = c.serial
		c.page += k.size
	}
}

// size is how many codes and ranges m holds (entries counts those parsed, a code given twice
// twice).
func (m *cmap) size() int { return len(m.uni) + len(m.uniRng) + len(m.cid) + len(m.cidRng) }

// pageNote says, for a page's error, how many of its character maps were not read or read in
// part, or "" when none.
func (c *cmaps) pageNote() string {
	if c.short == 0 {
		return ""
	}
	maps := "character maps"
	if c.short == 1 {
		maps = "character map"
	}
	return fmt.Sprintf("%d %s (ToUnicode, CMap) not read or read in part: the page's maps reached %d entries (budget %d)", c.short, maps, c.page, maxPageCMapEntries)
}

// readStream reads a stream's decoded bytes, at most limit of them.
func readStream(v lpdf.Value, limit int64) []byte {
	if v.Kind() != lpdf.Stream {
		return nil
	}
	rc := v.Reader()
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, limit))
	return b
}

// parseCMap parses CMap source text, keeping at most about limit entries (a range expanded
// into single codes may pass it by maxExpand).
func parseCMap(src []byte, limit int) *cmap {
	m := &cmap{uni: map[uint64]string{}, cid: map[uint64]uint32{}}
	var stk []ctok
	pop := func() ctok {
		if len(stk) == 0 {
			return ctok{}
		}
		t := stk[len(stk)-1]
		stk = stk[:len(stk)-1]
		return t
	}
	lx := &clexer{b: src}
	for {
		t, ok := lx.next()
		if !ok {
			break
		}
		if t.kind != 'o' {
			stk = append(stk, t)
			if len(stk) > 1<<16 {
				stk = stk[:0]
			}
			continue
		}
		switch t.s {
		case "endcodespacerange":
			args := stk
			stk = nil
			for i := 0; i+1 < len(args); i += 2 {
				lo, hi := args[i].s, args[i+1].s
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				var r codeRange
				r.n = len(lo)
				copy(r.lo[:], lo)
				copy(r.hi[:], hi)
				m.space = append(m.space, r)
			}
		case "endbfchar":
			args := stk
			stk = nil
			for i := 0; i+1 < len(args); i += 2 {
				src, dst := args[i], args[i+1]
				if m.full(limit) {
					continue
				}
				if len(src.s) == 0 || len(src.s) > 4 {
					continue
				}
				var text string
				if dst.kind == 'n' {
					text = glyphNameText(dst.s)
				} else {
					text = utf16Text(dst.s)
				}
				m.uni[key(len(src.s), beUint(src.s))] = text
				m.entries++
			}
		case "endbfrange":
			args := stk
			stk = nil
			for i := 0; i+2 < len(args); i += 3 {
				lo, hi, dst := args[i].s, args[i+1].s, args[i+2]
				if m.full(limit) {
					continue
				}
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				r := uniRange{n: len(lo), lo: beUint(lo), hi: beUint(hi)}
				if r.hi < r.lo {
					continue
				}
				if dst.kind == '[' {
					r.arr = make([]string, len(dst.arr))
					for j, e := range dst.arr {
						r.arr[j] = utf16Text(e.s)
					}
				} else {
					r.dst = utf16Units(dst.s)
					if len(r.dst) == 0 {
						continue
					}
				}
				m.addUniRange(r)
			}
		case "endcidchar":
			args := stk
			stk = nil
			for i := 0; i+1 < len(args); i += 2 {
				src := args[i].s
				if m.full(limit) {
					continue
				}
				if len(src) == 0 || len(src) > 4 {
					continue
				}
				m.cid[key(len(src), beUint(src))] = uint32(args[i+1].num)
				m.entries++
			}
		case "endcidrange":
			args := stk
			stk = nil
			for i := 0; i+2 < len(args); i += 3 {
				lo, hi := args[i].s, args[i+1].s
				if m.full(limit) {
					continue
				}
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				r := cidRange{n: len(lo), lo: beUint(lo), hi: beUint(hi), cid: uint32(args[i+2].num)}
				if r.hi < r.lo {
					continue
				}
				m.cidRng = append(m.cidRng, r)
				m.entries++
			}
		case "usecmap":
			if t := pop(); t.kind == 'n' {
				m.useCMap = t.s
			}
		case "def":
			v, k := pop(), pop()
			if k.kind == 'n' && k.s == "WMode" {
				m.wmode = int(v.num)
			}
		case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidchar", "begincidrange",
			"beginnotdefrange", "beginnotdefchar":
			stk = stk[:0]
		case "endnotdefrange", "endnotdefchar":
			stk = stk[:0]
		}
	}
	sort.Slice(m.cidRng, func(i, j int) bool { return m.cidRng[i].lo < m.cidRng[j].lo })
	return m
}

// full reports whether m holds limit entries already, and marks it cut then: the entry asked
// about is left out.
func (m *cmap) full(limit int) bool {
	if m.entries >= limit {
		m.cut = true
	}
	return m.cut
}

func (m *cmap) addUniRange(r uniRange) {
	count := int64(r.hi) - int64(r.lo) + 1
	if count <= maxExpand {
		for c := r.lo; ; c++ {
			m.uni[key(r.n, c)] = r.at(c)
			m.entries++
			if c == r.hi {
				break
			}
		}
		return
	}
	m.uniRng = append(m.uniRng, r)
	m.entries++
}

// at is the text of code c in the range.
func (r uniRange) at(c uint32) string {
	off := c - r.lo
	if r.arr != nil {
		if int(off) < len(r.arr) {
			return r.arr[off]
		}
		return ""
	}
	u := make([]uint16, len(r.dst))
	copy(u, r.dst)
	u[len(u)-1] += uint16(off)
	return string(utf16.Decode(u))
}

// toUnicode looks up a code of n bytes.
func (m *cmap) toUnicode(n int, code uint32) (string, bool) {
	if s, ok := m.uni[key(n, code)]; ok {
		return s, true
	}
	for _, r := range m.uniRng {
		if r.n == n && r.lo <= code && code <= r.hi {
			return r.at(code), true
		}
	}
	return "", false
}

// toCID looks up the CID of a code of n bytes in an encoding CMap.
func (m *cmap) toCID(n int, code uint32) (uint32, bool) {
	if c, ok := m.cid[key(n, code)]; ok {
		return c, true
	}
	i := sort.Search(len(m.cidRng), func(i int) bool { return m.cidRng[i].hi >= code })
	for ; i < len(m.cidRng) && m.cidRng[i].lo <= code; i++ {
		r := m.cidRng[i]
		if r.n == n && code <= r.hi {
			return r.cid + code - r.lo, true
		}
	}
	// ranges may overlap in odd files: a linear pass settles it
	for _, r := range m.cidRng {
		if r.n == n && r.lo <= code && code <= r.hi {
			return r.cid + code - r.lo, true
		}
	}
	return 0, false
}

// codeLen is the length of the code at the start of s by the codespace ranges (PDF 32000
// 9.7.6.2): the first length whose range matches every byte; a byte sequence that matches no
// range takes the length of the shortest range whose first byte matches, else one byte.
func (m *cmap) codeLen(s string) int {
	if len(m.space) == 0 {
		return 0
	}
	for n := 1; n <= 4 && n <= len(s); n++ {
		for _, r := range m.space {
			if r.n != n {
				continue
			}
			ok := true
			for i := 0; i < n; i++ {
				if s[i] < r.lo[i] || s[i] > r.hi[i] {
					ok = false
					break
				}
			}
			if ok {
				return n
			}
		}
	}
	best := 0
	for _, r := range m.space {
		if s[0] >= r.lo[0] && s[0] <= r.hi[0] && (best == 0 || r.n < best) {
			best = r.n
		}
	}
	if best == 0 || best > len(s) {
		return 1
	}
	return best
}

func beUint(s string) uint32 {
	var v uint32
	for i := 0; i < len(s) && i < 4; i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

func utf16Units(s string) []uint16 {
	if len(s) == 1 {
		return []uint16{uint16(s[0])}
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return u
}

func utf16Text(s string) string { return string(utf16.Decode(utf16Units(s))) }

// ctok is one token of a CMap program.
type ctok struct {
	kind byte // 's' string (hex or literal), 'n' name, 'i' number, 'o' operator, '[' array, 'd' dictionary
	s    string
	num  float64
	arr  []ctok
}

type clexer struct {
	b []byte
	i int
}

func isWS(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

func (l *clexer) next() (ctok, bool) {
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case isWS(c):
			l.i++
		case c == '%':
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
		case c == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
			l.i += 2
			l.skipDict()
			return ctok{kind: 'd'}, true
		case c == '<':
			l.i++
			return ctok{kind: 's', s: l.hex()}, true
		case c == '(':
			l.i++
			return ctok{kind: 's', s: l.literal()}, true
		case c == '/':
			l.i++
			return ctok{kind: 'n', s: l.word()}, true
		case c == '[':
			l.i++
			var arr []ctok
			for {
				t, ok := l.next()
				if !ok || (t.kind == 'o' && t.s == "]") {
					break
				}
				if len(arr) < 1<<16 {
					arr = append(arr, t)
				}
			}
			return ctok{kind: '[', arr: arr}, true
		case c == ']':
			l.i++
			return ctok{kind: 'o', s: "]"}, true
		case c == '{' || c == '}' || c == '>' || c == ')':
			l.i++
		default:
			w := l.word()
			if w == "" {
				l.i++
				continue
			}
			if f, err := strconv.ParseFloat(w, 64); err == nil {
				return ctok{kind: 'i', num: f}, true
			}
			return ctok{kind: 'o', s: w}, true
		}
	}
	return ctok{}, false
}

func (l *clexer) word() string {
	j := l.i
	for l.i < len(l.b) && !isWS(l.b[l.i]) && !isDelimiter(l.b[l.i]) {
		l.i++
	}
	return string(l.b[j:l.i])
}

func (l *clexer) hex() string {
	var out []byte
	var hi byte
	half := false
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		if c == '>' {
			break
		}
		v, ok := unhexByte(c)
		if !ok {
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

func unhexByte(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *clexer) literal() string {
	var out bytes.Buffer
	depth := 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return out.String()
			}
		case '\\':
			if l.i >= len(l.b) {
				return out.String()
			}
			e := l.b[l.i]
			l.i++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '7'; k++ {
						v = v*8 + int(l.b[l.i]-'0')
						l.i++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

func (l *clexer) skipDict() {
	depth := 1
	for l.i < len(l.b) && depth > 0 {
		switch {
		case l.b[l.i] == '(':
			l.i++
			l.literal()
			continue
		case l.b[l.i] == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
			depth++
			l.i++
		case l.b[l.i] == '>' && l.i+1 < len(l.b) && l.b[l.i+1] == '>':
			depth--
			l.i++
		}
		l.i++
	}
}
