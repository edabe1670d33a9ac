package source

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsfacts/newsfacts/pipeline"
)

func TestDecode(t *testing.T) {
	gb := func(s string) string { return string(gb18030Bytes(t, s)) }
	le := func(s string) string { return string(utf16Bytes(s, binary.LittleEndian)) }
	be := func(s string) string { return string(utf16Bytes(s, binary.BigEndian)) }
	const bomLE, bomBE, bom8 = "\xff\xfe", "\xfe\xff", "\xef\xbb\xbf"
	tests := []struct {
		name, in string
		enc, raw string // on success
		err      string // on failure, after "doc.txt: "
	}{
		{"crlf and lone cr", "a\r\nb\rc\n\r\n", "utf-8", "a\nb\nc\n\n", ""},
		{"cr runs", "\r\r\n\r", "utf-8", "\n\n\n", ""},
		{"no line ending", "人民日报", "utf-8", "人民日报", ""},
		{"stray controls kept", "第1版\x00 要闻\x01\x1b", "utf-8", "第1版\x00 要闻\x01\x1b", ""},
		{"bom crlf", bom8 + "a\r\nb", "utf-8-bom", "a\nb", ""},
		{"utf-16le ascii without bom", le("hello\r\nworld\n"), "utf-16le", "hello\nworld\n", ""},
		{"utf-16be ascii without bom", be("hello\n"), "utf-16be", "hello\n", ""},
		{"utf-16le bom surrogate pair", bomLE + le("𠮷野家\r\n"), "utf-16le", "𠮷野家\n", ""},
		{"utf-16be bom", bomBE + be("新年讲话"), "utf-16be", "新年讲话", ""},
		{"gbk two characters", gb("中文"), "gb18030", "中文", ""},
		{"gbk crlf", gb("第一行\r\n第二行\r第三行"), "gb18030", "第一行\n第二行\n第三行", ""},
		{"gb18030 four-byte", gb("¥100，𠮷"), "gb18030", "¥100，𠮷", ""},

		{"empty", "", "", "", "empty file"},
		{"only a bom", bom8, "", "", "empty file (only a byte-order mark)"},
		{"only a utf-16 bom", bomLE, "", "", "empty file (only a byte-order mark)"},
		{"all NUL", strings.Repeat("\x00", 64), "", "", "binary data, not text (NUL bytes at offset 0)"},
		{"utf-32le", "a\x00\x00\x00b\x00\x00\x00", "", "", "binary data, not text (NUL bytes at offset 1)"},
		{"mostly control bytes", "ab\x01\x02\x03\x04", "", "", "binary data, not text (control bytes at offset 2)"},
		{"high bytes and controls", "\x8f\x01\xa0\x02\xfd\x03", "", "", "binary data, not text (control bytes at offset 1)"},
		{"png header", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "", "binary data, not text (NUL bytes at offset 8)"},
		{"latin-1 before a space", "caf\xe9 au lait", "", "", "not valid UTF-8, UTF-16 or GB18030 text (first bad byte at offset 3)"},
		{"latin-1 before a letter", "na\xefve", "", "", "not valid UTF-8, UTF-16 or GB18030 text (first bad byte at offset 2)"},
		{"utf-8 cut short", "中文\xe6\x96", "", "", "not valid UTF-8 text (2 bad bytes; first bad byte at offset 6)"},
		{"utf-8 with a stray byte", "第一行\n第二\xff行\n", "", "", "not valid UTF-8 text (1 bad byte; first bad byte at offset 16)"},
		{"utf-8 with latin-1 é", "人民日报 caf\xe9 人民日报", "", "", "not valid UTF-8 text (1 bad byte; first bad byte at offset 16)"},
		{"bom then bad utf-8", bom8 + "ab\xff", "", "", "not valid UTF-8 text after a UTF-8 byte-order mark (first bad byte at offset 5)"},
		{"utf-16 bom odd length", bomBE + be("新年") + "x", "", "", "not valid UTF-16BE text (odd number of bytes, last byte at offset 6)"},
		// a UTF-16 file without a byte-order mark, cut short by a byte: told as UTF-16, not binary
		{"utf-16le no bom odd length", le("新年讲话，人民日报。\n") + "\x4e", "", "", "not valid UTF-16LE text (odd number of bytes, last byte at offset 22)"},
		{"utf-16be no bom odd length", be("hello world\n") + "\x00", "", "", "not valid UTF-16BE text (odd number of bytes, last byte at offset 24)"},
		{"utf-16 bom lone high surrogate", bomLE + "\x3d\xd8a\x00", "", "", "not valid UTF-16LE text (unpaired surrogate at offset 2)"},
		{"utf-16 bom lone low surrogate", bomLE + "a\x00\x00\xdc", "", "", "not valid UTF-16LE text (unpaired surrogate at offset 4)"},
		{"utf-16 bom surrogate at end", bomBE + "\xd8\x3d", "", "", "not valid UTF-16BE text (unpaired surrogate at offset 2)"},
		{"gbk half and utf-8 half", "人民日报社论" + gb("人民日报社论"), "", "", "not valid UTF-8, UTF-16 or GB18030 text (first bad byte at offset 16)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &pipeline.Doc{Source: "doc.txt", Bytes: []byte(tt.in)}
			Decode(d)
			if d.Bytes != nil {
				t.Errorf("Decode(%q) left Bytes set", tt.in)
			}
			if tt.err != "" {
				if want := "doc.txt: " + tt.err; d.Error != want || !d.Failed() || d.Stage != "decode" {
					t.Errorf("Decode(%q): status %q, stage %q, error %q; want failed in decode with %q",
						tt.in, d.Status, d.Stage, d.Error, want)
				}
				return
			}
			if d.Failed() {
				t.Fatalf("Decode(%q) failed: %s", tt.in, d.Error)
			}
			if d.Encoding != tt.enc || d.Raw != tt.raw {
				t.Errorf("Decode(%q) = %q, %q; want %q, %q", tt.in, d.Encoding, d.Raw, tt.enc, tt.raw)
			}
		})
	}
}

// TestDecodeFailedDoc checks that Decode leaves a failed document alone.
func TestDecodeFailedDoc(t *testing.T) {
	d := &pipeline.Doc{Source: "x", Bytes: []byte("text"), Status: pipeline.StatusFailed, Stage: "read", Error: "x: gone"}
	Decode(d)
	if d.Bytes != nil || d.Raw != "" || d.Stage != "read" || d.Error != "x: gone" {
		t.Errorf("Decode changed a failed document: %+v", d)
	}
}

// TestDecodePD1998 decodes the GBK original of People's Daily, January 1998, and its UTF-8
// copy: the texts must be the same.
func TestDecodePD1998(t *testing.T) {
	gbk, u8 := pd1998(t)
	g := &pipeline.Doc{Source: "199801.txt", Bytes: gbk}
	u := &pipeline.Doc{Source: "199801.utf8.txt", Bytes: u8}
	Decode(g)
	Decode(u)
	for _, d := range []*pipeline.Doc{g, u} {
		if d.Failed() {
			t.Fatalf("Decode(%s): %s", d.Source, d.Error)
		}
	}
	if g.Encoding != "gb18030" || u.Encoding != "utf-8" {
		t.Errorf("encodings %q and %q, want gb18030 and utf-8", g.Encoding, u.Encoding)
	}
	if g.Raw != u.Raw {
		i := 0
		for i < len(g.Raw) && i < len(u.Raw) && g.Raw[i] == u.Raw[i] {
			i++
		}
		t.Fatalf("decoded GBK and UTF-8 differ at byte %d: %q vs %q", i, g.Raw[i:min(i+30, len(g.Raw))], u.Raw[i:min(i+30, len(u.Raw))])
	}
	want := strings.ReplaceAll(strings.ReplaceAll(string(u8), "\r\n", "\n"), "\r", "\n")
	if u.Raw != want {
		t.Errorf("UTF-8 copy: Raw is not the file with normalised line endings")
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		chunks []string
		want   string
	}{
		{[]string{"a\r", "\nb"}, "a\nb"},
		{[]string{"a\r", "", "\nb"}, "a\nb"},
		{[]string{"\r", "\r", "\n"}, "\n\n"},
		{[]string{"a\r\n", "\n"}, "a\n\n"},
		{[]string{"x\ry\r\nz"}, "x\ny\nz"},
		{[]string{"\n\r\n\r"}, "\n\n\n"},
	}
	for _, tt := range tests {
		var w lines
		for _, c := range tt.chunks {
			w.write([]byte(c))
		}
		if got := w.sb.String(); got != tt.want {
			t.Errorf("lines.write(%q...) = %q, want %q", tt.chunks, got, tt.want)
		}
	}
}

// TestSniffUTF16 checks the guard against reading ASCII as UTF-16 ("Bush hid the facts").
func TestSniffUTF16(t *testing.T) {
	tests := []struct {
		in        string
		bigEndian bool
		ok        bool
	}{
		{"Bush hid the facts", false, false},
		{"this app can break", false, false},
		{"plain ASCII text\x00 with a NUL", false, false},
		{string(utf16Bytes("新年讲话\n", binary.LittleEndian)), false, true},
		{string(utf16Bytes("新年讲话\n", binary.BigEndian)), true, true},
		{string(utf16Bytes(sampleCJK, binary.BigEndian)), true, true},
		{string(gb18030Bytes(t, "一九九八年新年讲话\n")), false, false},
		{"\x00\x00\x00\x00", false, false},
	}
	for _, tt := range tests {
		be, ok := sniffUTF16([]byte(tt.in))
		if ok != tt.ok || ok && be != tt.bigEndian {
			t.Errorf("sniffUTF16(%q) = %v, %v; want %v, %v", tt.in, be, ok, tt.bigEndian, tt.ok)
		}
	}
}

// TestGBNextAgreesWithXText runs gbNext and golang.org/x/text's decoder over every two-byte
// sequence, a wide set of four-byte ones and sequences cut short by the end of the input:
// both must split the bytes into the same characters and find the same bad bytes.
func TestGBNextAgreesWithXText(t *testing.T) {
	var all []byte
	for c0 := 0x80; c0 <= 0xFF; c0++ {
		for c1 := 0; c1 <= 0xFF; c1++ {
			all = append(all, byte(c0), byte(c1), '\n')
		}
	}
	for _, c0 := range []byte{0x80, 0x81, 0x84, 0x85, 0x8F, 0x90, 0xE3, 0xE4, 0xFE, 0xFF} {
		for c1 := byte(0x2F); c1 <= 0x41; c1++ {
			for c2 := 0x7F; c2 <= 0xFF; c2++ {
				for c3 := byte(0x2F); c3 <= 0x3A; c3++ {
					all = append(all, c0, c1, byte(c2), c3, '\n')
				}
			}
		}
	}
	inputs := [][]byte{all}
	for _, tail := range []string{"\x81", "\x81\x30", "\x81\x30\x81", "\x90\x30\x81\x30", "\x84\x31\xa4", "\xfe", "\xff"} {
		inputs = append(inputs, []byte("ab"+tail))
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	var one [8]byte
	for _, in := range inputs {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(in)
		if err != nil {
			t.Fatal(err)
		}
		var chars, bad int
		for i := 0; i < len(in); {
			n, k := gbNext(in, i)
			chars++
			if k == gbBad {
				bad++
			} else if n > 1 {
				// Well-formed but unassigned two-byte codes decode to U+FFFD too, and so
				// does 84 31 A4 37, which is U+FFFD.
				if m, _, _ := dec.Transform(one[:], in[i:i+n], true); bytes.Equal(one[:m], fffd) {
					bad++
				}
			}
			i += n
		}
		name := fmt.Sprintf("%d bytes ending % x", len(in), in[max(0, len(in)-4):])
		if got := utf8.RuneCount(out); got != chars {
			t.Errorf("%s: x/text decodes %d characters, gbNext finds %d", name, got, chars)
		}
		if got := bytes.Count(out, fffd); got != bad {
			t.Errorf("%s: x/text writes %d U+FFFD, gbNext and the unassigned codes make %d", name, got, bad)
		}
		if s := scanGB18030(in); s.size < len(out) || s.chars != chars {
			t.Errorf("%s: scanGB18030 finds %d characters and a size bound %d; x/text %d and %d", name, s.chars, s.size, chars, len(out))
		}
	}
}

// TestDecodeGB18030Unassigned checks the share of bad characters GB18030 text may have: one
// unassigned code among 199 good characters is kept (as U+FFFD), among 19 it fails the
// document at its offset.
func TestDecodeGB18030Unassigned(t *testing.T) {
	unassigned := func() []byte {
		for c0 := 0x81; c0 <= 0xFE; c0++ {
			for c1 := 0x80; c1 <= 0xFE; c1++ {
				seq := []byte{byte(c0), byte(c1)}
				if out, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(seq); bytes.Equal(out, fffd) {
					return seq
				}
			}
		}
		t.Fatal("no unassigned two-byte code")
		return nil
	}()
	text := gb18030Bytes(t, strings.Repeat("新年讲话", 50)) // 200 characters
	for _, tt := range []struct {
		chars int
		ok    bool
	}{{199, true}, {19, false}} {
		in := concat(text[:2*(tt.chars-9)], unassigned, text[:2*9])
		d := &pipeline.Doc{Source: "doc.txt", Bytes: in}
		Decode(d)
		if tt.ok {
			if d.Failed() || d.Encoding != "gb18030" || strings.Count(d.Raw, "\uFFFD") != 1 {
				t.Errorf("%d characters and one unassigned: %q %q %q, want gb18030 with one U+FFFD", tt.chars, d.Encoding, d.Error, d.Raw)
			}
			continue
		}
		want := "doc.txt: not valid UTF-8, UTF-16 or GB18030 text (first bad byte at offset " + strconv.Itoa(2*(tt.chars-9)) + ")"
		if d.Error != want {
			t.Errorf("%d characters and one unassigned: error %q, want %q", tt.chars, d.Error, want)
		}
	}
}

// BenchmarkDecode decodes People's Daily, January 1998, in its GBK original and its UTF-8
// copy.
func BenchmarkDecode(b *testing.B) {
	gbk, u8 := pd1998(b)
	for _, c := range []struct {
		name string
		data []byte
	}{{"gb18030", gbk}, {"utf-8", u8}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				d := &pipeline.Doc{Source: c.name, Bytes: c.data}
				Decode(d)
				if d.Failed() {
					b.Fatal(d.Error)
				}
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, c := range fixtureCases(f) {
		f.Add(c.data)
	}
	for _, s := range []string{"a\r\nb\r", "\xff\xfe\x00", "\xfe\xff\xd8\x00", "\xef\xbb\xbf\r", "中文\xe6", "\x81\x30\x81", "\x00a\x00b"} {
		f.Add([]byte(s))
	}
	encodings := map[string]bool{"utf-8": true, "utf-8-bom": true, "utf-16le": true, "utf-16be": true, "gb18030": true}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := &pipeline.Doc{Source: "fuzz.txt", Bytes: bytes.Clone(in)}
		Decode(d)
		if d.Bytes != nil {
			t.Fatalf("Decode(%q) left Bytes set", in)
		}
		if d.Failed() {
			if !strings.HasPrefix(d.Error, "fuzz.txt: ") || d.Stage != "decode" || d.Raw != "" {
				t.Fatalf("Decode(%q) failed badly: stage %q, error %q", in, d.Stage, d.Error)
			}
			return
		}
		if !utf8.ValidString(d.Raw) {
			t.Fatalf("Decode(%q).Raw = %q is not valid UTF-8", in, d.Raw)
		}
		if strings.Contains(d.Raw, "\r") {
			t.Fatalf("Decode(%q).Raw = %q holds a carriage return", in, d.Raw)
		}
		if !encodings[d.Encoding] {
			t.Fatalf("Decode(%q).Encoding = %q", in, d.Encoding)
		}
		if d.Encoding == "utf-8" {
			if want := strings.ReplaceAll(strings.ReplaceAll(string(in), "\r\n", "\n"), "\r", "\n"); d.Raw != want {
				t.Fatalf("Decode(%q).Raw = %q, want %q", in, d.Raw, want)
			}
		}
	})
}
