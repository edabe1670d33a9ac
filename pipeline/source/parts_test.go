package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/newsfacts/newsfacts/pipeline"
)

// TestCutAt: where a part ends, in order of preference: a blank line in the second half, the
// last line end, a sentence end in the second half, a clause end in the second half, the last
// character boundary.
func TestCutAt(t *testing.T) {
	gb := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	u16 := func(s string, big bool) string {
		e := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
		if big {
			e = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
		}
		b, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		name, enc, b string
		want         string // the part: b[:cut]
		next         string // the bytes after b, the next part's start
	}{
		{"blank line in the second half", encUTF8, "一行\n二行\n三行\n\n四行\n五", "一行\n二行\n三行\n\n", ""},
		{"blank line with CR", encUTF8, "一行\r\n二行\r\n三行\r\n\r\n四行\r\n五", "一行\r\n二行\r\n三行\r\n\r\n", ""},
		{"blank line in the first half: last line end", encUTF8, "一\n\n二行二行二行二行二行\n三行三行三行", "一\n\n二行二行二行二行二行\n", ""},
		{"line end", encUTF8, "一行字\n二行字字字", "一行字\n", ""},
		{"line end in the second half before a sentence end", encUTF8, "产值超300亿元。增长\n同比", "产值超300亿元。增长\n", ""},
		{"sentence end in the second half before a line end in the first", encUTF8, "标题\n今年产值超300亿元。增长", "标题\n今年产值超300亿元。", ""},
		{"sentence end", encUTF8, "今年产值超300亿元。增长12.5%。同比增长", "今年产值超300亿元。增长12.5%。", ""},
		{"sentence end in the first half: clause end", encUTF8, "产值。增长，同比增长12.5%，全年增长8", "产值。增长，同比增长12.5%，", ""},
		{"clause end", encUTF8, "今年产值超300亿元，增长12.5%，同比", "今年产值超300亿元，增长12.5%，", ""},
		{"space", encUTF8, "abcdefgh ijklm", "abcdefgh ", ""},
		{"no cut inside a figure: the whole window", encUTF8, "产值，今年产值为1,234,567,890元", "产值，今年产值为1,234,567,890元", ""},
		{"a comma between digits is no clause end", encUTF8, "今年产值，增长了, 为1,234,567", "今年产值，增长了, ", ""},
		{"character boundary, a character cut at the end left", encUTF8, "一二三四五" + "\xe5\x85", "一二三四五", ""},
		{"GB18030 line end", encGB18030, gb("一行字\n二行字字字"), gb("一行字\n"), ""},
		{"GB18030 sentence end", encGB18030, gb("今年产值超300亿元。增长12.5%。同比增长"), gb("今年产值超300亿元。增长12.5%。"), ""},
		{"GB18030 clause end", encGB18030, gb("今年产值超300亿元，增长12.5%，同比"), gb("今年产值超300亿元，增长12.5%，"), ""},
		{"GB18030 character boundary", encGB18030, gb("一二三四五六七八") + "\xb0", gb("一二三四五六七"), ""},
		{"UTF-16LE line end", encUTF16LE, u16("一行字\n二行字字字", false), u16("一行字\n", false), ""},
		{"UTF-16BE sentence end", encUTF16BE, u16("今年产值超300亿元。增长12.5%。同比", true), u16("今年产值超300亿元。增长12.5%。", true), ""},
		{"UTF-16LE title line, then a sentence end in the second half", encUTF16LE, u16("标题\n今年产值超300亿元。增长", false), u16("标题\n今年产值超300亿元。", false), ""},
		{"UTF-16BE no cut inside a figure", encUTF16BE, u16("今年产值，增长了, 为1,234,567", true), u16("今年产值，增长了, ", true), ""},
		{"UTF-16LE surrogate pair kept whole", encUTF16LE, u16("一二三四𠀀", false)[:10], u16("一二三四", false), ""},
		// No line end, no sentence or clause end in the second half: the last character
		// boundary there with no figure on either side, else one not inside a figure.
		{"no punctuation: not next to a figure", encUTF8, "经济发展建设市场1998010806002007", "经济发展建设市", ""},
		{"no punctuation: a figure going on in the next part", encUTF8, "市场经济百年发展1998", "市场经济百年发", "0108"},
		{"no punctuation: not after a figure either (1998|年)", encUTF8, "市场经济百年发展1998", "市场经济百年发", "年"},
		{"no punctuation: not inside a figure when every boundary is next to one", encUTF8, "经1998年1998年1998年1998", "经1998年1998年1998年", "0"},
		{"no punctuation: a figure longer than half the part is cut", encUTF8, "经济12345678901234567890", "经济12345678901234567890", "5"},
		{"GB18030 no punctuation: Chinese numerals", encGB18030, gb("人民经济发展突破三千二百万"), gb("人民经济发展突"), gb("元")},
		{"GB18030 no punctuation: full-width digits", encGB18030, gb("人民经济发展突破１２３"), gb("人民经济发展突"), gb("４")},
		{"UTF-16LE no punctuation: a figure going on in the next part", encUTF16LE, u16("市场增长百年经济1998", false), u16("市场增长百年经", false), u16("0108", false)},
		{"UTF-16BE no punctuation: not inside a figure", encUTF16BE, u16("经1998年1998年1998年1998", true), u16("经1998年1998年1998年", true), u16("0", true)},
	} {
		t.Run(c.name, func(t *testing.T) {
			cut := cutAt([]byte(c.b+c.next), len(c.b), c.enc)
			if got := c.b[:cut]; got != c.want {
				t.Errorf("cutAt = %d: %q, want %q", cut, got, c.want)
			}
		})
	}
}

// writeParts writes text in enc to a file and reads it back in parts, checking the parts'
// order and places; it returns them.
func writeParts(t *testing.T, b []byte, sum *[sha256.Size]byte) []*pipeline.Doc {
	t.Helper()
	path := filepath.Join(t.TempDir(), "archive_1998-01-05.txt")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var parts []*pipeline.Doc
	if err := ReadParts(context.Background(), path, path, sum, 0, func(d *pipeline.Doc) error { parts = append(parts, d); return nil }); err != nil {
		t.Fatal(err)
	}
	at := int64(0)
	for i, d := range parts {
		if d.Part.Index != i || d.Part.More != (i < len(parts)-1) || d.Part.Byte != at {
			t.Fatalf("part %d: %+v, want index %d, byte %d, more %v", i, d.Part, i, at, i < len(parts)-1)
		}
		if d.Source != path || d.PubDate != "1998-01-05" || d.Format != "text" {
			t.Errorf("part %d: source %q, pub date %q, format %q", i, d.Source, d.PubDate, d.Format)
		}
		if d.Size > PartBytes || d.Size <= 0 && !d.Failed() { // a part that ends a file early holds none
			t.Errorf("part %d: %d bytes, want 1 to %d", i, d.Size, PartBytes)
		}
		at += d.Size
	}
	if last := parts[len(parts)-1]; at != int64(len(b)) && !last.Failed() {
		t.Errorf("parts hold %d bytes, the file %d", at, len(b))
	}
	return parts
}

// TestReadParts: a file read in parts gives, part after part, the text it gives read whole, in
// each encoding, and every part carries the file's id.
func TestReadParts(t *testing.T) {
	var text strings.Builder
	for i := 0; text.Len() < 3*PartBytes; i++ {
		text.WriteString("今年前三季度，全市工业产值超300亿元，增长12.5%。")
		if i%40 == 39 {
			text.WriteString("\r\n\r\n") // a paragraph
		} else if i%7 == 6 {
			text.WriteString("\n")
		}
	}
	oneLine := strings.ReplaceAll(strings.ReplaceAll(text.String(), "\r", ""), "\n", "")
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text.String()))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text.String()))
	u16be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(oneLine))
	for _, c := range []struct {
		name string
		b    []byte
		enc  string
	}{
		{"UTF-8", []byte(text.String()), encUTF8},
		{"UTF-8 on one line", []byte(oneLine), encUTF8},
		{"UTF-8 with a BOM", append(append([]byte{}, bomUTF8...), text.String()...), encUTF8BOM},
		{"GB18030", gb, encGB18030},
		{"UTF-16LE with a BOM", u16, encUTF16LE},
		{"UTF-16BE on one line, no BOM", u16be, encUTF16BE},
	} {
		t.Run(c.name, func(t *testing.T) {
			sum := sha256.Sum256(c.b)
			parts := writeParts(t, c.b, &sum)
			if len(parts) < 3 {
				t.Fatalf("%d parts of %d bytes, want at least 3 (%s)", len(parts), len(c.b), parts[0].Error)
			}
			whole, enc, err := decode(c.b)
			if err != nil || enc != c.enc {
				t.Fatalf("read whole: %v, %s; want %s", err, enc, c.enc)
			}
			var got strings.Builder
			for i, d := range parts {
				if d.ID != IDOf(sum) || d.ID != docID(c.b) {
					t.Errorf("part %d: id %s, want %s", i, d.ID, docID(c.b))
				}
				if d.Failed() || d.Encoding != c.enc || d.Bytes != nil || d.RawChars != utf8.RuneCountInString(d.Raw) {
					t.Fatalf("part %d: %s, %d code points of %d, %d bytes left, %s", i, d.Encoding, d.RawChars,
						utf8.RuneCountInString(d.Raw), len(d.Bytes), d.Error)
				}
				if !utf8.ValidString(d.Raw) {
					t.Fatalf("part %d: not valid UTF-8", i)
				}
				got.WriteString(d.Raw)
			}
			if got.String() != whole {
				t.Errorf("the parts' text (%d bytes) differs from the whole file's (%d)", got.Len(), len(whole))
			}
		})
	}
}

// TestReadPartsKeepFigures: a text with no punctuation and no line end, Chinese words and
// figures only (a table that lost its layout), read in parts in UTF-8, GBK and UTF-16LE: no
// part ends between two characters of a figure, so that 1998010806002007 or 百分之十几 reach
// extraction whole. Before, the last resort cut at the part's last character, in the middle of
// the figure found there (in UTF-16, 1998010806002007百年 became 8010806002007百年).
func TestReadPartsKeepFigures(t *testing.T) {
	words := []string{"1998010806002007", "百年", "突破", "1998012612003010", "百分之十几", "经济",
		"增长", "３５６７８", "12.5%", "人民", "三千二百万", "建设", "1,234,567", "发展", "工业产值",
		"二〇〇七", "两亿", "市场"}
	rng := rand.New(rand.NewPCG(1998, 1))
	var text strings.Builder
	for text.Len() < 5<<20 { // 5 MB in UTF-8: some 2 million characters
		text.WriteString(words[rng.IntN(len(words))])
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text.String()))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text.String()))
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{"UTF-8", []byte(text.String())},
		{"GBK", gb},
		{"UTF-16LE", u16},
	} {
		t.Run(c.name, func(t *testing.T) {
			parts := writeParts(t, c.b, nil)
			if len(parts) < 10 {
				t.Fatalf("%d parts of %d bytes, want at least 10", len(parts), len(c.b))
			}
			var got strings.Builder
			for i, d := range parts {
				if d.Failed() || d.Size < PartBytes/2 && i < len(parts)-1 {
					t.Fatalf("part %d: %d bytes, %s", i, d.Size, d.Error)
				}
				if i > 0 {
					last, _ := utf8.DecodeLastRuneInString(parts[i-1].Raw)
					first, _ := utf8.DecodeRuneInString(d.Raw)
					if figureRune(last) && figureRune(first) {
						tail := []rune(parts[i-1].Raw)
						t.Errorf("part %d ends inside a figure, at byte %d: …%s | %s…", i-1, d.Part.Byte,
							string(tail[len(tail)-12:]), string([]rune(d.Raw)[:12]))
					}
				}
				got.WriteString(d.Raw)
			}
			if got.String() != text.String() {
				t.Errorf("the parts' text (%d bytes) differs from the whole (%d)", got.Len(), text.Len())
			}
		})
	}
}

// TestReadPartsFailures: a file that is not text fails whole, at its first part; a part that is
// not valid in the file's encoding fails alone, naming the offset in the file; an encoding that
// shows only after an ASCII start is not taken for a bad part; a file that changed since it was
// hashed fails its last part.
func TestReadPartsFailures(t *testing.T) {
	line := strings.Repeat("今年产值超300亿元，增长12.5%。\n", PartBytes/40)
	t.Run("binary", func(t *testing.T) {
		b := bytes.Repeat([]byte{0, 1, 2, 3, 0xff}, PartBytes)
		parts := writeParts(t, b, nil)
		if len(parts) != 1 || !parts[0].Failed() || parts[0].Stage != "decode" || !strings.Contains(parts[0].Error, "binary data") {
			t.Fatalf("got %d parts, first %+v", len(parts), parts[0].Part)
		}
	})
	t.Run("a bad byte in the second part", func(t *testing.T) {
		b := []byte(line + line + line)
		bad := len(line) + 100
		b[bad] = 0xff
		parts := writeParts(t, b, nil)
		var failed []string
		for _, d := range parts {
			if d.Failed() {
				failed = append(failed, d.Error)
				// Counted as it would decode, so that the raw offsets after it stay right.
				if want := utf8.RuneCount(b[d.Part.Byte : d.Part.Byte+d.Size]); d.RawChars != want {
					t.Errorf("failed part: %d code points, want %d", d.RawChars, want)
				}
			}
		}
		want := "not valid UTF-8 text (first bad byte at offset " + strconv.Itoa(bad) + ")"
		if len(failed) != 1 || !strings.Contains(failed[0], want) || !strings.Contains(failed[0], "archive_1998-01-05.txt") {
			t.Errorf("failed parts: %q, want one with %q", failed, want)
		}
	})
	// The encoding is detected again while every byte so far is ASCII: a table of figures
	// before the Chinese text does not make the file UTF-8, on lines or on one line.
	for _, c := range []struct{ name, ascii, chinese string }{
		{"ASCII, then GBK", strings.Repeat("1998 01 05 12.5 300\n", PartBytes/10), line + line},
		{"ASCII, then GBK on one line", strings.Repeat("1998 01 05 12.5 300 ", PartBytes/16),
			strings.Repeat("今年产值超300亿元增长百分之十二", PartBytes/20)},
	} {
		t.Run(c.name, func(t *testing.T) {
			gbk, _ := simplifiedchinese.GBK.NewEncoder().String(c.chinese)
			parts := writeParts(t, []byte(c.ascii+gbk), nil)
			var got strings.Builder
			for _, d := range parts {
				if d.Failed() {
					t.Fatalf("part %d: %s", d.Part.Index, d.Error)
				}
				got.WriteString(d.Raw)
			}
			if last := parts[len(parts)-1]; last.Encoding != encGB18030 || got.String() != c.ascii+c.chinese {
				t.Errorf("encoding %s, text %d bytes, want gb18030 and %d", last.Encoding, got.Len(), len(c.ascii+c.chinese))
			}
		})
	}
	t.Run("longer than one input can hold", func(t *testing.T) {
		defer func(m int64) { maxFileBytes = m }(maxFileBytes)
		maxFileBytes = 2 * PartBytes // as a file of more than 2 GiB meets MaxFileBytes
		parts := writeParts(t, []byte(line+line+line+line), nil)
		last := parts[len(parts)-1]
		for _, d := range parts[:len(parts)-1] {
			if d.Failed() || d.Part.Byte+d.Size > maxFileBytes {
				t.Errorf("part %d: %s, ends at byte %d", d.Part.Index, d.Error, d.Part.Byte+d.Size)
			}
		}
		if !last.Failed() || last.Part.More || last.Stage != "read" || !strings.Contains(last.Error, "the most one input can hold") {
			t.Errorf("last part: %+v %q", last.Part, last.Error)
		}
	})
	t.Run("changed", func(t *testing.T) {
		b := []byte(line + line)
		var sum [sha256.Size]byte // not the hash of b
		parts := writeParts(t, b, &sum)
		last := parts[len(parts)-1]
		if !last.Failed() || !strings.Contains(last.Error, "changed while it was read") {
			t.Errorf("last part: %q, want changed while it was read", last.Error)
		}
		for _, d := range parts[:len(parts)-1] {
			if d.Failed() {
				t.Errorf("part %d failed: %s", d.Part.Index, d.Error)
			}
		}
	})
	t.Run("missing", func(t *testing.T) {
		var got []*pipeline.Doc
		path := filepath.Join(t.TempDir(), "gone.txt")
		ReadParts(context.Background(), path, path, nil, 0, func(d *pipeline.Doc) error { got = append(got, d); return nil })
		if len(got) != 1 || !got[0].Failed() || got[0].Stage != "read" || !strings.Contains(got[0].Error, "gone.txt") || !got[0].Whole() {
			t.Errorf("got %d documents: %+v", len(got), got)
		}
	})
}

// FuzzCutAt: whatever the bytes, a cut leaves at least one byte, at most the part's limit (the
// bytes after it are the next part's start), and ends where a character does, so that the two
// sides decode to what the whole does. In UTF-8 text it is between two characters of a figure
// only after a comma (a clause end) or when every character boundary in the part's second half
// is.
func FuzzCutAt(f *testing.F) {
	f.Add([]byte("今年产值超300亿元，增长12.5%。\n同比"), 0)
	f.Add([]byte("\xb0\xa1\xb0\xa2\xa3\xac\x81\x30\x81\x30"), 1)
	f.Add([]byte("\xff\xfe\x00N\n\x00\x3d\xd8\x00\xde"), 2)
	f.Add([]byte("经济发展1998010806002007百年突破1998012612003010"), 4)
	f.Add([]byte("人民百分之十几三千二百万１２３４两亿"), 12)
	f.Fuzz(func(t *testing.T, b []byte, which int) {
		if len(b) < 2 {
			return
		}
		enc := []string{encUTF8, encGB18030, encUTF16LE, encUTF16BE}[uint(which)%4]
		limit := len(b)
		if len(b) >= 16 { // a part holds whole characters: up to three bytes of the next one
			limit -= int(uint(which) / 4 % 4)
		}
		cut := cutAt(b, limit, enc)
		if cut < 1 || cut > limit {
			t.Fatalf("cutAt = %d of %d bytes (limit %d)", cut, len(b), limit)
		}
		// inFigure reports whether the boundary at byte i of UTF-8 b is between two characters
		// of a figure.
		inFigure := func(i int) bool {
			before, _ := utf8.DecodeLastRune(b[:i])
			after, _ := utf8.DecodeRune(b[i:])
			return i > 0 && i < len(b) && figureRune(before) && figureRune(after)
		}
		switch enc {
		case encUTF8:
			if utf8.Valid(b) && (!utf8.Valid(b[:cut]) || !utf8.Valid(b[cut:])) {
				t.Fatalf("cut %d splits a character of %q", cut, b)
			}
			if utf8.Valid(b) && inFigure(cut) && b[cut-1] != ',' {
				for i := limit / 2; i <= limit; i++ {
					if i > 0 && (i == len(b) || utf8.RuneStart(b[i])) && !inFigure(i) && utf8.Valid(b[:i]) {
						t.Fatalf("cut %d of %q (limit %d) is inside a figure, %d is not", cut, b, limit, i)
					}
				}
			}
		case encGB18030:
			whole, _ := decodeGB18030(b, 4*len(b))
			left, _ := decodeGB18030(b[:cut], 4*cut)
			right, _ := decodeGB18030(b[cut:], 4*(len(b)-cut))
			if strings.ContainsRune(whole, utf8.RuneError) {
				return // bad bytes decode one by one, wherever the cut
			}
			if left+right != whole {
				t.Fatalf("cut %d of %x: %q + %q, whole %q", cut, b, left, right, whole)
			}
		default:
			if cut%2 != 0 {
				t.Fatalf("cut %d is inside a UTF-16 unit", cut)
			}
			whole, err := decodeUTF16(b[:len(b)&^1], enc == encUTF16BE, 0)
			if err != nil {
				return
			}
			left, lerr := decodeUTF16(b[:cut], enc == encUTF16BE, 0)
			right, rerr := decodeUTF16(b[cut:len(b)&^1], enc == encUTF16BE, 0)
			if lerr != nil || rerr != nil || left+right != whole {
				t.Fatalf("cut %d of %x splits a pair: %v %v", cut, b, lerr, rerr)
			}
		}
	})
}

// TestInParts: which text files are read in parts — over WholeBytes, or over DenseBytes and
// more than a fifth digits (ASCII, or full-width in UTF-8); not a PDF, not the news file of the
// benchmarks (2.9 MB, 1.3% digits).
func TestInParts(t *testing.T) {
	dir := t.TempDir()
	rep := func(s string, n int) []byte { return []byte(strings.Repeat(s, n/len(s)+1)[:n]) }
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"small.txt", rep("1 ", DenseBytes), false},
		{"numbers.txt", rep("1 ", DenseBytes+2), true},
		{"stock.txt", rep("600487 东风汽车 20.39 31.38 32.41 6.08 -9.74% 7873412\n", 2<<20), true},
		{"fullwidth.txt", rep("１２ 万元 ", 2<<20), true},
		{"text.txt", rep("今年全国粮食产量达到4.9亿吨，比去年增长3.5%。", 2<<20), false},
		{"big.txt", rep("今年全国粮食产量", WholeBytes+3), true},
		{"table.pdf", append([]byte("%PDF-1.7\n"), rep("1 ", 2<<20)...), false},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := InParts(path, int64(len(tc.data))); got != tc.want {
			t.Errorf("%s (%d bytes, %d digit bytes): %v, want %v", tc.name, len(tc.data), figureBytes(tc.data), got, tc.want)
		}
	}
	if InParts(filepath.Join(dir, "missing.txt"), 2<<20) {
		t.Error("a file that cannot be read: in parts")
	}
	news := filepath.Join("..", "..", "..", "shared", "corpus", "news", "thucnews_cnews_val_1000.txt")
	if fi, err := os.Stat(news); err == nil && InParts(news, fi.Size()) {
		t.Error("the news file of the benchmarks: in parts")
	}
}

// TestSpoolDense: standard input made of figures, past DenseBytes, is copied to be read in
// parts, as a file of it is; text of the same size is read whole.
func TestSpoolDense(t *testing.T) {
	for _, tc := range []struct {
		in    string
		parts bool
	}{
		{strings.Repeat("1 ", DenseBytes/2+1), true},
		{strings.Repeat("今年全国粮食产量达到4.9亿吨。", DenseBytes/40), false},
		{strings.Repeat("1 ", DenseBytes/4), false}, // figures, but small
	} {
		whole, path, size, err := Spool(strings.NewReader(tc.in), 1<<30)
		if path != "" {
			defer os.Remove(path)
		}
		if err != nil || size != int64(len(tc.in)) || (path != "") != tc.parts || (whole != nil) == tc.parts {
			t.Errorf("%.10q… (%d bytes): whole %d bytes, path %q, size %d, %v; want in parts %v", tc.in, len(tc.in), len(whole), path, size, err, tc.parts)
		}
	}
}
