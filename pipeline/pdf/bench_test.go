package pdf

import (
	"context"
	"testing"
)

// BenchmarkRead reads whole documents with the text layer alone (no programs), and reports
// pages per second:
//
//	go test -bench Read -run '^$' ./pipeline/pdf
func BenchmarkRead(b *testing.B) {
	cases := []struct {
		name string
		data func(b *testing.B) []byte
	}{
		{"test_rearch_report", func(b *testing.B) []byte { return corpusFile(b, "mineru/test_rearch_report.pdf") }},
		{"newspaper_3col", func(*testing.B) []byte { return newspaperPDF() }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			data := c.data(b)
			opt := Options{CMapDir: cmapDir("")}
			pages := 0
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				res := Read(context.Background(), c.name, data, opt)
				if res.Err != nil || res.Partial {
					b.Fatalf("Read: %v partial %v", res.Err, res.Partial)
				}
				pages += len(res.Pages)
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
