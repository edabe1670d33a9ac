package source

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
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

// decodePDF reads a PDF's pages into d.Raw, from b or, for a large one, from d.OnDisk. A page
// that could not be read leaves the document partial, with the reason in its PageInfo; a PDF
// that cannot be read at all fails.
func decodePDF(d *pipeline.Doc, b []byte) {
	d.Encoding = "pdf"
	var res pdf.Result
	if ref := d.OnDisk; ref != nil {
		d.OnDisk = nil
		var err error
		if res, err = readOnDisk(d.Context(), d.Source, ref); err != nil {
			d.Pages = 0
			d.Fail("read", pathErr(d.Source, err))
			return
		}
	} else {
		res = pdf.Read(d.Context(), d.Source, b, PDFTools()) // stops at a page once d is abandoned
	}
	if res.Err != nil {
		d.Pages = 0
		d.Fail("decode", res.Err)
		return
	}
	d.Pages = len(res.Pages)
	fillPDF(d, res)
}

// readOnDisk reads the whole PDF ref holds open, and closes it. A file written to since it was
// hashed gives an error: its rows would not be those of the bytes its id names.
func readOnDisk(ctx context.Context, name string, ref *pipeline.FileRef) (pdf.Result, error) {
	defer ref.File.Close()
	if err := changed(ref); err != nil {
		return pdf.Result{}, err
	}
	res := pdf.ReadAt(ctx, name, ref.File, ref.Size, PDFTools())
	if err := changed(ref); err != nil {
		return pdf.Result{}, err
	}
	return res, nil
}

// PartPages is the number of pages in a part of a PDF larger than WholeBytes (ReadParts): such
// a file of at least twice as many pages is read and processed a part at a time, each a
// document of its own, with the running headers repeated across its pages. Read whole, a PDF
// of 9,500 pages and 19 MB of text took a run to 274 MB: its pages' lines, then its text, were
// all in memory at once. 64 pages of a newspaper are about 1.3 MB of text.
const PartPages = 64

// readPDFParts reads the PDF at path (name in messages), larger than WholeBytes, hashed and
// left on disk (Read). One of fewer than 2 × PartPages pages is emitted whole, to be decoded
// by a worker; a larger one is decoded here, a part of PartPages (the last up to twice as
// many) at a time, each part emitted decoded, and within timeout (0: none) or failed with
// status timeout. sum, when not nil, is what the caller found the file hashed to.
func readPDFParts(ctx context.Context, path, name string, sum *[sha256.Size]byte, timeout time.Duration, emit func(*pipeline.Doc) error) error {
	d := Read(Input{Path: path, Name: name}, nil) // path may be standard input's copy
	if sum != nil && !d.Failed() && d.ID != IDOf(*sum) {
		d.DropBytes()
		d.Fail("read", fmt.Errorf("%s: changed while it was read: its id would not name the bytes read", name))
	}
	ref := d.OnDisk
	if ref == nil {
		return emit(d)
	}
	f, err := pdf.Open(name, ref.File, ref.Size, PDFTools())
	if err != nil || f.NumPages() < 2*PartPages {
		if f != nil {
			f.Close()
		}
		return emit(d) // whole (decoding meets the same error again, and says it)
	}
	defer d.DropBytes() // the file, and its share of BytesInFlight, once every part is read
	defer f.Close()
	n := f.NumPages()
	k := n / PartPages
	var bytesBefore int64
	for i := range k {
		first, last := i*PartPages+1, (i+1)*PartPages
		if i == k-1 {
			last = n
		}
		p := &pipeline.Doc{ID: d.ID, Source: name, Format: "pdf", Encoding: "pdf", Pages: n,
			PubDate: d.PubDate, Page: d.Page, Part: pipeline.Part{Index: i, More: i < k-1}}
		upTo := ref.Size * int64(last) / int64(n) // the file's bytes, counted by page
		p.Size, bytesBefore = upTo-bytesBefore, upTo
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			pctx, cancel = context.WithTimeout(ctx, timeout)
		}
		t0 := time.Now()
		res := f.ReadPages(pctx, first, last)
		cancel()
		p.Elapsed = time.Since(t0) // the stages add theirs
		if err := ctx.Err(); err != nil {
			return err // the run is cancelled: this part is not emitted
		}
		var written error // since the file was hashed: told with its last part, as for a text file
		if i == k-1 {
			written = changed(ref)
		}
		switch {
		case written != nil:
			p.Fail("read", pathErr(name, written))
		case errors.Is(res.Err, context.DeadlineExceeded):
			p.Status, p.Stage = pipeline.StatusTimeout, "process"
			p.Error = fmt.Sprintf("%s: reading pages %d to %d took longer than %v, abandoned", name, first, last, timeout)
		case res.Err != nil:
			p.Fail("decode", res.Err)
		default:
			fillPDF(p, res)
			p.RawChars = utf8.RuneCountInString(p.Raw) // the next parts' raw offsets count from it
		}
		if err := emit(p); err != nil {
			return err
		}
	}
	return nil
}

// fillPDF sets d.Raw, its pages and its status from the pages res read. A part of a PDF after
// the first (d.Part.Index > 0) starts with the break from the page before, so that the parts'
// texts, end to end, are the whole file's.
func fillPDF(d *pipeline.Doc, res pdf.Result) {
	n := 0
	for _, p := range res.Pages {
		n += len(pageBreak) + len(p.Text)
	}
	var sb strings.Builder
	sb.Grow(n) // not twice the text, as growing would
	pos := 0
	for i, p := range res.Pages {
		if i > 0 || d.Part.Index > 0 {
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
			// The reader's page errors name the file and page already (pipeline/pdf, page.go).
			at := d.Source + ":" + itoa(p.Number) + ": "
			msg := at + strings.TrimPrefix(p.Err, at)
			switch {
			case p.NeedsOCR && p.Err == "":
				why = append(why, at+"needs OCR (no usable text layer; install tesseract-ocr)")
			case p.NeedsOCR && PDFTools().Tesseract == "":
				// what went wrong (a compression bomb, no usable text), then what would help
				why = append(why, msg+" (install tesseract-ocr)")
			case p.Err != "":
				why = append(why, msg)
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
