// Command gen writes testdata/pdf/newspaper_fpdf.pdf, a two-page, three-column newspaper set
// from newspaper_fpdf.json with a real PDF writer (go-pdf/fpdf) and embedded TrueType fonts
// (Debian's fonts-droid-fallback for Chinese, fonts-dejavu-core for digits and Latin, mixed in
// one line), as newspaper systems embed theirs: subsets, Identity-H, ToUnicode maps, the
// writer's own glyph widths. The pdf package's tests read the PDF and the
// JSON; this program runs only when the fixture changes:
//
//	apt-get install fonts-droid-fallback fonts-dejavu-core
//	cd testdata/pdf/gen && go run .
//
// It also wrote pages130.pdf, 130 pages of three short articles each, whose figures say their
// page (page n: (10n+k)万吨), for the tests of a PDF read in parts of pages:
//
//	go run . -content ../pages130.json -out ../pages130.pdf
//
// The output is deterministic (fixed dates, sorted catalog): running it again changes nothing.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"time"

	"github.com/go-pdf/fpdf"
)

type article struct {
	Headline, Subhead, Byline string
	Paras                     []string
}

type content struct {
	Masthead, Dateline string
	Pages              []struct {
		Number   int
		Articles []article
	}
}

// Page geometry in points (A4), top-down as fpdf measures.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 40.0
	gutter       = 15.0
	body         = 10.5
	leading      = 15.0
)

var colW = (pageW - 2*margin - 2*gutter) / 3

func colX(c int) float64 { return margin + float64(c)*(colW+gutter) }

// run is one line of text to draw; col orders the drawing (column by column, as a layout
// program emits its frames), not the reading.
type run struct {
	col        int
	x, y, size float64
	text       string
	width      float64 // > 0: justified to this width (a hanging mark past it)
}

// noStart are the characters Chinese typesetting never puts at the start of a line; hanging
// are those of them it may hang past the end of the line instead.
const (
	noStart = "，。、；：？！”’）》…%.0123456789"
	hanging = "，。、；：？！”’）》"
)

// lines breaks text into lines of at most maxW points (the first indented by indent
// characters), keeping closing punctuation off the start of a line.
func lines(pdf *fpdf.Fpdf, text string, size, maxW float64, indent int) []string {
	pdf.SetFontSize(size)
	rs := []rune(text)
	var out []string
	first := true
	for len(rs) > 0 {
		w := 0.0
		if first {
			w = float64(indent) * size
		}
		n := 0
		for n < len(rs) {
			cw := width(pdf, string(rs[n]))
			if w+cw > maxW {
				break
			}
			w += cw
			n++
		}
		switch {
		case n < len(rs) && containsRune(hanging, rs[n]):
			n++ // one full-width mark hangs past the column's edge, as Chinese papers set it
		case n < len(rs) && n > 1 && containsRune(noStart, rs[n]):
			for n > 1 && containsRune(noStart, rs[n]) {
				n-- // push the last characters down with it
			}
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
		first = false
	}
	return out
}

// segments cuts s into runs of one font: "latin" for ASCII (the CJK font has no digits),
// "cjk" for the rest.
func segments(s string) (fonts, texts []string) {
	for _, r := range s {
		f := "cjk"
		if r < 0x80 {
			f = "latin"
		}
		if n := len(fonts); n > 0 && fonts[n-1] == f {
			texts[n-1] += string(r)
			continue
		}
		fonts, texts = append(fonts, f), append(texts, string(r))
	}
	return
}

// width is the width of s at the current size, each segment in its font.
func width(pdf *fpdf.Fpdf, s string) float64 {
	_, size := pdf.GetFontSize()
	fonts, texts := segments(s)
	w := 0.0
	for i := range fonts {
		pdf.SetFont(fonts[i], "", size)
		w += pdf.GetStringWidth(texts[i])
	}
	return w
}

// draw draws s from (x, y) at size, each segment in its font.
func draw(pdf *fpdf.Fpdf, x, y, size float64, s string) {
	fonts, texts := segments(s)
	for i := range fonts {
		pdf.SetFont(fonts[i], "", size)
		pdf.Text(x, y, texts[i])
		x += pdf.GetStringWidth(texts[i])
	}
}

// justify draws a line character by character, the spare width spread between them, as
// typesetting systems justify Chinese.
func justify(pdf *fpdf.Fpdf, r run) {
	pdf.SetFontSize(r.size)
	rs := []rune(r.text)
	n := len(rs)
	if n > 1 && containsRune(hanging, rs[n-1]) && width(pdf, r.text) > r.width {
		n-- // the hanging mark stays outside the measure
	}
	// the spare width goes between characters, a run of digits or Latin letters kept whole
	gaps := 0
	for i := 1; i < n; i++ {
		if rs[i-1] >= 0x80 || rs[i] >= 0x80 {
			gaps++
		}
	}
	spare := r.width - width(pdf, string(rs[:n]))
	if gaps == 0 || spare < 0 {
		draw(pdf, r.x, r.y, r.size, r.text)
		return
	}
	x := r.x
	for i, c := range rs {
		draw(pdf, x, r.y, r.size, string(c))
		x += width(pdf, string(c))
		if i < n-1 && (c >= 0x80 || rs[i+1] >= 0x80) {
			x += spare / float64(gaps)
		}
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// bline is a line of body text: indented when it opens a paragraph, justified (spread to the
// column's width) unless it closes one.
type bline struct {
	text                string
	indented, justified bool
}

func bodyLines(pdf *fpdf.Fpdf, paras []string) []bline {
	var out []bline
	for _, p := range paras {
		ls := lines(pdf, p, body, colW, 2)
		for i, l := range ls {
			out = append(out, bline{l, i == 0, i < len(ls)-1})
		}
	}
	return out
}

// flow puts body lines into columns cols, balanced, from top; it returns the runs and the
// lowest baseline used.
func flow(bl []bline, cols []int, top float64) ([]run, float64) {
	per := (len(bl) + len(cols) - 1) / len(cols)
	var runs []run
	bottom := top
	for i, l := range bl {
		c := cols[i/per]
		y := top + float64(i%per)*leading
		x := colX(c)
		if l.indented {
			x += 2 * body
		}
		r := run{col: c, x: x, y: y, size: body, text: l.text}
		if l.justified {
			r.width = colX(c) + colW - x
		}
		runs = append(runs, r)
		bottom = max(bottom, y)
	}
	return runs, bottom
}

// block sets a headline, subhead and byline over the width of cols from y; it returns the
// runs and the y where the body starts.
func block(pdf *fpdf.Fpdf, a article, cols []int, y, headSize float64) ([]run, float64) {
	width := colX(cols[len(cols)-1]) + colW - colX(cols[0])
	var runs []run
	x := colX(cols[0])
	y += headSize
	for _, l := range lines(pdf, a.Headline, headSize, width, 0) {
		runs = append(runs, run{col: cols[0], x: x, y: y, size: headSize, text: l})
		y += headSize * 1.25
	}
	if a.Subhead != "" {
		y += 2
		for _, l := range lines(pdf, a.Subhead, 14, width, 0) {
			runs = append(runs, run{col: cols[0], x: x, y: y, size: 14, text: l})
			y += 14 * 1.3
		}
	}
	if a.Byline != "" {
		y += 2
		runs = append(runs, run{col: cols[0], x: x, y: y, size: 9, text: a.Byline})
		y += 9 * 1.6
	}
	return runs, y + 4
}

func main() {
	font := flag.String("font", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "a CJK TrueType font")
	latin := flag.String("latin", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "a TrueType font for digits and Latin")
	in := flag.String("content", "../newspaper_fpdf.json", "the page content")
	out := flag.String("out", "../newspaper_fpdf.pdf", "the PDF to write")
	flag.Parse()
	b, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var c content
	if err := json.Unmarshal(b, &c); err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	when := time.Date(2024, 3, 8, 0, 0, 0, 0, time.UTC)
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("newsfacts testdata/pdf/gen", true)
	pdf.SetAutoPageBreak(false, 0)
	for _, f := range [][2]string{{"cjk", *font}, {"latin", *latin}} {
		name, file := f[0], f[1]
		ttf, err := os.ReadFile(file)
		if err != nil {
			log.Fatalf("%v (apt-get install fonts-droid-fallback fonts-dejavu-core)", err)
		}
		pdf.AddUTF8FontFromBytes(name, "", ttf)
	}
	if err := pdf.Error(); err != nil {
		log.Fatalf("%s: %v (apt-get install fonts-droid-fallback)", *font, err)
	}
	pdf.SetFont("cjk", "", body)
	for _, pg := range c.Pages {
		if len(pg.Articles) != 3 {
			log.Fatalf("page %d: %d articles, the layout takes 3", pg.Number, len(pg.Articles))
		}
		pdf.AddPage()
		var runs []run
		// Article 1 across columns 1–2, article 2 in column 3, article 3 across the page below.
		r, y := block(pdf, pg.Articles[0], []int{0, 1}, 80, 22)
		runs = append(runs, r...)
		body0 := y
		r, bottom1 := flow(bodyLines(pdf, pg.Articles[0].Paras), []int{0, 1}, y)
		runs = append(runs, r...)
		r, y = block(pdf, pg.Articles[1], []int{2}, 80, 16)
		runs = append(runs, r...)
		r, bottom2 := flow(bodyLines(pdf, pg.Articles[1].Paras), []int{2}, y)
		runs = append(runs, r...)
		rule := max(bottom1, bottom2) + 12
		r, y = block(pdf, pg.Articles[2], []int{0, 1, 2}, rule+8, 20)
		runs = append(runs, r...)
		r, bottom3 := flow(bodyLines(pdf, pg.Articles[2].Paras), []int{0, 1, 2}, y)
		runs = append(runs, r...)
		if bottom3 > pageH-70 {
			log.Fatalf("page %d: the text runs to %.0f, below the footer", pg.Number, bottom3)
		}
		// drawn column by column, headlines with the column they start in
		sort.SliceStable(runs, func(i, j int) bool { return runs[i].col < runs[j].col })
		for _, r := range runs {
			if r.width > 0 {
				justify(pdf, r)
			} else {
				draw(pdf, r.x, r.y, r.size, r.text)
			}
		}
		// masthead, date, rules and footer last
		draw(pdf, margin, 58, 28, c.Masthead)
		pdf.SetFontSize(10)
		draw(pdf, pageW-margin-width(pdf, c.Dateline), 58, 10, c.Dateline)
		pdf.SetLineWidth(1.5)
		pdf.Line(margin, 68, pageW-margin, 68)
		pdf.SetLineWidth(0.5)
		pdf.Line(margin, rule, pageW-margin, rule)
		pdf.Line(colX(1)-gutter/2, body0-12, colX(1)-gutter/2, rule-6)
		pdf.Line(colX(2)-gutter/2, 80, colX(2)-gutter/2, rule-6)
		pdf.Line(margin, pageH-52, pageW-margin, pageH-52)
		pdf.SetFontSize(9)
		draw(pdf, margin, pageH-38, 9, "责任编辑：孙丽")
		folio := fmt.Sprintf("第%d版", pg.Number)
		draw(pdf, (pageW-width(pdf, folio))/2, pageH-38, 9, folio)
	}
	if err := pdf.OutputFileAndClose(*out); err != nil {
		log.Fatal(err)
	}
}
