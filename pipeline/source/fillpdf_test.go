package source

import (
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/pdf"
)

// A partial PDF's error names every page that lost text and why, once each: the reader's page
// errors (a compression bomb, no usable text) name the file and page already, and a page
// that failed needs OCR too, which alone had hidden why it failed. "install tesseract-ocr" is
// said only when it is not installed.
func TestFillPDFErrors(t *testing.T) {
	res := pdf.Result{Partial: true, Pages: []pdf.Page{
		{Number: 1, Text: "第一页正文", Path: "text-layer", Quality: 1},
		{Number: 2, NeedsOCR: true, Err: "bomb.pdf:2: content stream: more than 32 MiB of decoded content on the page; bomb.pdf:2: no usable text (empty); needs OCR"},
		{Number: 3, NeedsOCR: true},
		{Number: 4, Text: "第四页", Err: "bomb.pdf:4: a recovered panic"},
	}}
	PDFTools() // found once; the cases below set what was found
	saved := pdfTools
	defer func() { pdfTools = saved }()
	for _, tesseract := range []string{"", "/usr/bin/tesseract"} {
		pdfTools.Tesseract = tesseract
		d := &pipeline.Doc{Source: "bomb.pdf"}
		fillPDF(d, res)
		want := "bomb.pdf:2: content stream: more than 32 MiB of decoded content on the page; bomb.pdf:2: no usable text (empty); needs OCR"
		if tesseract == "" {
			want += " (install tesseract-ocr)"
		}
		want += "; bomb.pdf:3: needs OCR (no usable text layer; install tesseract-ocr); bomb.pdf:4: a recovered panic"
		if d.Status != pipeline.StatusPartial || d.Error != want {
			t.Errorf("tesseract %q: status %q, error\n%q\nwant\n%q", tesseract, d.Status, d.Error, want)
		}
	}
}
