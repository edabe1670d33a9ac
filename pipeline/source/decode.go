package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/newsfacts/newsfacts/pipeline"
)

// The encodings Decode reports in Doc.Encoding.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	encGB18030 = "gb18030"
)

// Detection thresholds. Each is a ratio, written as the integers the code compares
// (count*den <= total*num), so no floating point is involved.
const (
	// Valid UTF-8 holding NUL bytes is tried as UTF-16 first only when at least 1/4 of its
	// bytes are NUL (ASCII text in UTF-16 has 1/2; Chinese text in UTF-16 is never valid
	// UTF-8); fewer NULs are strays, left for the cleaner. Invalid UTF-8 is tried as UTF-16
	// when it holds any NUL byte.
	utf16NULDen = 4

	// A UTF-16 candidate without a byte-order mark must decode with at most 1/100 control
	// characters, at least 9/10 characters usual in Chinese text (see usual16), and at most
	// 3/4 code units made of two non-NUL ASCII bytes (ASCII text read as UTF-16 turns into
	// CJK-looking characters, every one of them made of two ASCII bytes).
	utf16CtlDen   = 100
	utf16UsualNum = 9
	utf16UsualDen = 10
	utf16ASCIINum = 3
	utf16ASCIIDen = 4

	// Invalid UTF-8 is damaged UTF-8, failed with the offset of its first bad byte and never
	// tried as GB18030, when it has at least 2 valid multi-byte UTF-8 characters per bad
	// spot (see utf8Stats). GBK text read as UTF-8 has about 1 per 8 (People's Daily 1998:
	// 365983 per 2892574).
	damagedUTF8Num = 2

	// GB18030 is accepted when at most 1/100 of its multi-byte characters are bad (invalid
	// or unassigned: decoded as U+FFFD), at most 1/100 of its characters are control
	// characters, and no more of its two-byte characters have an ASCII trail byte (0x40–0x7E)
	// than have a trail byte >= 0x80 — a stray Latin-1 byte before an ASCII letter makes the
	// former, GBK text is almost all the latter (People's Daily 1998: 73 against 1841584).
	gbBadDen = 100
	gbCtlDen = 100

	// Valid UTF-8 is binary when more than 1/4 of its bytes are control bytes.
	binaryCtlDen = 4
	// Bytes that are not text in any encoding are called binary, rather than invalid text,
	// when they hold a NUL byte or at least 1/100 control bytes.
	failCtlDen = 100
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	nul        = []byte{0}
	fffd       = []byte(string(utf8.RuneError))
)

// Decode detects the encoding of d.Bytes and sets d.Raw and d.Encoding, then releases
// d.Bytes (nil). Detection: UTF-8 BOM → "utf-8-bom" (BOM stripped); UTF-16 LE/BE BOM →
// "utf-16le"/"utf-16be"; no BOM but UTF-16 evident (many NUL bytes at even or odd positions and
// the decode is mostly valid text) → utf-16le/be; valid UTF-8 → "utf-8"; else, if it decodes as
// GB18030 (golang.org/x/text/encoding/simplifiedchinese.GB18030) with at most a tiny share of
// replacement or control characters → "gb18030"; else the document fails with a clear error:
// empty file ("<path>: empty file"), binary ("<path>: binary data, not text (NUL bytes at
// offset N)"), or invalid text ("<path>: not valid UTF-8, UTF-16 or GB18030 text (first bad byte
// at offset N)"). Invalid UTF-8 with only a few bad bytes inside otherwise valid UTF-8 text
// must NOT be silently decoded as GB18030: detect that case (a UTF-8 text with a handful of bad
// bytes) and fail it with the offset. Line endings: normalise "\r\n" and stray "\r" to "\n".
// Stray NUL/control characters are left for the cleaner, except that a file that is mostly
// control bytes is binary.
//
// Offsets in messages are byte offsets from the start of the file, byte-order mark included.
// Text after a byte-order mark must be valid in that encoding. A document that has already
// failed is left as it is, apart from releasing its bytes.
//
// A large file's share of BytesInFlight (Read) is given back once it is decoded (DropBytes).
func Decode(d *pipeline.Doc) {
	defer d.DropBytes()
	DecodeHeld(d)
}

// DecodeHeld is Decode for a caller that goes on to process the document, and gives back a
// large file's share of BytesInFlight itself (d.DropBytes) once it is done: the runner's
// stages do, so that a large PDF's text (tens of MB for a PDF of as many) is processed before
// the next large file is read beside it. Four PDFs of 34–65 MB, one with 19 MB of text, took
// a run to 351–368 MB when the share was given back on decoding.
func DecodeHeld(d *pipeline.Doc) {
	b := d.Bytes
	d.Bytes = nil
	if d.Failed() {
		return
	}
	if d.Format == "pdf" {
		decodePDF(d, b)
		return
	}
	text, enc, err := decode(b)
	if err != nil {
		d.Fail("decode", pathErr(d.Source, err))
		return
	}
	d.Raw, d.Encoding = text, enc
}

// decode returns the text of b and the name of its encoding, or why b is not text.
func decode(b []byte) (text, enc string, err error) {
	if len(b) == 0 {
		return "", "", errors.New("empty file")
	}
	for _, bom := range []struct {
		mark []byte
		enc  string
	}{{bomUTF8, encUTF8BOM}, {bomUTF16LE, encUTF16LE}, {bomUTF16BE, encUTF16BE}} {
		if bytes.HasPrefix(b, bom.mark) {
			return decodeBOM(b, bom.enc, len(bom.mark))
		}
	}

	valid := utf8.Valid(b)
	firstNUL := bytes.IndexByte(b, 0)
	if firstNUL >= 0 && (!valid || bytes.Count(b, nul)*utf16NULDen >= len(b)) {
		// A file cut short by a byte is sniffed without it, and then told as UTF-16 with an
		// odd number of bytes, not as binary data.
		if bigEndian, ok := sniffUTF16(b[:len(b)&^1]); ok {
			text, err := decodeUTF16(b, bigEndian, 0) // sniffUTF16 checked the rest decodes
			if err != nil {
				return "", "", err
			}
			return text, utf16Name(bigEndian), nil
		}
	}
	if valid {
		if ctl, first := controls(b); ctl*binaryCtlDen > len(b) {
			return "", "", binaryError(firstNUL, first)
		}
		return normalizeUTF8(b), encUTF8, nil
	}

	u := scanUTF8(b)
	if u.good >= damagedUTF8Num*u.spots {
		if ctl, first := controls(b); ctl*binaryCtlDen > len(b) {
			return "", "", binaryError(firstNUL, first)
		}
		return "", "", fmt.Errorf("not valid UTF-8 text (%d bad %s; first bad byte at offset %d)",
			u.bad, plural(u.bad, "byte", "bytes"), u.first)
	}
	g := scanGB18030(b)
	if g.plausible() {
		text, repl := decodeGB18030(b, g.size)
		if repl*gbBadDen <= g.good+g.weak {
			return text, encGB18030, nil
		}
	}
	if ctl, first := controls(b); firstNUL >= 0 || ctl*failCtlDen >= len(b) {
		return "", "", binaryError(firstNUL, first)
	}
	first := u.first
	if g.good > u.good {
		if i := firstBadGB18030(b); i >= 0 {
			first = i
		}
	}
	return "", "", fmt.Errorf("not valid UTF-8, UTF-16 or GB18030 text (first bad byte at offset %d)", first)
}

// decodeBOM decodes b, which starts with the byte-order mark of enc, n bytes long.
func decodeBOM(b []byte, enc string, n int) (string, string, error) {
	body := b[n:]
	if len(body) == 0 {
		return "", "", errors.New("empty file (only a byte-order mark)")
	}
	if enc == encUTF8BOM {
		if !utf8.Valid(body) {
			return "", "", fmt.Errorf("not valid UTF-8 text after a UTF-8 byte-order mark (first bad byte at offset %d)",
				n+scanUTF8(body).first)
		}
		return normalizeUTF8(body), enc, nil
	}
	text, err := decodeUTF16(body, enc == encUTF16BE, n)
	if err != nil {
		return "", "", err
	}
	return text, enc, nil
}

func binaryError(firstNUL, firstCtl int) error {
	if firstNUL >= 0 {
		return fmt.Errorf("binary data, not text (NUL bytes at offset %d)", firstNUL)
	}
	return fmt.Errorf("binary data, not text (control bytes at offset %d)", firstCtl)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isControl marks the bytes counted as control characters: C0 controls other than tab, line
// feed, vertical tab, form feed and carriage return, and DEL. In UTF-8 and GB18030 they only
// ever stand for themselves, never inside a multi-byte character.
var isControl = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range "\t\n\v\f\r" {
		t[c] = false
	}
	t[0x7F] = true
	return t
}()

// controls counts the control bytes of b and returns the offset of the first (-1 if none).
// It skips eight bytes at a time while none of them is below 0x20 or DEL.
func controls(b []byte) (n, first int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	first = -1
	for i := 0; i < len(b); {
		if i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			del := w ^ (0x7F * ones)
			// (x - k*ones) &^ x & highs is non-zero exactly when a byte of x is below k.
			if (w-0x20*ones)&^w&highs == 0 && (del-ones)&^del&highs == 0 {
				i += 8
				continue
			}
		}
		for end := min(i+8, len(b)); i < end; i++ {
			if isControl[b[i]] {
				if n == 0 {
					first = i
				}
				n++
			}
		}
	}
	return n, first
}

// lines accumulates decoded text, turning "\r\n" and a lone "\r" into "\n" as it goes.
type lines struct {
	sb strings.Builder
	cr bool // the last byte written was '\r' (written as '\n'): drop a '\n' that follows
}

func (w *lines) write(p []byte) {
	if len(p) == 0 {
		return
	}
	if w.cr && p[0] == '\n' {
		p = p[1:]
	}
	w.cr = false
	for {
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			w.sb.Write(p)
			return
		}
		w.sb.Write(p[:i])
		w.sb.WriteByte('\n')
		p = p[i+1:]
		if len(p) == 0 {
			w.cr = true
			return
		}
		if p[0] == '\n' {
			p = p[1:]
		}
	}
}

// normalizeUTF8 returns b as a string with normalised line endings, copying it once.
func normalizeUTF8(b []byte) string {
	if bytes.IndexByte(b, '\r') < 0 {
		return string(b)
	}
	var w lines
	w.sb.Grow(len(b))
	w.write(b)
	return w.sb.String()
}

// utf8Stats describes invalid UTF-8. Its counts may stop short of the end (see scanUTF8).
type utf8Stats struct {
	good int // valid multi-byte characters
	bad  int // bytes that are part of no valid character
	// spots counts the places where something is wrong: a lead byte with the continuation
	// bytes it owns (a character cut short is one spot), or a lone bad byte.
	spots int
	first int // offset of the first bad byte, -1 if none
}

// scanUTF8 scans b, which is not valid UTF-8. It stops early once b can no longer be
// damaged UTF-8 (see damagedUTF8Num): good can grow by at most one per two bytes left.
func scanUTF8(b []byte) utf8Stats {
	s := utf8Stats{first: -1}
	for i := 0; i < len(b); {
		if s.good+(len(b)-i)/2 < damagedUTF8Num*s.spots {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		// The bytes of a valid sequence, as in the Unicode standard's table 3-7: the second
		// byte's range depends on the first, the others are 0x80–0xBF.
		n := utf8Len(c)
		lo, hi := byte(0x80), byte(0xBF)
		switch c {
		case 0xE0:
			lo = 0xA0
		case 0xED:
			hi = 0x9F
		case 0xF0:
			lo = 0x90
		case 0xF4:
			hi = 0x8F
		}
		m := 1 // bytes of the sequence that are right so far
		if n > 1 && i+1 < len(b) && lo <= b[i+1] && b[i+1] <= hi {
			for m = 2; m < n && i+m < len(b) && b[i+m]&0xC0 == 0x80; m++ {
			}
		}
		if m == n && n > 1 {
			s.good++
		} else {
			// A bad spot: the lead byte and the continuation bytes it owns, the
			// "maximal subpart" the Unicode standard replaces with one U+FFFD.
			if s.first < 0 {
				s.first = i
			}
			s.bad += m
			s.spots++
		}
		i += m
	}
	return s
}

// utf8Len returns the length of the UTF-8 sequence that lead byte c starts (1 if none).
func utf8Len(c byte) int {
	switch {
	case 0xC2 <= c && c <= 0xDF:
		return 2
	case 0xE0 <= c && c <= 0xEF:
		return 3
	case 0xF0 <= c && c <= 0xF4:
		return 4
	}
	return 1
}

// UTF-16

func utf16Name(bigEndian bool) string {
	if bigEndian {
		return encUTF16BE
	}
	return encUTF16LE
}

// sniffUTF16 decides whether b, which has no byte-order mark, is UTF-16, and in which byte
// order: both orders are scored and the better one is taken if it looks like text.
func sniffUTF16(b []byte) (bigEndian, ok bool) {
	if len(b)%2 != 0 {
		return false, false
	}
	le, be := score16(b, false), score16(b, true)
	switch {
	case le.text() && (!be.text() || le.usual >= be.usual):
		return false, true
	case be.text():
		return true, true
	}
	return false, false
}

// stats16 scores b read as UTF-16.
type stats16 struct {
	units      int  // code units
	controls   int  // control characters, noncharacters U+FFFE and U+FFFF
	usual      int  // code units of characters usual in Chinese text (see usual16)
	asciiPairs int  // code units whose two bytes are both ASCII but not NUL
	broken     bool // an unpaired surrogate, or so many controls that it cannot be text
}

func (s stats16) text() bool {
	return !s.broken && s.units > 0 &&
		s.controls*utf16CtlDen <= s.units &&
		s.usual*utf16UsualDen >= s.units*utf16UsualNum &&
		s.asciiPairs*utf16ASCIIDen <= s.units*utf16ASCIINum
}

func unit16(b []byte, i int, bigEndian bool) rune {
	if bigEndian {
		return rune(b[i])<<8 | rune(b[i+1])
	}
	return rune(b[i+1])<<8 | rune(b[i])
}

func score16(b []byte, bigEndian bool) stats16 {
	s := stats16{units: len(b) / 2}
	maxCtl := s.units / utf16CtlDen
	for i := 0; i+1 < len(b); i += 2 {
		u := unit16(b, i, bigEndian)
		if b[i] != 0 && b[i] < utf8.RuneSelf && b[i+1] != 0 && b[i+1] < utf8.RuneSelf {
			s.asciiPairs++
		}
		switch {
		case 0xD800 <= u && u < 0xDC00:
			if i+3 >= len(b) {
				s.broken = true
				return s
			}
			lo := unit16(b, i+2, bigEndian)
			if lo < 0xDC00 || lo > 0xDFFF {
				s.broken = true
				return s
			}
			if r := 0x10000 + (u-0xD800)<<10 + (lo - 0xDC00); usualAstral(r) {
				s.usual += 2
			}
			i += 2
		case 0xDC00 <= u && u < 0xE000:
			s.broken = true
			return s
		case control16(u):
			s.controls++
			if s.controls > maxCtl {
				s.broken = true
				return s
			}
		case usual16(u):
			s.usual++
		}
	}
	return s
}

func control16(u rune) bool {
	return u < 0x20 && u != '\t' && u != '\n' && u != '\v' && u != '\f' && u != '\r' ||
		0x7F <= u && u < 0xA0 || u == 0xFFFE || u == 0xFFFF
}

// usual16 reports whether a BMP character is usual in Chinese newspaper text: ASCII, Latin,
// Greek and Cyrillic letters, punctuation and symbols, CJK ideographs, radicals, punctuation,
// kana, bopomofo and full-width forms. Hangul is left out on purpose: GBK bytes read as
// UTF-16 land there.
func usual16(u rune) bool {
	switch {
	case u == '\t' || u == '\n' || u == '\r' || 0x20 <= u && u < 0x7F:
		return true
	case 0xA0 <= u && u < 0x250, // Latin-1 supplement, Latin extended
		0x370 <= u && u < 0x500,   // Greek, Cyrillic
		0x2000 <= u && u < 0x2C00, // punctuation, symbols, arrows, box drawing, shapes
		0x2E80 <= u && u < 0x2FE0, // CJK and Kangxi radicals
		0x3000 <= u && u < 0x3400, // CJK punctuation, kana, bopomofo, enclosed, compatibility
		0x3400 <= u && u < 0x4DC0, // CJK extension A
		0x4E00 <= u && u < 0xA000, // CJK unified ideographs
		0xF900 <= u && u < 0xFB00, // CJK compatibility ideographs
		0xFE30 <= u && u < 0xFE50, // CJK compatibility forms
		0xFF00 <= u && u < 0xFFF0: // half-width and full-width forms
		return true
	}
	return false
}

// usualAstral reports whether a supplementary character is usual: CJK extensions B and on,
// and emoji.
func usualAstral(r rune) bool {
	return 0x20000 <= r && r < 0x40000 || 0x1F000 <= r && r < 0x1FB00
}

// decodeUTF16 decodes b as UTF-16 into normalised text. base is the offset of b in the file,
// for messages.
func decodeUTF16(b []byte, bigEndian bool, base int) (string, error) {
	name := "UTF-16LE"
	if bigEndian {
		name = "UTF-16BE"
	}
	if len(b)%2 != 0 {
		return "", fmt.Errorf("not valid %s text (odd number of bytes, last byte at offset %d)", name, base+len(b)-1)
	}
	var w lines
	w.sb.Grow(len(b) * 3 / 2) // CJK: 2 bytes become 3
	var buf [4096]byte
	out := buf[:0]
	for i := 0; i < len(b); i += 2 {
		r := unit16(b, i, bigEndian)
		if 0xD800 <= r && r < 0xE000 {
			var lo rune
			if r < 0xDC00 && i+3 < len(b) {
				lo = unit16(b, i+2, bigEndian)
			}
			if lo < 0xDC00 || lo > 0xDFFF {
				return "", fmt.Errorf("not valid %s text (unpaired surrogate at offset %d)", name, base+i)
			}
			r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			i += 2
		}
		if len(out)+utf8.UTFMax > len(buf) {
			w.write(out)
			out = buf[:0]
		}
		out = utf8.AppendRune(out, r)
	}
	w.write(out)
	return w.sb.String(), nil
}

// GB18030

// gbKind is the kind of one GB18030 byte sequence, as golang.org/x/text decodes it.
type gbKind uint8

const (
	gbASCII gbKind = iota // one byte below 0x80
	gbWeak                // 0x80 (x/text gives '€'), or two bytes with an ASCII trail 0x40–0x7E
	gbGood                // two bytes with a trail 0x80–0xFE, or a valid four-byte sequence
	gbBad                 // an invalid byte: x/text writes U+FFFD for it and goes on after it
)

// gbNext returns the length and kind of the GB18030 sequence at b[i:], following
// golang.org/x/text's decoder: a bad sequence is one byte long, so the decoder resumes at
// the next byte.
func gbNext(b []byte, i int) (int, gbKind) {
	c0 := b[i]
	switch {
	case c0 < 0x80:
		return 1, gbASCII
	case c0 == 0x80:
		return 1, gbWeak
	case c0 == 0xFF || i+1 >= len(b):
		return 1, gbBad
	}
	switch c1 := b[i+1]; {
	case 0x40 <= c1 && c1 < 0x7F:
		return 2, gbWeak
	case 0x80 <= c1 && c1 < 0xFF:
		return 2, gbGood
	case 0x30 <= c1 && c1 < 0x40: // x/text takes 0x3A–0x3F too, past the standard's 0x39
		if i+3 >= len(b) {
			return 1, gbBad
		}
		c2, c3 := b[i+2], b[i+3]
		if c2 < 0x81 || c2 == 0xFF || c3 < 0x30 || c3 > 0x39 {
			return 1, gbBad
		}
		// Four-byte sequences count from 81 30 81 30; the first 39420 are BMP characters,
		// the range from 90 30 81 30 (189000) holds the supplementary planes.
		n := ((int(c0-0x81)*10+int(c1-0x30))*126+int(c2-0x81))*10 + int(c3-0x30)
		if n < 39420 || 189000 <= n && n < 189000+0x100000 {
			return 4, gbGood
		}
		return 1, gbBad
	}
	return 1, gbBad
}

// gbStats describes b read as GB18030, before decoding.
type gbStats struct {
	good, weak, bad int // sequences of each kind (bad: invalid bytes)
	controls        int // control bytes
	chars           int // characters
	size            int // an upper bound of the UTF-8 size of the decoded text
}

func scanGB18030(b []byte) gbStats {
	var s gbStats
	for i := 0; i < len(b); {
		// Fast paths for ASCII and the common two-byte characters; gbNext does the rest.
		if c := b[i]; c < 0x80 {
			if isControl[c] {
				s.controls++
			}
			s.size++
			s.chars++
			i++
			continue
		} else if c != 0x80 && c != 0xFF && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] != 0xFF {
			s.good++
			s.size += 3 // two-byte codes are all in the BMP
			s.chars++
			i += 2
			continue
		}
		n, k := gbNext(b, i)
		switch k {
		case gbASCII:
			if isControl[b[i]] {
				s.controls++
			}
			s.size++
		case gbWeak:
			s.weak++
			s.size += 3
		case gbGood:
			s.good++
			s.size += 3 + n/4 // two bytes give at most three, four bytes at most four
		case gbBad:
			s.bad++
			s.size += 3
		}
		s.chars++
		i += n
	}
	return s
}

// plausible reports whether the sequences look like GB18030 text; decoding may still find
// unassigned two-byte codes.
func (s gbStats) plausible() bool {
	return s.good > 0 && s.weak <= s.good &&
		s.bad*gbBadDen <= s.good+s.weak &&
		s.controls*gbCtlDen <= s.chars
}

// decodeGB18030 decodes b into normalised text in one pass, and counts the replacement
// characters in it. size is an upper bound of the decoded size.
func decodeGB18030(b []byte, size int) (text string, repl int) {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var w lines
	w.sb.Grow(size)
	chunk := make([]byte, 32<<10)
	for {
		nDst, nSrc, err := dec.Transform(chunk, b, true)
		repl += bytes.Count(chunk[:nDst], fffd)
		w.write(chunk[:nDst])
		b = b[nSrc:]
		if err != transform.ErrShortDst {
			// nil at the end; with atEOF the decoder has no other error: it writes U+FFFD.
			return w.sb.String(), repl
		}
	}
}

// firstBadGB18030 returns the offset of the first byte that GB18030 decodes as U+FFFD, or -1.
// It is used only to word an error, so it may be slow: it decodes every two-byte sequence on
// its own to find codes that are well formed but unassigned.
func firstBadGB18030(b []byte) int {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var out [8]byte
	for i := 0; i < len(b); {
		n, k := gbNext(b, i)
		switch {
		case k == gbBad:
			return i
		case n == 2:
			nDst, _, _ := dec.Transform(out[:], b[i:i+2], true)
			if bytes.Equal(out[:nDst], fffd) {
				return i
			}
		}
		i += n
	}
	return -1
}
