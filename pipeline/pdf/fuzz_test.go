package pdf

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRead feeds Read mutated PDFs: it must come back (no panic, no hang) with a consistent
// result, and no failure may be a bug of ours (a runtime error in this package).
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Read(context.Background(), "fuzz.pdf", data, Options{CMapDir: dir, PageTime: 2 * time.Second})
		if res.Err != nil {
			if len(res.Pages) != 0 {
				t.Fatalf("Err %v with %d pages", res.Err, len(res.Pages))
			}
			if !strings.HasPrefix(res.Err.Error(), "fuzz.pdf: ") {
				t.Fatalf("Err %q does not name the file", res.Err)
			}
			ours(t, res.Err.Error())
			return
		}
		if len(res.Pages) == 0 {
			t.Fatal("no pages and no error")
		}
		for i, p := range res.Pages {
			if p.Number != i+1 || p.Quality < 0 || p.Quality > 1 || !utf8.ValidString(p.Text) {
				t.Fatalf("page %d: %+v", i+1, p)
			}
			if (p.NeedsOCR || p.Err != "") && !res.Partial {
				t.Fatalf("page %d needs OCR or failed, document not partial", p.Number)
			}
			ours(t, p.Err)
		}
	})
}

func ours(t *testing.T, msg string) {
	if strings.Contains(msg, "internal error in newsfacts/") {
		t.Fatalf("bug: %s", msg)
	}
}

// fuzzSeeds are the generated PDFs and the corpus PDFs (whole when small, else their first
// KBs), each also cut at three quarters and cut in the middle with its trailer kept.
func fuzzSeeds() [][]byte {
	seeds := [][]byte{newspaperPDF(), badPagePDF(), zeroPagePDF(), encryptedPDF(),
		textPDF([][]run{{{500, 780, 12, "竖排文字"}}}, "UniGB-UTF16-V"),
		bombPDF(0, []int{12 << 20, 12 << 20, 12 << 20}, 1)} // forms that decode past the page's budget
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", "newspaper_fpdf.pdf")); err == nil {
		seeds = append(seeds, b) // a real writer's output: embedded subsets, ToUnicode maps
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", "pdfunite.pdf")); err == nil {
		seeds = append(seeds, b) // a trailer whose /Size is smaller than its table (mendSize)
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "*", "*.pdf"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		if len(b) <= 32<<10 {
			seeds = append(seeds, b)
		}
		seeds = append(seeds, b[:min(len(b), 4<<10)], b[:min(len(b), 16<<10)])
	}
	var out [][]byte
	for _, s := range seeds {
		out = append(out, s)
		out = append(out, s[:len(s)*3/4])
		if i := strings.LastIndex(string(s), "%%EOF"); i > 0 {
			out = append(out, append(append([]byte{}, s[:len(s)/2]...), s[i:]...)) // cut in the middle, trailer kept
		}
	}
	return out
}
