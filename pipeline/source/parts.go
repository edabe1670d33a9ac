package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsfacts/newsfacts/pipeline"
)

// A text file larger than WholeBytes is read in parts of at most PartBytes (ReadParts), each
// processed as a document of its own and written as one with the others. A document in process
// takes some thirty bytes of memory a byte of text: read whole, a file of 64 MB (an archive of
// months in one file) took a run to 518 MB, and in parts it needs no more than a few pages do,
// whatever its size. Files up to WholeBytes are read whole, as before: the news archive of the
// benchmarks (2.9 MB) is one document, worked through at once (pipeline/extract.WholeBytes).
// Parts of 256 KiB took that 64 MB file to 189 MB, the fastest; parts of 512 KiB to 252 MB, of
// 1 MiB to 330–360 MB (two large parts in process, more queued).
const (
	WholeBytes = 4 << 20
	PartBytes  = 256 << 10
	// DenseBytes is the size from which a text file made mostly of figures is read in parts
	// too (InParts).
	DenseBytes = 512 << 10
)

// InParts reports whether the text file at path, of size bytes, is read in parts: larger than
// WholeBytes, or larger than DenseBytes and made mostly of figures, more than a fifth of its
// bytes digits (ASCII, or full-width in UTF-8; dense). Standard input is read the same way
// (Spool). Such a file gives many times more facts a byte than
// newspaper text, and read whole it holds them all at once: a stock table of 4.19 MB took a
// run to 334 MB, 4.19 MB of bare numbers ("1 1 1 …") to 1 GB. The news file of the
// benchmarks (2.9 MB) has 1.3% digits. A PDF, or a file that cannot be read, is not.
func InParts(path string, size int64) bool {
	if size > WholeBytes {
		return true
	}
	if size <= DenseBytes {
		return false
	}
	if isPDF(nil, path) { // by its name; dense looks at its header
		return false
	}
	f, _, err := openRegular(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, WholeBytes+1))
	return err == nil && dense(b)
}

// dense reports whether b, text of more than DenseBytes, is more than a fifth digits (and not
// a PDF). The measure is of bytes: in UTF-16 an ASCII digit is one byte of two (a table there
// needs two fifths of its characters digits), and GB18030's four-byte characters hold digit
// bytes of their own. It is a guard for memory, not a classification.
func dense(b []byte) bool {
	return len(b) > DenseBytes && !isPDF(b[:min(5, len(b))], "") && figureBytes(b)*5 > len(b)
}

// figureBytes counts the bytes of b that are digits: ASCII ones, and full-width ones in UTF-8
// (three bytes each). GBK's full-width digits are not told: their bytes are also the tail of
// many UTF-8 characters (声 is E5 A3 B0).
func figureBytes(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case '0' <= c && c <= '9':
			n++
		case c == 0xEF && i+2 < len(b) && b[i+1] == 0xBC && 0x90 <= b[i+2] && b[i+2] <= 0x99:
			n += 3
			i += 2
		}
	}
	return n
}

// MaxFileBytes is the most one input can hold: the tables' offsets are 32-bit, and a file of at
// most 2^31-1 bytes has fewer code points than that. ReadParts stops a longer file there.
const MaxFileBytes = math.MaxInt32

// maxFileBytes is MaxFileBytes, lowered by the tests.
var maxFileBytes int64 = MaxFileBytes

// HashFile returns the SHA-256 of the file at path and its size, reading it a piece at a
// time: a file read in parts needs its id (from the hash of all its bytes) before its first
// part goes out.
func HashFile(path string) (sum [sha256.Size]byte, size int64, err error) {
	f, _, err := openRegular(path)
	if err != nil {
		return sum, 0, pathErr(path, err)
	}
	defer f.Close()
	h := sha256.New()
	size, err = io.Copy(h, f)
	if err != nil {
		return sum, size, pathErr(path, err)
	}
	h.Sum(sum[:0])
	return sum, size, nil
}

// IDOf is the document id of bytes whose SHA-256 is sum: its first 16 hex digits, as Read
// gives.
func IDOf(sum [sha256.Size]byte) string { return hex.EncodeToString(sum[:8]) }

// ReadParts reads the text file at path, whose SHA-256 the caller found to be sum (HashFile),
// and larger than WholeBytes, a part of at most PartBytes at a time, and emits a document for
// each, in order (Doc.Part), holding its text. A part ends at the last paragraph end (a blank
// line) of its second half, else at the last line end there, else after the last sentence end
// (。！？) there, else after the last comma, semicolon or space there, else at its last line
// end, else at its last character boundary in its second half with no figure on either side,
// else at the last one there not between two characters of a figure, else at its last
// character boundary: no character, no figure and few articles are cut in two.
//
// Every part is decoded here (Doc.Raw, Doc.RawChars): the first as Decode does a whole file,
// detecting its encoding, the later ones in that encoding (detected again while every byte so
// far is ASCII). A first part that is not text fails the file: it is emitted failed and the
// rest is not read. A part that cannot be read is emitted failed and ends the file. A file
// whose bytes changed since HashFile read them has its last part failed with that reason: its
// rows may mix two versions. A PDF is read in parts of pages, each within timeout (0: no
// budget) and until ctx is done, when it has many, else whole (readPDFParts).
//
// A file it cannot open is emitted as one failed document, as Read gives it. It returns
// emit's error. With a nil sum the parts have no ID (the caller gives them one) and the bytes
// are not checked. The documents and messages name the file name (its path, or "-" for
// standard input spooled to path).
func ReadParts(ctx context.Context, path, name string, sum *[sha256.Size]byte, timeout time.Duration, emit func(*pipeline.Doc) error) error {
	f, _, err := openRegular(path)
	if err != nil {
		d := &pipeline.Doc{ID: unreadableID(name), Source: name, Format: "text"}
		d.Fail("read", pathErr(name, err))
		return emit(d)
	}
	defer f.Close()
	base := filepath.Base(name)
	if name == stdinPath {
		base = ""
	}
	id := ""
	if sum != nil {
		id = IDOf(*sum)
	}
	enc, ascii := "", false // the file's encoding; whether every byte so far is ASCII
	newPart := func(index int, at int64, more bool) *pipeline.Doc {
		return &pipeline.Doc{ID: id, Source: name, Format: "text", Pages: 1, Encoding: enc,
			PubDate: dateInName(base), Page: pageInName(base),
			Part: pipeline.Part{Index: index, More: more, Byte: at}}
	}
	h := sha256.New()
	// A part and a character more: whether more follow, and whether a figure goes on past it.
	buf := make([]byte, 0, PartBytes+utf8.UTFMax)
	var at int64 // where buf begins in the file
	for index := 0; ; index++ {
		n, rerr := io.ReadFull(f, buf[len(buf):cap(buf)])
		h.Write(buf[len(buf) : len(buf)+n])
		buf = buf[:len(buf)+n]
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			d := newPart(index, at, false)
			d.Fail("read", pathErr(name, fmt.Errorf("at byte %d: %w", at+int64(len(buf)), rerr)))
			return emit(d)
		}
		last := len(buf) <= PartBytes // the file ended within this part
		if index == 0 {
			if isPDF(buf, name) {
				return readPDFParts(ctx, path, name, sum, timeout, emit) // a PDF's size says little of its text
			}
		}
		if index == 0 || ascii {
			enc = sniff(buf) // a guess, to cut where a character ends; decode tells below
		}
		cut := len(buf)
		if !last {
			cut = cutAt(buf, PartBytes, enc)
		}
		if at+int64(cut) > maxFileBytes {
			d := newPart(index, at, false)
			d.Fail("read", fmt.Errorf("%s: longer than %d bytes, the most one input can hold (the tables' offsets are 32-bit): the rest is not read", name, maxFileBytes))
			return emit(d)
		}
		d := newPart(index, at, !last)
		d.Size = int64(cut)
		if index == 0 || ascii {
			// The encoding is detected on the first part, as Decode does on a whole file, and
			// again on the next ones while every byte so far is ASCII, which reads alike in all.
			text, e, err := decode(buf[:cut])
			switch {
			case err != nil && index == 0:
				d.Fail("decode", pathErr(name, err)) // not text: the rest is not read
				d.Part.More = false
				return emit(d)
			case err != nil:
				d.Fail("decode", pathErr(name, fmt.Errorf("%w, in the part from byte %d", err, at)))
			default:
				d.Raw, enc = text, e
				ascii = enc == encUTF8 && isASCII(buf[:cut])
			}
		} else if text, err := decodeAs(buf[:cut], enc, at); err != nil {
			d.Fail("decode", pathErr(name, err))
		} else {
			d.Raw = text
		}
		d.Encoding = enc
		// The raw offsets of the parts after this one start after its code points, counted
		// here so that they are known whatever becomes of it (a part that fails or runs out of
		// time counts as its bytes would decode).
		d.RawChars = utf8.RuneCountInString(d.Raw)
		if d.Failed() {
			d.RawChars = charsOf(buf[:cut], enc)
		}
		if last && sum != nil {
			var got [sha256.Size]byte
			if h.Sum(got[:0]); got != *sum {
				d.Fail("read", fmt.Errorf("%s: changed while it was read: its rows may mix two versions", name))
			}
		}
		if err := emit(d); err != nil {
			return err
		}
		if last {
			return nil
		}
		at += int64(cut)
		buf = buf[:copy(buf, buf[cut:])]
	}
}

// sniff guesses the encoding of the start of a file, to cut its first part where a character
// ends: a byte-order mark's, UTF-16 when it looks so, UTF-8 when it is valid (an incomplete
// character at the end apart), else GB18030. Decode then tells on the first part.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		return encUTF8BOM
	case bytes.HasPrefix(b, bomUTF16LE):
		return encUTF16LE
	case bytes.HasPrefix(b, bomUTF16BE):
		return encUTF16BE
	}
	valid := utf8.Valid(b[:utf8Start(b)])
	if bytes.IndexByte(b, 0) >= 0 && (!valid || bytes.Count(b, nul)*utf16NULDen >= len(b)) { // as decode
		if bigEndian, ok := sniffUTF16(b[:len(b)&^1]); ok {
			return utf16Name(bigEndian)
		}
	}
	if valid {
		return encUTF8
	}
	return encGB18030
}

// utf8Start returns where the last character of b begins when it is incomplete (at most three
// bytes from the end), else len(b).
func utf8Start(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		if c := b[i]; c < 0x80 {
			return len(b)
		} else if c >= 0xC0 {
			if i+utf8Len(c) > len(b) {
				return i
			}
			return len(b)
		}
	}
	return len(b)
}

// The paragraph ends cutAt looks for.
var (
	blankLine   = []byte("\n\n")
	blankLineCR = []byte("\n\r\n")
)

// cutAt returns the length of the part that begins b, the next bytes of a file in encoding
// enc (see ReadParts for where it cuts): at least one character, at most limit bytes. b may
// hold a few bytes past limit, where the next part begins: they tell whether a figure goes on
// there.
func cutAt(b []byte, limit int, enc string) int {
	if enc == encUTF16LE || enc == encUTF16BE {
		return cutUTF16(b, limit, enc == encUTF16BE)
	}
	full := b
	b = b[:limit]
	// In UTF-8 and GB18030 a line feed is never part of another character.
	half := len(b) / 2
	if i := max(bytes.LastIndex(b[half:], blankLine), bytes.LastIndex(b[half:], blankLineCR)); i >= 0 {
		return half + i + bytes.IndexByte(b[half+i+1:], '\n') + 2
	}
	line := bytes.LastIndexByte(b, '\n') + 1
	if line > half {
		return line
	}
	next := func(b []byte, i int) (int, bool) { // the length of the character at b[i]; a figure's?
		r, n := utf8.DecodeRune(b[i:])
		return n, figureRune(r)
	}
	sentences, clauses := sentenceEnds, clauseEnds
	if enc == encGB18030 {
		next = func(b []byte, i int) (int, bool) { n, _ := gbNext(b, i); return n, figureGB(b[i : i+n]) }
		sentences, clauses = gbSentenceEnds, gbClauseEnds
	}
	end := utf8Start(b) // a character cut by the end of b is left for the next part
	if enc == encGB18030 {
		end = len(b) - 3 // the longest character: a shorter one there may be cut too
	}
	sentence, clause, boundary := 0, 0, 0
	var fig figureCut
	for i := 0; i < end; {
		n, figure := next(b, i)
		c := b[i : i+n]
		fig.at(i, figure)
		i += n
		boundary = i
		if ascii := c[0] == ' ' || c[0] == ',' || c[0] == ';'; ascii && !(i-n > 0 && i < len(b) && isDigit(b[i-n-1]) && isDigit(b[i])) ||
			slices.ContainsFunc(clauses, func(e []byte) bool { return bytes.Equal(c, e) }) {
			clause = i // not a space or comma between digits: 1,234,567 is one figure
		} else if slices.ContainsFunc(sentences, func(e []byte) bool { return bytes.Equal(c, e) }) {
			sentence = i
		}
	}
	// The character after the last boundary, maybe in the next part: none when b ends there.
	after := false
	if boundary < len(full) {
		_, after = next(full, boundary)
	}
	fig.at(boundary, after)
	switch {
	case sentence >= half:
		return sentence
	case clause >= half: // a figure is never cut in two
		return clause
	case line > 0: // a long paragraph after a short line: the line is a part of its own
		return line
	}
	if boundary > 0 {
		return fig.cut(boundary, half)
	}
	return len(b) // no whole character: b is far shorter than a part
}

// figureCut finds the last resort of cutAt and cutUTF16, a part with no line end and no
// sentence or clause end in its second half (a table of figures, or text that lost its
// punctuation): the last character boundary with no figure character (figureRune) on either
// side, else the last one not between two. at is told every boundary, in order, with whether
// the character after it is a figure's.
type figureCut struct {
	clean, safe int  // the last boundaries with no figure on either side; not inside a figure
	prev        bool // the character before the boundary told next is a figure's
}

func (f *figureCut) at(i int, fig bool) {
	if i > 0 && !f.prev && !fig {
		f.clean = i
	}
	if i > 0 && !(f.prev && fig) {
		f.safe = i
	}
	f.prev = fig
}

// cut returns where a part whose last character boundary is boundary ends: at the last
// boundary in its second half (from half on) that cuts no figure, else at boundary. A figure
// longer than half a part (128 KiB of digits) is then cut: there is no better place.
func (f *figureCut) cut(boundary, half int) int {
	switch {
	case f.clean >= half:
		return f.clean
	case f.safe >= half:
		return f.safe
	}
	return boundary
}

// figureRune reports whether r may be part of a figure: an ASCII or full-width digit, a
// decimal point, a thousands comma, a percent or per-mille sign, a Chinese numeral (〇 to 九,
// 两, 十百千万亿兆, their financial forms 壹贰叁…, 点 the decimal point, 几多余 the vague
// ones) or the 分之 of 百分之十.
func figureRune(r rune) bool {
	switch {
	case '0' <= r && r <= '9', '０' <= r && r <= '９':
		return true
	case r < 0x80:
		return r == '.' || r == ',' || r == '%'
	case r < 0x10000:
		return chineseFigures[r>>6]&(1<<(r&63)) != 0
	}
	return false
}

// chineseFigure holds the characters other than ASCII that figureRune takes.
const chineseFigure = "．％‰〇零○一二两三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸點点几幾多余分之"

// chineseFigures is chineseFigure as a set of bits, one a character of the BMP (8 KiB): cutAt
// asks about every character of a part with no punctuation.
var chineseFigures = func() (set [0x10000 / 64]uint64) {
	for _, r := range chineseFigure {
		set[r>>6] |= 1 << (r & 63)
	}
	return set
}()

// gbFigures holds the GB18030 codes (two bytes, high byte first) of the full-width digits and
// chineseFigure.
var gbFigures = func() map[uint16]bool {
	m := make(map[uint16]bool)
	for _, r := range "０１２３４５６７８９" + chineseFigure {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(string(r)))
		if err == nil && len(b) == 2 {
			m[uint16(b[0])<<8|uint16(b[1])] = true
		}
	}
	return m
}()

// figureGB is figureRune for the GB18030 character c.
func figureGB(c []byte) bool {
	switch len(c) {
	case 1:
		return figureRune(rune(c[0]))
	case 2:
		return gbFigures[uint16(c[0])<<8|uint16(c[1])]
	}
	return false
}

// The sentence ends (。！？) and clause ends (，；、：) cutAt looks for, in UTF-8 and in GB18030.
var (
	sentenceEnds   = [][]byte{[]byte("。"), []byte("！"), []byte("？")}
	clauseEnds     = [][]byte{[]byte("，"), []byte("；"), []byte("、"), []byte("：")}
	gbSentenceEnds = [][]byte{{0xA1, 0xA3}, {0xA3, 0xA1}, {0xA3, 0xBF}}
	gbClauseEnds   = [][]byte{{0xA3, 0xAC}, {0xA3, 0xBB}, {0xA1, 0xA2}, {0xA3, 0xBA}}
)

// cutUTF16 is cutAt for UTF-16, with the same preferences but blank lines.
func cutUTF16(b []byte, limit int, bigEndian bool) int {
	full := b
	b = b[:limit]
	half := len(b) / 2
	digit := func(i int) bool { u := unit16(b, i, bigEndian); return u >= '0' && u <= '9' }
	line, sentence, clause, boundary := 0, 0, 0, 0
	var fig figureCut
	for i := 0; i+2 <= len(b); i += 2 {
		u := unit16(b, i, bigEndian)
		if i == boundary { // not the second half of a surrogate pair
			fig.at(i, figureRune(u))
		}
		switch {
		case u == '\n':
			line = i + 2
		case u == '。' || u == '！' || u == '？':
			sentence = i + 2
		case u == '，' || u == '；' || u == '、' || u == '：':
			clause = i + 2
		case u == ' ' || u == ',' || u == ';':
			if !(i >= 2 && i+4 <= len(b) && digit(i-2) && digit(i+2)) {
				clause = i + 2
			}
		case u >= 0xD800 && u <= 0xDBFF:
			continue // the first half of a pair: no boundary after it
		}
		boundary = i + 2
	}
	// The character after the last boundary, maybe in the next part: none when b ends there.
	fig.at(boundary, boundary+2 <= len(full) && figureRune(unit16(full, boundary, bigEndian)))
	switch {
	case line > half:
		return line
	case sentence >= half:
		return sentence
	case clause >= half:
		return clause
	case line > 0:
		return line
	case boundary > 0:
		return fig.cut(boundary, half)
	}
	return len(b) &^ 1
}

// isASCII reports whether every byte of b is below 0x80.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// charsOf is about the number of code points b decodes to in enc, a bad byte counted as one
// and a CR LF as one line end: the raw length of a part that could not be decoded, from which
// the raw offsets of the parts after it count.
func charsOf(b []byte, enc string) int {
	switch enc {
	case encUTF16LE, encUTF16BE:
		return len(b) / 2
	case encGB18030:
		n := 0
		for i := 0; i < len(b); n++ {
			k, _ := gbNext(b, i)
			i += k
		}
		return n - bytes.Count(b, crlfBytes)
	}
	return utf8.RuneCount(b) - bytes.Count(b, crlfBytes)
}

var crlfBytes = []byte("\r\n")

// decodeAs decodes b, a later part of a file whose first part was found to be in enc; at is
// where b begins in the file, for the offsets in messages.
func decodeAs(b []byte, enc string, at int64) (string, error) {
	base := int(at)
	switch enc {
	case encUTF8, encUTF8BOM:
		if !utf8.Valid(b) {
			return "", fmt.Errorf("not valid UTF-8 text (first bad byte at offset %d)", base+scanUTF8(b).first)
		}
		if ctl, first := controls(b); ctl*binaryCtlDen > len(b) {
			return "", binaryError(-1, base+first)
		}
		return normalizeUTF8(b), nil
	case encUTF16LE, encUTF16BE:
		return decodeUTF16(b, enc == encUTF16BE, base)
	case encGB18030:
		g := scanGB18030(b)
		text, repl := decodeGB18030(b, g.size)
		if repl*gbBadDen > g.good+g.weak {
			return "", fmt.Errorf("not valid GB18030 text (first bad byte at offset %d)", base+max(firstBadGB18030(b), 0))
		}
		return text, nil
	}
	return "", errors.New("unknown encoding " + enc)
}

// Spool reads standard input (r) whole when it holds at most WholeBytes and is not dense, and
// returns its bytes (whole). A larger input, or a dense one, is copied to a temporary file
// (path), to be read in parts like any such file, and the caller removes the file once it is
// read. At most limit bytes are
// copied: size is more than limit when the input is larger, and then there is no file.
func Spool(r io.Reader, limit int64) (whole []byte, path string, size int64, err error) {
	head, err := io.ReadAll(io.LimitReader(r, WholeBytes+1))
	if err != nil || len(head) <= WholeBytes && !dense(head) {
		return head, "", int64(len(head)), err
	}
	f, err := os.CreateTemp("", "newsfacts-stdin-*.txt")
	if err != nil {
		return nil, "", 0, fmt.Errorf("standard input: %w", err)
	}
	defer f.Close()
	n, err := f.Write(head)
	size = int64(n)
	if err == nil {
		var more int64
		more, err = io.Copy(f, io.LimitReader(r, limit+1-size))
		size += more
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil || size > limit {
		os.Remove(f.Name())
		if err != nil {
			return nil, "", size, fmt.Errorf("standard input: %w", err)
		}
		return nil, "", size, nil
	}
	return nil, f.Name(), size, nil
}
