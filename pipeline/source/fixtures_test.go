package source

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata/source")

// sample is the known text of the encoding fixtures: Chinese with ASCII digits, full-width
// punctuation and an ideographic space.
const sample = "人民日报　1998年1月1日　第1版\n" +
	"迈向充满希望的新世纪——一九九八年新年讲话\n" +
	"本报北京12月31日电　国家主席江泽民发表新年讲话。全年粮食产量达到4.9亿吨，增长3.5%。\n"

// sampleCJK has no ASCII but one line feed: in UTF-16 only that and 一 (U+4E00) and the
// ideographic space (U+3000) hold a NUL byte, at both parities.
const sampleCJK = "一九九八年　新年讲话\n坚持改革开放，一切从实际出发。"

// sampleGB adds characters that GB18030 encodes in four bytes (𠮷 outside the BMP, ¥ and ü
// inside it).
const sampleGB = sample + "𠮷野家　¥100　ü\n"

// badUTF8 is sample with four bad bytes in three places: a stray continuation byte, a
// character cut after two of its three bytes, and a Latin-1 é.
var badUTF8 = strings.Replace(strings.Replace(strings.Replace(sample,
	"1998", "1998\x80", 1),
	"讲话", "讲\xe8\xaf", 1),
	"4.9", "4.9\xe9", 1)

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func utf16Bytes(s string, order binary.AppendByteOrder) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

func gb18030Bytes(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// pngLike is the start of a PNG file followed by bytes that look compressed.
func pngLike() []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x02\x00\x00\x00\x01\x80\x08\x06\x00\x00\x00")
	x := uint32(2463534242)
	for range 400 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, byte(x))
	}
	return b
}

// fixtureCase is one file of testdata/source and what Decode must make of it.
type fixtureCase struct {
	name string
	data []byte
	enc  string // the encoding Decode must report, when it succeeds
	raw  string // the text Decode must give
	err  string // the message after "<path>: ", when it fails
}

func fixtureCases(t testing.TB) []fixtureCase {
	return []fixtureCase{
		{name: "utf8.txt", data: []byte(sample), enc: "utf-8", raw: sample},
		{name: "utf8-crlf.txt", data: []byte(crlf(sample)), enc: "utf-8", raw: sample},
		{name: "utf8-bom.txt", data: concat(bomUTF8, []byte(crlf(sample))), enc: "utf-8-bom", raw: sample},
		{name: "utf16le-bom.txt", data: concat(bomUTF16LE, utf16Bytes(sample, binary.LittleEndian)), enc: "utf-16le", raw: sample},
		{name: "utf16be-bom.txt", data: concat(bomUTF16BE, utf16Bytes(crlf(sample), binary.BigEndian)), enc: "utf-16be", raw: sample},
		{name: "utf16le.txt", data: utf16Bytes(sample, binary.LittleEndian), enc: "utf-16le", raw: sample},
		{name: "utf16be.txt", data: utf16Bytes(crlf(sample), binary.BigEndian), enc: "utf-16be", raw: sample},
		{name: "utf16le-cjk.txt", data: utf16Bytes(sampleCJK, binary.LittleEndian), enc: "utf-16le", raw: sampleCJK},
		{name: "utf16be-cjk.txt", data: utf16Bytes(sampleCJK, binary.BigEndian), enc: "utf-16be", raw: sampleCJK},
		{name: "gb18030.txt", data: gb18030Bytes(t, crlf(sampleGB)), enc: "gb18030", raw: sampleGB},
		{name: "empty.txt", data: []byte{}, err: "empty file"},
		{name: "binary.png", data: pngLike(), err: "binary data, not text (NUL bytes at offset 8)"},
		{name: "bad-utf8.txt", data: []byte(badUTF8),
			err: "not valid UTF-8 text (4 bad bytes; first bad byte at offset " +
				strconv.Itoa(strings.Index(badUTF8, "1998\x80")+len("1998")) + ")"},
	}
}

// TestFixtures checks that the files in testdata/source are the ones fixtureCases makes;
// go test ./pipeline/source -run TestFixtures -update rewrites them.
func TestFixtures(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "testdata", "source")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range fixtureCases(t) {
		p := filepath.Join(dir, c.name)
		if len(c.data) > 10<<10 {
			t.Errorf("%s: %d bytes, keep fixtures under 10 KB", c.name, len(c.data))
		}
		if *update {
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run go test ./pipeline/source -run TestFixtures -update)", err)
		}
		if !bytes.Equal(got, c.data) {
			t.Errorf("%s differs from what the test generates; run go test ./pipeline/source -run TestFixtures -update", p)
		}
	}
}

// TestDecodeFixtures reads and decodes every fixture file.
func TestDecodeFixtures(t *testing.T) {
	for _, c := range fixtureCases(t) {
		t.Run(c.name, func(t *testing.T) {
			p := fixture(t, c.name)
			d := Read(Input{Path: p}, nil)
			if d.Failed() {
				t.Fatalf("Read(%s): %s", p, d.Error)
			}
			Decode(d)
			if d.Bytes != nil {
				t.Errorf("Decode left Bytes set")
			}
			if c.err != "" {
				want := p + ": " + c.err
				if !d.Failed() || d.Error != want || d.Stage != "decode" {
					t.Errorf("Decode(%s): status %q stage %q error %q, want failed in decode with %q",
						c.name, d.Status, d.Stage, d.Error, want)
				}
				return
			}
			if d.Failed() {
				t.Fatalf("Decode(%s) failed: %s", c.name, d.Error)
			}
			if d.Encoding != c.enc {
				t.Errorf("Decode(%s).Encoding = %q, want %q", c.name, d.Encoding, c.enc)
			}
			if d.Raw != c.raw {
				t.Errorf("Decode(%s).Raw = %q, want %q", c.name, d.Raw, c.raw)
			}
		})
	}
}
