package pdf

import (
	"context"
	"testing"
)

// bornDigital are the corpus PDFs whose every page has a usable text layer written by a
// program (not an OCR layer over a scan): the text-layer path's workload.
var bornDigital = []string{
	"mineru/test_rearch_report.pdf",
	"pymupdf/chinese-tables.pdf",
	"pdfjs/issue12823.pdf",
	"pdfjs/issue2128r.pdf",
	"pdfjs/issue8372.pdf",
	"pdftools/chinese.pdf",
	"pdfjs/XiaoBiaoSong.pdf",
}

// BenchmarkRead reads whole documents with the text layer alone (no programs, poppler-data's
// tables when installed), and reports pages per second:
//
//	go test -bench Read -run '^$' ./pipeline/pdf
//
// "corpus" reads every born-digital PDF of ../shared/corpus/pdf once per iteration.
func BenchmarkRead(b *testing.B) {
	cases := []struct {
		name string
		docs func(b *testing.B) [][]byte
	}{
		{"corpus", func(b *testing.B) (docs [][]byte) {
			for _, f := range bornDigital {
				docs = append(docs, corpusFile(b, f))
			}
			return docs
		}},
		{"test_rearch_report", func(b *testing.B) [][]byte { return [][]byte{corpusFile(b, "mineru/test_rearch_report.pdf")} }},
		{"complex_layout", func(b *testing.B) [][]byte { return [][]byte{corpusFile(b, "mineru/complex_layout.pdf")} }},
		{"newspaper_3col", func(*testing.B) [][]byte { return [][]byte{newspaperPDF()} }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			docs := c.docs(b)
			opt := Options{CMapDir: cmapDir("")}
			if opt.CMapDir == "" {
				b.Skip("poppler-data not installed: pdftools/chinese.pdf needs its tables")
			}
			pages, size := 0, 0
			for _, d := range docs {
				size += len(d)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, data := range docs {
					res := Read(context.Background(), c.name, data, opt)
					if res.Err != nil || res.Partial {
						b.Fatalf("Read: %v partial %v", res.Err, res.Partial)
					}
					pages += len(res.Pages)
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
