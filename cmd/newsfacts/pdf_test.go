package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/output"
)

// TestRunPDF: real PDFs go through the whole pipeline; documents say format, pages and status,
// and facts carry the page they came from.
func TestRunPDF(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "pdf")
	report := filepath.Join(dir, "mineru", "test_rearch_report.pdf")
	gbk := filepath.Join(dir, "pdfjs", "issue2128r.pdf")
	latin := filepath.Join(dir, "pdfjs", "XiaoBiaoSong.pdf")
	if _, err := os.Stat(report); err != nil {
		t.Skip("../shared/corpus/pdf is not there")
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := newsfacts(t, "", "run", "--out", out, report, gbk, latin)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	docs := readTable[output.DocumentRow](t, out, "documents")
	pages := map[string]int32{}
	for _, d := range docs {
		if d.Format != "pdf" || d.Status != "ok" {
			t.Errorf("%s: format %s, status %s, error %v", d.Source, d.Format, d.Status, d.Error)
		}
		pages[filepath.Base(d.Source)] = d.Pages
	}
	if pages["test_rearch_report.pdf"] != 4 || pages["issue2128r.pdf"] != 1 {
		t.Errorf("pages %v, want 4 for the research note and 1 for issue2128r", pages)
	}
	arts := readTable[output.ArticleRow](t, out, "articles")
	var texts []string
	for _, a := range arts {
		texts = append(texts, a.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"浅谈校长的魅力", "李新录", "关于红军作战的原则"} {
		if !strings.Contains(all, want) {
			t.Errorf("no article text holds %q", want)
		}
	}
	maxPage := int32(0)
	for _, f := range readTable[output.FactRow](t, out, "facts") {
		if strings.HasSuffix(f.Source, "test_rearch_report.pdf") {
			if f.Page == nil {
				t.Fatalf("fact %q of a PDF has no page", f.Text)
			}
			maxPage = max(maxPage, *f.Page)
		}
	}
	if maxPage < 3 {
		t.Errorf("facts of the 4-page research note reach page %d only", maxPage)
	}
}
