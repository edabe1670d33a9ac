package pdf

import (
	"bytes"
	"compress/lzw"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// pdfWriter writes small but complete PDFs for the tests: numbered objects, a cross-reference
// table and a trailer, as any PDF writer does. The text uses a non-embedded Adobe-GB1 font
// (STSong-Light) through the predefined UniGB-UTF16-H CMap, which every PDF reader with the
// Adobe CJK support (poppler with poppler-data, Acrobat, pdf.js) can show and extract.
type pdfWriter struct {
	objs []string
}

func (w *pdfWriter) reserve() int {
	w.objs = append(w.objs, "")
	return len(w.objs)
}

func (w *pdfWriter) set(id int, s string) { w.objs[id-1] = s }

func (w *pdfWriter) add(s string) int {
	id := w.reserve()
	w.set(id, s)
	return id
}

func (w *pdfWriter) stream(dict string, data []byte) int {
	return w.add(fmt.Sprintf("<<%s /Length %d>>\nstream\n%s\nendstream", dict, len(data), data))
}

func (w *pdfWriter) bytes(root int, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(w.objs))
	for i, o := range w.objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(w.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(w.objs)+1, root, trailer, x)
	return b.Bytes()
}

// run is one line of text drawn at (x, y) in the given size.
type run struct {
	x, y, size float64
	text       string
}

// hex16 is text as a UTF-16BE hex string, the codes of UniGB-UTF16-H.
func hex16(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// textPDF makes a PDF of A4 pages, each drawing its runs in the order given. cmapName is the
// Type0 font's encoding (UniGB-UTF16-H, or -V for vertical writing).
func textPDF(pages [][]run, cmapName string) []byte {
	w := &pdfWriter{}
	catalog := w.reserve()
	tree := w.reserve()
	font := w.cjkFont(cmapName)
	var kids []string
	for _, runs := range pages {
		var c bytes.Buffer
		for _, r := range runs {
			fmt.Fprintf(&c, "BT /F1 %.2f Tf %.2f %.2f Td %s Tj ET\n", r.size, r.x, r.y, hex16(r.text))
		}
		content := w.stream("", c.Bytes())
		page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", tree, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)))
	w.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(catalog, "")
}

// cjkFont adds the STSong-Light Type0 font and returns its object number.
func (w *pdfWriter) cjkFont(cmapName string) int {
	desc := w.add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	return w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-%s /Encoding /%s /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 /W [1 95 500] >>] >>", cmapName, cmapName, desc))
}

// zeroPagePDF is a well-formed PDF whose page tree is empty.
func zeroPagePDF() []byte {
	w := &pdfWriter{}
	tree := w.add("<< /Type /Pages /Kids [] /Count 0 >>")
	cat := w.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(cat, "")
}

// badPagePDF has three pages; the second's content is LZW-compressed (a standard filter,
// written here with EarlyChange 0 so that Go's compress/lzw makes it), which ledongthuc/pdf
// does not support and panics on.
func badPagePDF() []byte {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	font := w.cjkFont("UniGB-UTF16-H")
	var kids []string
	for i, text := range []string{"第一页正文", "第二页正文", "第三页正文"} {
		content := []byte(fmt.Sprintf("BT /F1 12 Tf 72 720 Td %s Tj ET", hex16(text)))
		var strm int
		if i == 1 {
			var z bytes.Buffer
			lw := lzw.NewWriter(&z, lzw.MSB, 8)
			lw.Write(content)
			lw.Close()
			strm = w.stream(" /Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>", z.Bytes())
		} else {
			strm = w.stream("", content)
		}
		page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", tree, font, strm))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count 3 >>", strings.Join(kids, " ")))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(cat, "")
}

// encryptedPDF is a one-page PDF encrypted with the standard security handler (RC4, 128-bit,
// revision 3) and the user password "secret", made as PDF 32000-1 §7.6.3 says (algorithms 2,
// 3 and 5); `pdftotext -upw secret` opens it.
func encryptedPDF() []byte { return encryptedWith("secret") }

// encryptedWith encrypts with the given user password ("" opens without one: permissions only).
func encryptedWith(user string) []byte {
	pad := []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
		0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}
	padded := func(pw string) []byte { return append([]byte(pw), pad...)[:32] }
	rc4x := func(key, data []byte) []byte {
		c, _ := rc4.NewCipher(key)
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out
	}
	rounds := func(key, data []byte) []byte { // RC4 with key, then with key XOR 1 … 19
		data = rc4x(key, data)
		for i := byte(1); i <= 19; i++ {
			k := make([]byte, len(key))
			for j := range key {
				k[j] = key[j] ^ i
			}
			data = rc4x(k, data)
		}
		return data
	}
	md5n := func(b []byte) []byte { // MD5, then 50 more rounds of its first 16 bytes
		s := md5.Sum(b)
		for i := 0; i < 50; i++ {
			s = md5.Sum(s[:16])
		}
		return s[:16]
	}
	id := []byte("newsfactsTESTid!")
	var P int32 = -3904
	okey := md5n(padded("owner"))
	O := rounds(okey, padded(user))
	var pb [4]byte
	binary.LittleEndian.PutUint32(pb[:], uint32(P))
	key := md5n(append(append(append(padded(user), O...), pb[:]...), id...))
	u := md5.Sum(append(append([]byte{}, pad...), id...))
	U := append(rounds(key, u[:]), make([]byte, 16)...)

	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	font := w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	strm := w.reserve()
	ok := md5.Sum(append(append([]byte{}, key...), byte(strm), byte(strm>>8), byte(strm>>16), 0, 0))
	data := rc4x(ok[:16], []byte("BT /F1 24 Tf 72 720 Td (Secret) Tj ET"))
	w.set(strm, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data))
	page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", tree, font, strm))
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	enc := w.add(fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%X> /U <%X> >>", P, O, U))
	return w.bytes(cat, fmt.Sprintf("/Encrypt %d 0 R /ID [<%X> <%X>] ", enc, id, id))
}
