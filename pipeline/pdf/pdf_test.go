package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// corpus is ../shared/corpus/pdf beside the repository; tests that need it skip without it.
const corpus = "../../../shared/corpus/pdf"

func corpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Skipf("corpus file %s not available: %v", rel, err)
	}
	return b
}

// reference is pdftotext 22.12's text of a corpus file (not gold: poppler's own errors stay).
func reference(t testing.TB, rel string) string {
	t.Helper()
	dir, base := filepath.Split(rel)
	name := filepath.Base(dir) + "_" + strings.TrimSuffix(base, ".pdf") + ".txt"
	b, err := os.ReadFile(filepath.Join(corpus, "pdftotext-22.12", name))
	if err != nil {
		t.Skipf("reference %s not available", name)
	}
	return string(b)
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// texts are a result's text, and its text with the removed running heads put back.
func texts(res Result) (text, all string) {
	for _, p := range res.Pages {
		text += p.Text + "\n"
		all += p.Text + "\n" + strings.Join(p.Removed, "\n") + "\n"
	}
	return
}

// bare uses nothing optional: no poppler-data, no programs.
func bare(t *testing.T) Options { return Options{CMapDir: t.TempDir()} }

// withData uses poppler-data's tables when installed, no programs.
func withData(t *testing.T) Options {
	dir := cmapDir("")
	if dir == "" {
		t.Skip("poppler-data not installed (apt-get install poppler-data)")
	}
	return Options{CMapDir: dir}
}

func read(t *testing.T, rel string, opt Options) Result {
	t.Helper()
	res := Read(context.Background(), filepath.Base(rel), corpusFile(t, rel), opt)
	if res.Err != nil {
		t.Fatalf("Read(%s) = %v", rel, res.Err)
	}
	for _, p := range res.Pages {
		if !utf8.ValidString(p.Text) || p.Quality < 0 || p.Quality > 1 {
			t.Errorf("%s:%d: invalid page %+v", rel, p.Number, p)
		}
	}
	return res
}

// The files pdftotext reads correctly: our character content matches its own (order aside)
// at 0.97 or better, from the text layer alone. Running heads we removed are put back for the
// comparison, since pdftotext keeps them.
func TestCorpusMatchesPdftotext(t *testing.T) {
	cases := []struct {
		file, path string
		han        int // at least
		want       []string
		data       bool // needs poppler-data
	}{
		{"mineru/test_rearch_report.pdf", PathTextLayer, 3000, []string{"高测股份（688556.SH）：扩产4000万公里金刚线，强化光伏硅片切割三元布局", "预计一期总投资额约6.66亿元"}, false},
		{"pymupdf/chinese-tables.pdf", PathTextLayer, 440, []string{"盐城高新区投资集团有限公司"}, false},
		{"pdfjs/issue12823.pdf", PathTextLayer, 80, []string{"愿景"}, false},
		{"pdfjs/issue2128r.pdf", "cmap:GBK-EUC-H", 20, []string{"浅谈校长的魅力", "李新录", "山西省闻喜县诚镇初中"}, false},
		{"pdfjs/issue8372.pdf", "cmap:UniGB-UTF16-H", 2, []string{"目录"}, false},
		{"mineru/complex_layout.pdf", "cmap:GBK-EUC-H", 1150, []string{"结果出来要7天，我领着阳阳在这个城市的游乐园游玩"}, false},
		{"pdftools/chinese.pdf", "cid:Adobe-CNS1", 1100, []string{"風險因素", "所有現金客戶到期之總金額達到約17,300,000港元", "於二零零二年一月三十一日"}, true},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			opt := bare(t)
			if c.data {
				opt = withData(t)
			}
			res := read(t, c.file, opt)
			text, all := texts(res)
			if res.Partial {
				t.Errorf("Partial, pages: %+v", res.Pages)
			}
			for _, p := range res.Pages {
				if p.Path != c.path && p.Glyphs > 0 {
					t.Errorf("page %d: path %q, want %q", p.Number, p.Path, c.path)
				}
				if p.Quality < good {
					t.Errorf("page %d: quality %v", p.Number, p.Quality)
				}
			}
			if n := hanCount(text); n < c.han {
				t.Errorf("%d Han, want at least %d", n, c.han)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%.2000s", w, text)
				}
			}
			if s := similarity(all, reference(t, c.file)); s < 0.97 {
				t.Errorf("similarity with pdftotext = %.3f, want ≥ 0.97", s)
			}
		})
	}
}

// GBK bytes in a WinAnsi font: pdftotext gives Latin-1 mojibake; we give the Chinese, without
// the loss poppler's 0xAD → '-' causes (原 in 原则).
func TestGBKInLatinFont(t *testing.T) {
	res := read(t, "pdfjs/XiaoBiaoSong.pdf", bare(t))
	p := res.Pages[0]
	if p.Path != PathGBKInLatin || p.NeedsOCR || p.Quality < 0.99 {
		t.Errorf("path %q quality %v needsOCR %v", p.Path, p.Quality, p.NeedsOCR)
	}
	for _, w := range []string{"关于红军作战的原则", "（一九三七年八月一日）", "对国防问题的意见", "中日战争爆发后的形势与任务"} {
		if !strings.Contains(p.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, p.Text)
		}
	}
	if strings.ContainsAny(p.Text, "¹ØÓÚºì¾ü") {
		t.Errorf("mojibake left:\n%s", p.Text)
	}
	ref := reference(t, "pdfjs/XiaoBiaoSong.pdf")
	if ours, theirs := hanCount(p.Text), hanCount(ref); ours < 200 || theirs != 0 {
		t.Errorf("Han: ours %d, pdftotext %d", ours, theirs)
	}
}

// Without poppler-data a CID font without ToUnicode cannot be decoded: the page is judged,
// its text withheld and marked for OCR; the document is partial, not silently wrong.
func TestCIDFontWithoutTables(t *testing.T) {
	res := read(t, "pdftools/chinese.pdf", bare(t))
	p := res.Pages[0]
	if !res.Partial || !p.NeedsOCR || p.Text != "" || p.Path != PathNone || p.Quality > usable {
		t.Errorf("partial %v, page %+v", res.Partial, p)
	}
	if !strings.Contains(p.Err, "chinese.pdf:1:") || !strings.Contains(p.Err, "needs OCR") {
		t.Errorf("Err = %q", p.Err)
	}
}

// The text we cannot read, and say so: an embedded subset without any map (issue3405r) and a
// wrong ToUnicode map whose CID fallback gives rare Han (issue2884_reduced), with and without
// poppler-data.
func TestUnreadableMarked(t *testing.T) {
	for _, file := range []string{"pdfjs/issue3405r.pdf", "pdfjs/issue2884_reduced.pdf"} {
		for _, cfg := range []string{"bare", "data"} {
			t.Run(filepath.Base(file)+"/"+cfg, func(t *testing.T) {
				opt := bare(t)
				if cfg == "data" {
					opt = withData(t)
				}
				res := read(t, file, opt)
				p := res.Pages[0]
				if !res.Partial || !p.NeedsOCR || p.Text != "" || p.Path != PathNone {
					t.Errorf("partial %v, page %+v", res.Partial, p)
				}
			})
		}
	}
	// the implausible case says why
	res := read(t, "pdfjs/issue2884_reduced.pdf", withData(t))
	if e := res.Pages[0].Err; !strings.Contains(e, "rare") || !strings.Contains(e, "cid:Adobe-Japan1") {
		t.Errorf("Err = %q, want the rare-Han judgement of the Adobe-Japan1 reading", e)
	}
}

// An image-only scan without tesseract: every page needs OCR.
func TestScannedWithoutOCR(t *testing.T) {
	res := read(t, "mineru/scanned.pdf", bare(t))
	if len(res.Pages) != 2 || !res.Partial {
		t.Fatalf("%d pages, partial %v", len(res.Pages), res.Partial)
	}
	for _, p := range res.Pages {
		if !p.NeedsOCR || p.Text != "" || p.Images == 0 || !strings.Contains(p.Err, "tesseract not installed") {
			t.Errorf("page %+v", p)
		}
	}
}

// With the programs installed, the pages the text layer cannot give come from them.
func TestFallbacks(t *testing.T) {
	opt := Tools()
	if opt.Tesseract == "" || opt.Pdftoppm == "" || opt.Pdftotext == "" {
		t.Skip("poppler-utils, tesseract-ocr and tesseract-ocr-chi-sim not all installed")
	}
	t.Run("scanned", func(t *testing.T) {
		res := read(t, "mineru/scanned.pdf", opt)
		text, _ := texts(res)
		for _, p := range res.Pages {
			if p.Path != PathOCR || p.NeedsOCR || hanCount(p.Text) < 300 {
				t.Errorf("page %d: path %q needsOCR %v, %d Han", p.Number, p.Path, p.NeedsOCR, hanCount(p.Text))
			}
		}
		for _, w := range []string{"使用价值", "商品"} {
			if !strings.Contains(text, w) {
				t.Errorf("OCR text lacks %q", w)
			}
		}
		if res.Partial {
			t.Error("Partial")
		}
	})
	t.Run("issue3405r", func(t *testing.T) {
		res := read(t, "pdfjs/issue3405r.pdf", opt)
		if p := res.Pages[0]; p.Path != PathOCR || !strings.Contains(p.Text, "参考数据") {
			t.Errorf("page %+v", p)
		}
	})
	// a wrong ToUnicode map rescued by OCR: the page is whole, and says why its own text was not used
	t.Run("issue2884_reduced", func(t *testing.T) {
		res := read(t, "pdfjs/issue2884_reduced.pdf", opt)
		p := res.Pages[0]
		if p.Path != PathOCR || res.Partial || !strings.Contains(p.Text, "公募型") {
			t.Errorf("partial %v, page %+v", res.Partial, p)
		}
		if !strings.Contains(p.Err, "issue2884_reduced.pdf:1: text layer (") || !strings.Contains(p.Err, "rare") || !strings.HasSuffix(p.Err, "text from ocr") {
			t.Errorf("Err = %q", p.Err)
		}
	})
	t.Run("text layer first", func(t *testing.T) {
		res := read(t, "pdfjs/issue2128r.pdf", opt)
		if p := res.Pages[0]; p.Path != "cmap:GBK-EUC-H" {
			t.Errorf("path %q: a good text layer must not be replaced", p.Path)
		}
	})
}

// pdftotext alone rescues nothing on these files (it fails where we fail), but it must be
// tried and judged: a wrong map stays flagged.
func TestPdftotextJudged(t *testing.T) {
	opt := withData(t)
	if opt.Pdftotext = Tools().Pdftotext; opt.Pdftotext == "" {
		t.Skip("pdftotext not installed")
	}
	res := read(t, "pdfjs/issue2884_reduced.pdf", opt)
	if p := res.Pages[0]; !p.NeedsOCR || p.Text != "" || !strings.Contains(p.Err, "pdftotext no better") {
		t.Errorf("page %+v", p)
	}
}

func TestRunningHeadsRemoved(t *testing.T) {
	res := read(t, "mineru/test_rearch_report.pdf", bare(t))
	for _, p := range res.Pages[1:] {
		removed := strings.Join(p.Removed, "|")
		if !strings.Contains(removed, "请务必阅读正文之后的信息披露和法律声明") || !strings.Contains(removed, "/ 4") {
			t.Errorf("page %d removed %q", p.Number, p.Removed)
		}
		if strings.Contains(p.Text, "请务必阅读正文之后的信息披露和法律声明") {
			t.Errorf("page %d keeps its footer", p.Number)
		}
	}
}

// Bad documents: a clear error naming the file, no pages, nothing else.
func TestBadDocuments(t *testing.T) {
	report := corpusFile(t, "mineru/test_rearch_report.pdf")
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty.pdf", nil, ErrNotPDF},
		{"text.pdf", []byte("这不是PDF文件，只是一段文字。\n"), ErrNotPDF},
		{"truncated.pdf", report[:len(report)/2], ErrDamaged},
		{"encrypted.pdf", encryptedPDF(), ErrEncrypted},
		{"nopages.pdf", zeroPagePDF(), ErrNoPages},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Read(context.Background(), c.name, c.data, bare(t))
			if !errors.Is(res.Err, c.want) || len(res.Pages) != 0 {
				t.Fatalf("Read = %v (%d pages), want %v", res.Err, len(res.Pages), c.want)
			}
			if !strings.HasPrefix(res.Err.Error(), c.name+": ") {
				t.Errorf("error %q does not name the file", res.Err)
			}
		})
	}
}

// Encryption with an empty user password only restricts permissions: anyone may read, so do we.
func TestEncryptedWithoutPassword(t *testing.T) {
	res := Read(context.Background(), "perm.pdf", encryptedWith(""), bare(t))
	if res.Err != nil || len(res.Pages) != 1 || res.Pages[0].Text != "Secret" {
		t.Fatalf("Read = %v, %+v", res.Err, res.Pages)
	}
}

// Bytes before the header (a mail or HTTP wrapper), a PDF-2.0 header the library refuses, and
// padding after %%EOF are all tolerated.
func TestHeaderAndTrailerNoise(t *testing.T) {
	tests := []struct {
		name          string
		before, after int // bytes of junk before the header, zeros after the %%EOF
	}{
		{"a mail header, a few zeros", 0, 100},
		{"1 KiB before, 4 KiB of zeros after", 1024, 4096}, // pdftotext reads both
		{"64 KiB before, 1000 KiB of zeros after", 65000, 1000 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := newspaperPDF()
			pdf = append([]byte("Content-Type: application/pdf\r\n\r\n"+strings.Repeat("x", tt.before)+"%PDF-2.0"), pdf[len("%PDF-1.7"):]...)
			pdf = append(pdf, make([]byte, tt.after)...)
			res := Read(context.Background(), "noise.pdf", pdf, bare(t))
			if res.Err != nil || len(res.Pages) != 2 || !strings.Contains(res.Pages[0].Text, art1Head) {
				t.Fatalf("Read = %v, %d pages", res.Err, len(res.Pages))
			}
		})
	}
}

// Read is called from the runner's workers at once: nothing is shared but read-only tables.
func TestConcurrentRead(t *testing.T) {
	docs := [][]byte{newspaperPDF(), badPagePDF(), encryptedWith("")}
	want := make([]Result, len(docs))
	for i, d := range docs {
		want[i] = Read(context.Background(), "c.pdf", d, bare(t))
	}
	done := make(chan error)
	for k := 0; k < 8; k++ {
		go func(k int) {
			i := k % len(docs)
			got := Read(context.Background(), "c.pdf", docs[i], bare(t))
			var err error
			if len(got.Pages) != len(want[i].Pages) || got.Pages[0].Text != want[i].Pages[0].Text {
				err = fmt.Errorf("doc %d read differently at once", i)
			}
			done <- err
		}(k)
	}
	for k := 0; k < 8; k++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// A page that makes the library panic (an unsupported stream filter) is that page's error;
// the pages around it are read.
func TestBadPageKeepsDocument(t *testing.T) {
	res := Read(context.Background(), "badpage.pdf", badPagePDF(), bare(t))
	if res.Err != nil || len(res.Pages) != 3 || !res.Partial {
		t.Fatalf("Read = %v, %d pages, partial %v", res.Err, len(res.Pages), res.Partial)
	}
	if res.Pages[0].Text != "第一页正文" || res.Pages[2].Text != "第三页正文" {
		t.Errorf("pages 1 and 3: %q, %q", res.Pages[0].Text, res.Pages[2].Text)
	}
	if p := res.Pages[1]; !strings.HasPrefix(p.Err, "badpage.pdf:2: ") || !strings.Contains(p.Err, "filter") || p.Text != "" {
		t.Errorf("page 2: %+v", p)
	}
}

// With pdftotext installed, the page the library cannot read comes from it; the document is
// whole again, the page still says what went wrong.
func TestBadPageRescued(t *testing.T) {
	opt := withData(t)
	if opt.Pdftotext = Tools().Pdftotext; opt.Pdftotext == "" {
		t.Skip("pdftotext not installed")
	}
	res := Read(context.Background(), "badpage.pdf", badPagePDF(), opt)
	if res.Err != nil || res.Partial {
		t.Fatalf("Read = %v, partial %v", res.Err, res.Partial)
	}
	if p := res.Pages[1]; p.Path != PathPdftotext || p.Text != "第二页正文" || !strings.Contains(p.Err, "filter") {
		t.Errorf("page 2: %+v", p)
	}
}

// A page over its time budget stops with an error; the run goes on.
func TestSlowPage(t *testing.T) {
	opt := bare(t)
	opt.PageTime = 1 // nanosecond
	res := Read(context.Background(), "report.pdf", corpusFile(t, "mineru/test_rearch_report.pdf"), opt)
	if res.Err != nil {
		t.Skipf("the budget ran out before the pages: %v", res.Err)
	}
	for _, p := range res.Pages {
		if !strings.Contains(p.Err, "took too long") {
			t.Errorf("page %d: Err %q", p.Number, p.Err)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Read(ctx, "report.pdf", corpusFile(t, "mineru/test_rearch_report.pdf"), bare(t))
	if !errors.Is(res.Err, context.Canceled) || !res.Partial {
		t.Errorf("Read = %v, partial %v", res.Err, res.Partial)
	}
}

func TestTools(t *testing.T) {
	o := Tools()
	for _, p := range []string{o.Pdftotext, o.Pdftoppm, o.Tesseract} {
		if p != "" && !filepath.IsAbs(p) {
			t.Errorf("tool path %q is not absolute", p)
		}
	}
	if o.Tesseract != "" && !strings.HasPrefix(o.TessLangs, "chi_") {
		t.Errorf("tesseract without a Chinese model: %q", o.TessLangs)
	}
	if o.CMapDir != "" {
		if _, err := os.Stat(filepath.Join(o.CMapDir, "cidToUnicode", "Adobe-GB1")); err != nil {
			t.Errorf("CMapDir %q: %v", o.CMapDir, err)
		}
	}
}

// Fonts whose glyphs no map turns into Unicode are named on the page, with the reason, whether
// the page as a whole is lost (issue3405r, chinese.pdf without poppler-data) or good but for a
// headline set in such a font.
func TestUnmappedFontsFlagged(t *testing.T) {
	cases := []struct {
		name string
		data func(t *testing.T) []byte
		opt  func(t *testing.T) Options
		want []string // substrings of the page's Unmapped, joined
	}{
		{"issue3405r", func(t *testing.T) []byte { return corpusFile(t, "pdfjs/issue3405r.pdf") }, bare,
			[]string{"WenQuanYiZenHei", "embedded, Identity-H, no ToUnicode, CIDs of the font's own order): 6 glyphs"}},
		{"chinese.pdf without tables", func(t *testing.T) []byte { return corpusFile(t, "pdftools/chinese.pdf") }, bare,
			[]string{"MSung-Light-Identity-H (embedded, Identity-H, no ToUnicode, no CID table for Adobe-CNS1 (poppler-data))"}},
		{"chinese.pdf with tables", func(t *testing.T) []byte { return corpusFile(t, "pdftools/chinese.pdf") }, withData, nil},
		{"research note", func(t *testing.T) []byte { return corpusFile(t, "mineru/test_rearch_report.pdf") }, bare, nil},
		{"headline in an unmapped font", func(*testing.T) []byte { return unmappedHeadlinePDF() }, bare,
			[]string{"NoMapHei (embedded, Identity-H, no ToUnicode, CIDs of the font's own order): 4 glyphs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Read(context.Background(), c.name, c.data(t), c.opt(t))
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			var got []string
			for _, p := range res.Pages {
				got = append(got, p.Unmapped...)
			}
			all := strings.Join(got, "|")
			if len(c.want) == 0 && len(got) > 0 {
				t.Errorf("Unmapped = %q, want none", got)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("Unmapped = %q, want %q in it", got, w)
				}
			}
		})
	}
	// the page with the lost headline is still good: its body is read, its text says where
	res := Read(context.Background(), "h.pdf", unmappedHeadlinePDF(), bare(t))
	if p := res.Pages[0]; p.Quality < good || !strings.Contains(p.Text, "正文可以读出") {
		t.Errorf("page %+v", p)
	}
}

// unmappedHeadlinePDF has a headline drawn in an embedded font without any map to Unicode (its
// CIDs are its own) above body text in STSong-Light.
func unmappedHeadlinePDF() []byte {
	w := &pdfWriter{}
	cat := w.reserve()
	tree := w.reserve()
	body := w.cjkFont("UniGB-UTF16-H")
	prog := w.stream(" /Length1 4", []byte("fake"))
	desc := w.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /NoMapHei /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", prog))
	head := w.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /NoMapHei /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapHei /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 >>] >>", desc))
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F2 24 Tf 72 760 Td <0011002200330044> Tj ET\n")
	for i, line := range []string{"这一页的正文可以读出，只有标题用的字体没有映射。", "标题的四个字形在文字层里是替换字符，页面仍然可用。", "这一行和上一行都是正文。"} {
		fmt.Fprintf(&c, "BT /F1 12 Tf 72 %d Td %s Tj ET\n", 720-20*i, hex16(line))
	}
	content := w.stream("", []byte(c.String()))
	page := w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>", tree, body, head, content))
	w.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	w.set(cat, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return w.bytes(cat, "")
}
