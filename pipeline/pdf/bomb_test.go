package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	lpdf "github.com/ledongthuc/pdf"
)

// spaces is n bytes of white space, then tail, FlateDecode-compressed (about 1000:1): the
// stream of a compression bomb, or of a large page when n is under the budget.
func spaces(n int, tail string) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for ; n >= len(chunk); n -= len(chunk) {
		zw.Write(chunk)
	}
	zw.Write(chunk[:n])
	zw.Write([]byte(tail))
	zw.Close()
	return z.Bytes()
}

// bombPDF has three pages of text; the second's content is the text after pad bytes of
// spaces, and draws form /Fm0, which draws /Fm1 and so on: forms[i] is how many bytes of
// spaces form i has, draws how many times each form draws the next (at least once).
func bombPDF(pad int, forms []int, draws int) []byte {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	font := w.cjkFont("UniGB-UTF16-H")
	// the forms, innermost first: each names the next in its resources
	next := ""
	for i := len(forms) - 1; i >= 0; i-- {
		do := ""
		if next != "" {
			do = strings.Repeat(fmt.Sprintf(" /Fm%d Do", i+1), max(draws, 1))
		}
		res := ""
		if next != "" {
			res = fmt.Sprintf(" /Resources << /XObject << /Fm%d %s >> >>", i+1, next)
		}
		id := w.stream(" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Filter /FlateDecode"+res, spaces(forms[i], do))
		next = fmt.Sprintf("%d 0 R", id)
	}
	var kids []string
	for i, text := range []string{"第一页正文", "第二页正文", "第三页正文"} {
		content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td %s Tj ET", hex16(text))
		var strm int
		res := fmt.Sprintf("/Font << /F1 %d 0 R >>", font)
		if i == 1 {
			if next != "" {
				content += strings.Repeat(" /Fm0 Do", max(draws, 1))
				res += " /XObject << /Fm0 " + next + " >>"
			}
			strm = w.stream(" /Filter /FlateDecode", spaces(pad, content))
		} else {
			strm = w.stream("", []byte(content))
		}
		page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", tree, res, strm))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count 3 >>", strings.Join(kids, " ")))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(cat, "")
}

// A page whose content, with the forms it draws, decodes to more than maxPageContent fails
// with an error naming the file, the page and the stream that passed the budget; the pages
// around it are read. A page under the budget is read whole.
func TestCompressionBomb(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name  string
		pad   int
		forms []int
		draws int
		err   string // "" when page 2 is read
		text  string // page 2's: what it drew before it failed
	}{
		{"under the budget", 30 * mib, nil, 1, "", "第二页正文"},
		{"one stream", 40 * mib, nil, 1, "bomb.pdf:2: content stream: more than 32 MiB of decoded content on the page", ""},
		// no stream passes the budget: together they do; the text drawn before the forms is kept
		{"nested forms", 10 * mib, []int{10 * mib, 10 * mib, 10 * mib}, 1, "bomb.pdf:2: content stream, form /Fm0, form /Fm1, form /Fm2: more than 32 MiB", "第二页正文"},
		// 1 MiB drawn 3 times at each of 4 levels (3+9+27+81 MiB): every draw decodes it again
		{"forms drawn again and again", 0, []int{mib, mib, mib, mib}, 3, "bomb.pdf:2: content stream, form /Fm0, form /Fm1, form /Fm2, form /Fm3: more than 32 MiB", "第二页正文"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Read(context.Background(), "bomb.pdf", bombPDF(tt.pad, tt.forms, tt.draws), bare(t))
			if res.Err != nil || len(res.Pages) != 3 {
				t.Fatalf("Read = %v, %d pages", res.Err, len(res.Pages))
			}
			if res.Pages[0].Text != "第一页正文" || res.Pages[2].Text != "第三页正文" {
				t.Errorf("pages 1 and 3: %q, %q", res.Pages[0].Text, res.Pages[2].Text)
			}
			p := res.Pages[1]
			if tt.err == "" {
				if p.Err != "" || p.Text != tt.text || res.Partial {
					t.Errorf("page 2: %+v, partial %v", p, res.Partial)
				}
				return
			}
			if !strings.Contains(p.Err, tt.err) || p.Text != tt.text || !res.Partial {
				t.Errorf("page 2: %+v, partial %v; want the error %q", p, res.Partial, tt.err)
			}
		})
	}
}

// A document given up on (its context cancelled) stops decoding the page it is in within
// checkEvery bytes, rather than decoding the rest of its budget.
func TestCancelStopsDecoding(t *testing.T) {
	data := bombPDF(30<<20, nil, 1)
	f, err := Open("bomb.pdf", bytes.NewReader(data), int64(len(data)), bare(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var p Page
	if pl := f.d.layoutPage(ctx, 2, f.refs[1], &p); pl != nil {
		t.Errorf("page 2 laid out: %d lines", len(pl.lines))
	}
	if want := "bomb.pdf:2: content stream: stopped after 1 MiB of decoded content: context canceled"; p.Err != want {
		t.Errorf("Err %q, want %q", p.Err, want)
	}
}

// A ToUnicode map is read up to maxCMapBytes decoded: one of 7 MiB (white space before its
// entries) maps the codes, one of 9 MiB is cut before them, its font read as if it had none.
func TestToUnicodeBudget(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <4E2D> endbfchar end"
	for _, tt := range []struct {
		pad     int
		want    string
		partial bool // the map was cut at maxCMapBytes, and the page says so
	}{{7 << 20, "中中中中", false}, {9 << 20, "AAAA", true}} {
		w := &pdfWriter{}
		cat := w.reserve()
		tree := w.reserve()
		tu := w.stream(" /Filter /FlateDecode", spaces(tt.pad, cmap))
		font := w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", tu))
		c := w.stream("", []byte("BT /F1 12 Tf 72 720 Td (AAAA) Tj ET"))
		page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", tree, font, c))
		w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
		w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
		res := Read(context.Background(), "tounicode.pdf", w.bytes(cat, ""), bare(t))
		if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != tt.want {
			t.Fatalf("ToUnicode after %d MiB: Read = %v, pages %+v; want %q", tt.pad>>20, res.Err, res.Pages, tt.want)
		}
		cut := strings.HasPrefix(res.Pages[0].Err, "tounicode.pdf:1: 1 character map (ToUnicode, CMap) not read or read in part")
		if cut != tt.partial || res.Partial != tt.partial {
			t.Errorf("ToUnicode after %d MiB: page error %q, partial %v; want a cut map said: %v", tt.pad>>20, res.Pages[0].Err, res.Partial, tt.partial)
		}
	}
}

// One font object under many names is loaded once: its ToUnicode map of 7 MiB was decoded
// again for each name (400 names: 1.5 GiB allocated, past any page budget).
func TestFontUnderManyNames(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <4E2D> endbfchar end"
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	tu := w.stream(" /Filter /FlateDecode", spaces(7<<20, cmap))
	font := w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", tu))
	fonts := make([]int, 50)
	for i := range fonts {
		fonts[i] = font
	}
	res, got := readAllocating(t, "fonts.pdf", w.showA(cat, tree, fonts))
	if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != strings.Repeat("中", 50) {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	// one map decoded: about 7 MiB, where fifty took 350 MiB and more
	if got > 64<<20 {
		t.Errorf("%d MiB allocated to read one page of one font under 50 names", got>>20)
	}
}

// bigToUnicode is a ToUnicode map that gives code 0x41 the text r, then holds ranges entries
// of 256 four-byte codes each, FlateDecode-compressed.
func bigToUnicode(r rune, ranges int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "/CIDInit /ProcSet findresource begin 2 begincodespacerange <00> <FF> <00000000> <FFFFFFFF> endcodespacerange\n1 beginbfchar <41> <%04X> endbfchar\n", r)
	for i := 0; i < ranges; i += 100 {
		n := min(100, ranges-i)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for j := i; j < i+n; j++ {
			fmt.Fprintf(&b, "<%08X> <%08X> <4E00>\n", j<<8, j<<8|0xFF)
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("end")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(b.String()))
	zw.Close()
	return z.Bytes()
}

// fontsPDF has one page that shows (A) in a Type1 font for each of maps: fonts naming the same
// stream index share one ToUnicode stream object.
func fontsPDF(streams [][]byte, maps []int) []byte {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	ids := make([]int, len(streams))
	for i, s := range streams {
		ids[i] = w.stream(" /Filter /FlateDecode", s)
	}
	fonts := make([]int, len(maps))
	for i, m := range maps {
		fonts[i] = w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", ids[m]))
	}
	return w.showA(cat, tree, fonts)
}

// showA finishes a file of one page that shows (A) in each of the font objects, named /F0,
// /F1 … in its resources, in order.
func (w *pdfWriter) showA(cat, tree int, fonts []int) []byte {
	var names, shows strings.Builder
	for i, font := range fonts {
		fmt.Fprintf(&names, " /F%d %d 0 R", i, font)
		fmt.Fprintf(&shows, " /F%d 12 Tf (A) Tj", i)
	}
	c := w.stream("", []byte("BT 72 720 Td"+shows.String()+" ET"))
	page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font <<%s >> >> /Contents %d 0 R >>", tree, names.String(), c))
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(cat, "")
}

// One ToUnicode stream named by many font objects is read once: forty fonts naming a map of
// 512,000 codes allocated 40 MB or more each (a 1.9 MB file of thirty such fonts took a run to
// 674 MB).
func TestCMapReadOnce(t *testing.T) {
	maps := make([]int, 40) // all the first stream
	pdf := fontsPDF([][]byte{bigToUnicode('中', 2000)}, maps)
	res, got := readAllocating(t, "fonts.pdf", pdf)
	if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != strings.Repeat("中", 40) {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	// one map read: about 60 MiB
	if got > 160<<20 {
		t.Errorf("%d MiB allocated to read forty fonts naming one map", got>>20)
	}
}

// The character maps one page uses reach maxPageCMapEntries at most: a map read when the
// budget is nearly spent keeps what fits, a font whose map comes after it has no ToUnicode (its
// own encoding gives "A"), and the page's error says how many maps were not read or read in
// part, which makes the document partial.
func TestCMapPageBudget(t *testing.T) {
	const ranges = 2000 // 512,000 codes, and one more: two such maps and a part of a third fill the budget
	streams := [][]byte{bigToUnicode('中', ranges), bigToUnicode('文', ranges), bigToUnicode('字', ranges), bigToUnicode('词', ranges)}
	pdf := fontsPDF(streams, []int{0, 0, 1, 2, 3})
	res := Read(context.Background(), "budget.pdf", pdf, bare(t))
	if res.Err != nil || len(res.Pages) != 1 {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	if got := res.Pages[0].Text; got != "中中文字A" {
		t.Errorf("text %q, want 中中文字A: the fourth map not read, its font's encoding instead", got)
	}
	want := "budget.pdf:1: 2 character maps (ToUnicode, CMap) not read or read in part: the page's maps reached 1048579 entries (budget 1048576)"
	if res.Pages[0].Err != want || !res.Partial {
		t.Errorf("page error %q, partial %v; want %q, partial", res.Pages[0].Err, res.Partial, want)
	}

	// the same, map by map
	var c cmaps
	vs := lpdfStreams(t, streams)
	c.newPage()
	for i := range 3 {
		k, why := c.read(vs[i], 0)
		if k == nil || why != "" || k.m.cut != (i == 2) {
			t.Fatalf("map %d: %v, %q", i, k, why)
		}
	}
	if k, why := c.read(vs[0], 0); k == nil || why != "" || c.page != 1048579 {
		t.Errorf("a map read before, past the budget: %v, %q, page %d; want it again, not counted twice", k, why, c.page)
	}
	k, why := c.read(vs[3], 0)
	if k != nil || why != "not read: the page's character maps reached 1048579 entries" {
		t.Errorf("past the budget: %v, %q", k, why)
	}
	f := &font{base: "Song", tuSkipped: why}
	if got := f.unmapped(2); got != "Song (simple font, ToUnicode not read: the page's character maps reached 1048579 entries): 2 glyphs without Unicode" {
		t.Errorf("unmapped: %s", got)
	}
	// the cut map is not kept; the next page may keep what this one used, though past
	// maxKeptCMapEntries, and reads the fourth map afresh
	if c.newPage() || c.page != 0 || c.short != 0 || len(c.byID) != 2 || c.entries != 1024002 {
		t.Errorf("second page: page %d, short %d, %d maps kept, %d entries", c.page, c.short, len(c.byID), c.entries)
	}
	if k, why := c.read(vs[3], 0); k == nil || why != "" || c.page != 512001 {
		t.Errorf("the fourth map on the second page: %v, %q, page %d", k, why, c.page)
	}
	c.use(c.byID[mustID(t, vs[0])]) // the first map, by a font kept from the first page
	// third page: the maps the second did not use go
	if !c.newPage() || len(c.byID) != 2 || c.entries != 1024002 || c.byID[mustID(t, vs[1])] != nil {
		t.Errorf("third page: %d maps kept, %d entries", len(c.byID), c.entries)
	}
	// fourth page, after a page that used none: all go
	if !c.newPage() || len(c.byID) != 0 || c.entries != 0 {
		t.Errorf("fourth page: %d maps kept, %d entries", len(c.byID), c.entries)
	}
}

// mustID is the object number of stream v.
func mustID(t *testing.T, v lpdf.Value) uint64 {
	t.Helper()
	id, ok := objID(v)
	if !ok {
		t.Fatal("no object number")
	}
	return id
}

// A font whose map a page's budget left unread, or read in part, is loaded again, whole, on
// the next page that uses it: kept from the first page, it gave "A" for 词 without a word.
func TestCMapBudgetNextPage(t *testing.T) {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	var fonts []int
	for _, r := range "中文字词" {
		tu := w.stream(" /Filter /FlateDecode", bigToUnicode(r, 2000))
		fonts = append(fonts, w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", tu)))
	}
	var kids []string
	for _, use := range [][]int{{0, 1, 2, 3}, {2, 3}} {
		var names, shows strings.Builder
		for i, f := range use {
			fmt.Fprintf(&names, " /F%d %d 0 R", i, fonts[f])
			fmt.Fprintf(&shows, " /F%d 12 Tf (A) Tj", i)
		}
		c := w.stream("", []byte("BT 72 720 Td"+shows.String()+" ET"))
		kids = append(kids, fmt.Sprintf("%d 0 R", w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font <<%s >> >> /Contents %d 0 R >>", tree, names.String(), c))))
	}
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count 2 >>", strings.Join(kids, " ")))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	res := Read(context.Background(), "next.pdf", w.bytes(cat, ""), bare(t))
	if res.Err != nil || len(res.Pages) != 2 {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	if p := res.Pages[0]; p.Text != "中文字A" || !strings.Contains(p.Err, "2 character maps") {
		t.Errorf("page 1: %q, error %q; want 中文字A and 2 maps not read whole", p.Text, p.Err)
	}
	if p := res.Pages[1]; p.Text != "字词" || p.Err != "" {
		t.Errorf("page 2: %q, error %q; want 字词, no error", p.Text, p.Err)
	}
}

// A composite font whose embedded encoding CMap comes past the page's budget is read as
// Identity-H, as a font without one, and says why its glyphs have no Unicode.
func TestCMapPageBudgetEncoding(t *testing.T) {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	var fonts []int
	for _, r := range "中文字" { // two maps of 512,001 codes and a part of a third: the budget
		tu := w.stream(" /Filter /FlateDecode", bigToUnicode(r, 2000))
		fonts = append(fonts, w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", tu)))
	}
	enc := w.stream("", []byte("/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange 1 begincidrange <00> <FF> 100 endcidrange end"))
	fonts = append(fonts, w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding %d 0 R /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Song /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>] >>", enc)))
	res := Read(context.Background(), "enc.pdf", w.showA(cat, tree, fonts), bare(t))
	if res.Err != nil || len(res.Pages) != 1 {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	p := res.Pages[0]
	want := "Song (encoding CMap not read: the page's character maps reached 1048579 entries, no ToUnicode, no CID table for Adobe-GB1 (poppler-data)): 1 glyphs without Unicode"
	if !strings.HasPrefix(p.Text, "中文字") || len(p.Unmapped) != 1 || p.Unmapped[0] != want {
		t.Errorf("text %q, unmapped %q; want 中文字… and %q", p.Text, p.Unmapped, want)
	}
	if !strings.Contains(p.Err, "enc.pdf:1: 2 character maps (ToUnicode, CMap) not read or read in part") {
		t.Errorf("page error %q", p.Err)
	}
}

// A map cut by the budget serves every font on the page that names it, read once: a small
// file whose map gives the same codes over a million times, named by forty fonts, was parsed
// forty times (2.3 s, 440 MiB), and three hundred such fonts spent a page's time budget.
func TestCMapCutReadOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin 2 begincodespacerange <00> <FF> <00000000> <FFFFFFFF> endcodespacerange\n1 beginbfchar <41> <4E2D> endbfchar\n")
	for range 42 { // 4,200 ranges of the same 256 codes: 1,075,201 parsed, 257 held
		b.WriteString("100 beginbfrange\n" + strings.Repeat("<00000000> <000000FF> <4E00>\n", 100) + "endbfrange\n")
	}
	b.WriteString("end")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(b.String()))
	zw.Close()
	res, got := readAllocating(t, "cut.pdf", fontsPDF([][]byte{z.Bytes()}, make([]int, 40)))
	if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != strings.Repeat("中", 40) {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	want := "cut.pdf:1: 1 character map (ToUnicode, CMap) not read or read in part: the page's maps reached 1048577 entries (budget 1048576)"
	if res.Pages[0].Err != want {
		t.Errorf("page error %q, want %q", res.Pages[0].Err, want)
	}
	if got > 64<<20 {
		t.Errorf("%d MiB allocated: the cut map read again for each font", got>>20)
	}
}

// Fonts written in a /Font dictionary, rather than as objects of their own, carry the
// dictionary's object number: they were all taken for the first of them. A form's /F1 written
// so is not the page's /F1.
func TestDirectFonts(t *testing.T) {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	cmap := func(r rune) int {
		return w.stream("", []byte(fmt.Sprintf("/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <%04X> endbfchar end", r)))
	}
	inline := func(r rune) string {
		return fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", cmap(r))
	}
	fonts := w.add("<< /F0 " + inline('中') + " /F1 " + inline('文') + " >>")
	form := w.stream(" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 "+inline('字')+" >> >>", []byte("BT 72 700 Td /F1 12 Tf (A) Tj ET"))
	c := w.stream("", []byte("BT 72 720 Td /F0 12 Tf (A) Tj /F1 12 Tf (A) Tj ET /X1 Do"))
	page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font %d 0 R /XObject << /X1 %d 0 R >> >> /Contents %d 0 R >>", tree, fonts, form, c))
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	res := Read(context.Background(), "direct.pdf", w.bytes(cat, ""), bare(t))
	if res.Err != nil || len(res.Pages) != 1 || strings.ReplaceAll(res.Pages[0].Text, "\n", "") != "中文字" {
		t.Fatalf("Read = %v, pages %+v; want 中文字", res.Err, res.Pages)
	}
}

// A long PDF whose pages each have fonts and maps of their own reads every page's maps: the
// cache of earlier pages' maps is emptied as it grows, where a budget for the whole document
// left pages past the millionth entry without them, and without a word.
func TestCMapLongDocument(t *testing.T) {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	chars := []rune("中文字词句段篇章")
	var kids strings.Builder
	for _, r := range chars { // eight pages of one font each, its map of 204,801 codes
		tu := w.stream(" /Filter /FlateDecode", bigToUnicode(r, 800))
		font := w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", tu))
		c := w.stream("", []byte("BT /F1 12 Tf 72 720 Td (A) Tj ET"))
		page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", tree, font, c))
		fmt.Fprintf(&kids, " %d 0 R", page)
	}
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s ] /Count %d >>", kids.String(), len(chars)))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	data := w.bytes(cat, "")
	res := Read(context.Background(), "long.pdf", data, bare(t))
	if res.Err != nil || res.Partial || len(res.Pages) != len(chars) {
		t.Fatalf("Read = %v, partial %v, %d pages", res.Err, res.Partial, len(res.Pages))
	}
	for i, p := range res.Pages {
		if p.Text != string(chars[i]) || p.Err != "" {
			t.Errorf("page %d: %q, error %q; want %q", i+1, p.Text, p.Err, string(chars[i]))
		}
	}
	// page by page, the document holds three pages' fonts and maps at most: those of the page
	// and of the one or two before, once they passed maxKeptCMapEntries
	f, err := Open("long.pdf", bytes.NewReader(data), int64(len(data)), bare(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, ref := range f.refs {
		var p Page
		f.d.layoutPage(context.Background(), i+1, ref, &p)
		if len(f.d.fonts) > 3 || f.d.cmaps.entries > 3*204801 {
			t.Errorf("after page %d: %d fonts, %d map entries kept", i+1, len(f.d.fonts), f.d.cmaps.entries)
		}
	}
}

// lpdfStreams are FlateDecode streams as the library gives them: objects of one file.
func lpdfStreams(t *testing.T, streams [][]byte) []lpdf.Value {
	t.Helper()
	w := &pdfWriter{}
	cat := w.reserve()
	var refs strings.Builder
	for _, s := range streams {
		fmt.Fprintf(&refs, " %d 0 R", w.stream(" /Filter /FlateDecode", s))
	}
	w.set(cat, "<< /Type /Catalog /Maps ["+refs.String()+" ] >>")
	b := w.bytes(cat, "")
	r, err := lpdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	arr := r.Trailer().Key("Root").Key("Maps")
	out := make([]lpdf.Value, arr.Len())
	for i := range out {
		out[i] = arr.Index(i)
	}
	return out
}

// readAllocating reads pdf and returns the result and the bytes allocated meanwhile.
func readAllocating(t *testing.T, name string, pdf []byte) (Result, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := Read(context.Background(), name, pdf, bare(t))
	runtime.ReadMemStats(&after)
	return res, after.TotalAlloc - before.TotalAlloc
}
