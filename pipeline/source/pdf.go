package source

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/pdf"
)

var (
	pdfTools     pdf.Options
	pdfToolsOnce sync.Once
)

// PDFTools reports the optional programs the PDF reader found (pdftotext, tesseract) and
// poppler-data's tables, looked up once per process.
func PDFTools() pdf.Options {
	pdfToolsOnce.Do(func() { pdfTools = pdf.Tools() })
	return pdfTools
}

// pageBreak separates pages in a PDF document's text: blank lines, so that no article or
// sentence runs across a page.
const pageBreak = "\n\n\n"

// decodePDF reads a PDF's pages into d.Raw. A page that could not be read leaves the document
// partial, with the reason in its PageInfo; a PDF that cannot be read at all fails.
func decodePDF(d *pipeline.Doc, b []byte) {
	res := pdf.Read(d.Context(), d.Source, b, PDFTools()) // stops at a page once d is abandoned
	d.Encoding = "pdf"
	if res.Err != nil {
		d.Pages = 0
		d.Fail("decode", res.Err)
		return
	}
	var sb strings.Builder
	pos := 0
	d.Pages = len(res.Pages)
	for i, p := range res.Pages {
		if i > 0 {
			sb.WriteString(pageBreak)
			pos += utf8.RuneCountInString(pageBreak)
		}
		d.PageStarts = append(d.PageStarts, pos)
		d.HeadlineStarts = append(d.HeadlineStarts, headlineStarts(p.Text, p.Headlines, pos)...)
		sb.WriteString(p.Text)
		pos += utf8.RuneCountInString(p.Text)
		info := pipeline.PageInfo{Number: p.Number, Path: p.Path, Quality: p.Quality, NeedsOCR: p.NeedsOCR, Err: p.Err}
		if len(p.Unmapped) > 0 { // glyphs lost on a page that may be good otherwise: said, not failed
			info.Err = strings.TrimPrefix(info.Err+"; unmapped fonts: "+strings.Join(p.Unmapped, "; "), "; ")
		}
		d.PageInfo = append(d.PageInfo, info)
	}
	d.Raw = sb.String()
	if res.Partial {
		d.Status = pipeline.StatusPartial
		var why []string
		for _, p := range res.Pages {
			switch {
			case p.NeedsOCR:
				why = append(why, d.Source+":"+itoa(p.Number)+": needs OCR (no usable text layer; install tesseract-ocr)")
			case p.Err != "":
				why = append(why, d.Source+":"+itoa(p.Number)+": "+p.Err)
			}
		}
		d.Error = strings.Join(why, "; ")
	}
}

// headlineStarts finds where each of a page's headlines (whole lines of its text, in order)
// starts, in code points from base.
func headlineStarts(text string, heads []string, base int) []int {
	var out []int
	pos := base
	for _, l := range strings.Split(text, "\n") {
		if len(heads) > 0 && l == heads[0] {
			out = append(out, pos)
			heads = heads[1:]
		}
		pos += utf8.RuneCountInString(l) + 1
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
