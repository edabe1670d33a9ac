package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
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
		pad  int
		want string
	}{{7 << 20, "中中中中"}, {9 << 20, "AAAA"}} {
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
			t.Errorf("ToUnicode after %d MiB: Read = %v, pages %+v; want %q", tt.pad>>20, res.Err, res.Pages, tt.want)
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
	var names, shows strings.Builder
	for i := range 50 {
		fmt.Fprintf(&names, " /F%d %d 0 R", i, font)
		fmt.Fprintf(&shows, " /F%d 12 Tf (A) Tj", i)
	}
	c := w.stream("", []byte("BT 72 720 Td"+shows.String()+" ET"))
	page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font <<%s >> >> /Contents %d 0 R >>", tree, names.String(), c))
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	pdf := w.bytes(cat, "")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := Read(context.Background(), "fonts.pdf", pdf, bare(t))
	runtime.ReadMemStats(&after)
	if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != strings.Repeat("中", 50) {
		t.Fatalf("Read = %v, pages %+v", res.Err, res.Pages)
	}
	// one map decoded: about 7 MiB, where fifty took 350 MiB and more
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("%d MiB allocated to read one page of one font under 50 names", got>>20)
	}
}
