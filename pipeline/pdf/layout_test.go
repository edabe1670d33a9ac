package pdf

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated PDFs under testdata/pdf")

// A newspaper page as the tests set it: a masthead, a headline over two columns with a byline,
// its body flowing from column 1 into column 2 (a paragraph crosses the column break), a second
// article in column 3, a third article across the page below them, and a page number.
var (
	art1Head   = "全市粮食产量创历史新高"
	art1Byline = "本报记者 张三"
	art1       = []string{
		"本报讯今年全市粮食总产量达到250万吨，比去年增长6.5%，创历史新高。全市新建高标准农田十二万亩，粮食播种面积稳定在三百万亩以上。",
		"市农业农村局负责人介绍，今年全市推广优良品种三十多个，良种覆盖率超过百分之九十八。夏粮收购工作已经全面展开，收购价格保持稳定，农民种粮收益明显提高，种粮积极性进一步增强。",
		"据统计，全市农业机械总动力达到一百八十万千瓦，主要农作物耕种收综合机械化率达到百分之八十五。下一步，全市将继续加大投入，确保明年粮食生产再获丰收。",
	}
	art2Head = "新能源汽车销量增长"
	art2     = []string{
		"今年前十个月，全市新能源汽车销量达到八万辆，同比增长百分之四十二。",
		"充电设施建设加快推进，全市已建成公共充电桩一万二千个，覆盖所有乡镇。",
	}
	art3Head = "老城区改造项目全面启动今年计划改造小区一百二十个"
	art3     = []string{
		"记者从市住房和城乡建设局获悉，今年全市老城区改造项目已于三月全面启动，计划改造老旧小区一百二十个，涉及居民四万二千户，总投资约十八亿元。改造内容包括加装电梯、更新管网、增设停车位和养老服务设施。",
		"市住房和城乡建设局有关负责人表示，改造工作坚持先民生后提升，优先解决群众反映强烈的问题，确保年底前完成全部改造任务，让老城区居民住得更加舒心。",
	}
	masthead = [2]string{"新闻日报", "2024年1月5日星期五"}
)

const (
	pageW, pageH = 595.0, 842.0
	margin       = 40.0
	gutter       = 15.0
	body         = 10.5
	leading      = 15.0
)

func runeWidth(r rune) float64 {
	if r < 0x2E80 {
		return 0.5
	}
	return 1
}

// setParagraphs breaks paragraphs into lines of a column (first lines indented two
// characters) from y downwards, continuing in the next column at top when one is full.
func setParagraphs(paras []string, cols []float64, width, top, bottom float64) (runs []run) {
	col, y := 0, top
	for _, p := range paras {
		rs := []rune(p)
		indent := 2.0
		for len(rs) > 0 {
			if y < bottom {
				col, y = col+1, top
			}
			w, n := indent, 0
			for n < len(rs) && (w+runeWidth(rs[n]))*body <= width {
				w += runeWidth(rs[n])
				n++
			}
			runs = append(runs, run{cols[col] + indent*body, y, body, string(rs[:n])})
			rs = rs[n:]
			indent = 0
			y -= leading
		}
	}
	return runs
}

// newspaperPage lays out one page; the runs are drawn out of reading order on purpose.
func newspaperPage(number string) []run {
	colW := (pageW - 2*margin - 2*gutter) / 3
	cols := []float64{margin, margin + colW + gutter, margin + 2*(colW+gutter)}
	var head, a1, a2, a3, foot []run
	head = append(head, run{margin, 805, 10, masthead[0]}, run{400, 805, 10, masthead[1]})
	a1 = append(a1, run{margin, 760, 22, art1Head}, run{margin, 738, 9, art1Byline})
	a1 = append(a1, setParagraphs(art1, cols[:2], colW, 715, 540)...)
	a2 = append(a2, run{cols[2], 760, 16, art2Head})
	a2 = append(a2, setParagraphs(art2, cols[2:], colW, 715, 540)...)
	a3 = append(a3, run{margin, 490, 20, art3Head})
	a3 = append(a3, setParagraphs(art3, cols, colW, 460, 400)...)
	foot = append(foot, run{290, 30, 10, number})
	var out []run
	out = append(out, a2...)
	out = append(out, a1[len(a1)/2:]...)
	out = append(out, foot...)
	out = append(out, a3...)
	out = append(out, a1[:len(a1)/2]...)
	out = append(out, head...)
	return out
}

func newspaperPDF() []byte {
	return textPDF([][]run{newspaperPage("3"), newspaperPage("4")}, "UniGB-UTF16-H")
}

// fixture returns a generated PDF, writing it under testdata/pdf with -update so that people
// and other readers can open it; the bytes are the same either way.
func fixture(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "pdf", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if old, err := os.ReadFile(path); err == nil && string(old) != string(data) {
		t.Errorf("%s differs from what the test generates: run go test ./pipeline/pdf -run %s -update", path, t.Name())
	}
	return data
}

func TestNewspaperLayout(t *testing.T) {
	data := fixture(t, "newspaper_3col.pdf", newspaperPDF())
	res := Read(context.Background(), "newspaper_3col.pdf", data, Options{CMapDir: t.TempDir()})
	if res.Err != nil || res.Partial || len(res.Pages) != 2 {
		t.Fatalf("Read = err %v, partial %v, %d pages", res.Err, res.Partial, len(res.Pages))
	}
	for _, p := range res.Pages {
		if p.Path != "cmap:UniGB-UTF16-H" || p.Quality < 0.99 || p.NeedsOCR || p.Err != "" {
			t.Errorf("page %d: path %q quality %v needsOCR %v err %q", p.Number, p.Path, p.Quality, p.NeedsOCR, p.Err)
		}
		// reading order: every paragraph whole (lines and the column break joined), in order
		want := []string{art1Head, art1Byline}
		want = append(want, art1...)
		want = append(want, art2Head)
		want = append(want, art2...)
		want = append(want, art3Head)
		want = append(want, art3...)
		got := strings.Split(p.Text, "\n")
		var nonblank []string
		for _, l := range got {
			if l != "" {
				nonblank = append(nonblank, l)
			}
		}
		if strings.Join(nonblank, "\n") != strings.Join(want, "\n") {
			t.Errorf("page %d text:\n%s\nwant the paragraphs:\n%s", p.Number, p.Text, strings.Join(want, "\n"))
		}
		// articles are set apart by a blank line before each headline
		for _, h := range []string{art2Head, art3Head} {
			if !strings.Contains(p.Text, "\n\n"+h+"\n") {
				t.Errorf("page %d: no blank line before headline %q", p.Number, h)
			}
		}
		if strings.Join(p.Headlines, "|") != strings.Join([]string{art1Head, art2Head, art3Head}, "|") {
			t.Errorf("page %d headlines = %q", p.Number, p.Headlines)
		}
		removed := strings.Join(p.Removed, "|")
		if !strings.Contains(removed, masthead[0]) || !strings.Contains(removed, masthead[1]) || !strings.Contains(removed, string(rune('0'+p.Number+2))) {
			t.Errorf("page %d removed = %q, want the masthead and the page number", p.Number, p.Removed)
		}
	}
}

// The generated page is a real PDF: poppler reads the same characters from it.
func TestNewspaperPDFIsReal(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil || cmapDir("") == "" {
		t.Skip("pdftotext or poppler-data not installed")
	}
	path := filepath.Join(t.TempDir(), "n.pdf")
	data := newspaperPDF()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	res := Read(context.Background(), "n.pdf", data, Options{})
	var all string
	for _, p := range res.Pages {
		all += p.Text + strings.Join(p.Removed, "")
	}
	if s := similarity(all, string(out)); s < 0.99 {
		t.Errorf("similarity with pdftotext = %.3f\nours:\n%s\npdftotext:\n%s", s, all, out)
	}
}

// Vertical writing (UniGB-UTF16-V): columns read top to bottom, right to left.
func TestVerticalWriting(t *testing.T) {
	cols := []string{"竖排的第一列文字从右边开始", "第二列在它的左边接着读", "第三列是最后一列"}
	var runs []run
	for i := len(cols) - 1; i >= 0; i-- { // drawn left to right, read right to left
		runs = append(runs, run{500 - float64(i)*18, 780, 12, cols[i]})
	}
	data := fixture(t, "vertical.pdf", textPDF([][]run{runs}, "UniGB-UTF16-V"))
	res := Read(context.Background(), "vertical.pdf", data, Options{CMapDir: t.TempDir()})
	if res.Err != nil || len(res.Pages) != 1 {
		t.Fatalf("Read: %v", res.Err)
	}
	if got, want := strings.ReplaceAll(res.Pages[0].Text, "\n", ""), strings.Join(cols, ""); got != want {
		t.Errorf("vertical text = %q, want %q", got, want)
	}
}

// newspaperContent is testdata/pdf/newspaper_fpdf.json: what testdata/pdf/gen set on each page
// of newspaper_fpdf.pdf, articles in reading order.
type newspaperContent struct {
	Masthead, Dateline string
	Pages              []struct {
		Number   int
		Articles []struct {
			Headline, Subhead, Byline string
			Paras                     []string
		}
	}
}

// A newspaper page from a real PDF writer (go-pdf/fpdf, embedded TrueType subsets, Chinese and
// Latin fonts mixed in a line, justified and hanging punctuation, drawn column by column): an
// article over two columns, one in the third, one across the page below under a headline that
// spans only two columns. Reading order, whole paragraphs across the column breaks, the
// headlines and subheads by size, the masthead, date and footer removed.
func TestNewspaperFromPDFWriter(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "pdf")
	data, err := os.ReadFile(filepath.Join(dir, "newspaper_fpdf.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "newspaper_fpdf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c newspaperContent
	if err := json.Unmarshal(js, &c); err != nil {
		t.Fatal(err)
	}
	res := Read(context.Background(), "newspaper_fpdf.pdf", data, Options{CMapDir: t.TempDir()})
	if res.Err != nil || res.Partial || len(res.Pages) != len(c.Pages) {
		t.Fatalf("Read = err %v, partial %v, %d pages", res.Err, res.Partial, len(res.Pages))
	}
	for i, p := range res.Pages {
		if p.Path != PathTextLayer || p.Quality < 0.99 || p.NeedsOCR || p.Err != "" {
			t.Errorf("page %d: path %q quality %v needsOCR %v err %q", p.Number, p.Path, p.Quality, p.NeedsOCR, p.Err)
		}
		var want, heads []string
		for k, a := range c.Pages[i].Articles {
			if k > 0 {
				want = append(want, "") // a blank line before each article's headline
			}
			want = append(want, a.Headline)
			heads = append(heads, a.Headline)
			if a.Subhead != "" {
				want = append(want, a.Subhead)
				heads = append(heads, a.Subhead)
			}
			if a.Byline != "" {
				want = append(want, a.Byline)
			}
			want = append(want, a.Paras...)
		}
		if got := strings.Split(p.Text, "\n"); !reflect.DeepEqual(got, want) {
			t.Errorf("page %d text:\n%s\nwant:\n%s", p.Number, p.Text, strings.Join(want, "\n"))
		}
		if !reflect.DeepEqual(p.Headlines, heads) {
			t.Errorf("page %d headlines %q, want %q", p.Number, p.Headlines, heads)
		}
		removed := strings.Join(p.Removed, "|")
		for _, w := range []string{c.Masthead, c.Dateline, fmt.Sprintf("第%d版", c.Pages[i].Number), "责任编辑"} {
			if !strings.Contains(removed, w) {
				t.Errorf("page %d removed %q, want %q among them", p.Number, p.Removed, w)
			}
		}
	}
}

// Tables read row by row, cells left to right, each row a line of its own: a table drawn
// column by column (as most writers draw them), and the research note's financial tables (two
// pairs of tables side by side).
func TestTableRows(t *testing.T) {
	rows := [][]string{
		{"项目", "2021年", "2022年", "2023年"},
		{"营业收入", "1,567", "3,684", "5,056"},
		{"净利润", "173", "471", "717"},
		{"毛利率", "33.7%", "35.0%", "36.0%"},
		{"每股收益", "1.07", "2.91", "4.43"},
	}
	var runs []run
	for c := range rows[0] { // column by column
		for r, row := range rows {
			runs = append(runs, run{72 + float64(c)*110, 700 - float64(r)*18, 10.5, row[c]})
		}
	}
	runs = append(runs, run{72, 760, 10.5, "表1：主要财务数据（单位：百万元）"})
	res := Read(context.Background(), "table.pdf", textPDF([][]run{runs}, "UniGB-UTF16-H"), Options{CMapDir: t.TempDir()})
	if res.Err != nil || len(res.Pages) != 1 {
		t.Fatalf("Read: %v", res.Err)
	}
	want := []string{"表1：主要财务数据（单位：百万元）"}
	for _, row := range rows {
		want = append(want, strings.Join(row, " "))
	}
	if got := res.Pages[0].Text; got != strings.Join(want, "\n") {
		t.Errorf("table text:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	report := Read(context.Background(), "report.pdf", corpusFile(t, "mineru/test_rearch_report.pdf"), Options{CMapDir: t.TempDir()})
	if report.Err != nil || len(report.Pages) != 4 {
		t.Fatalf("Read: %v", report.Err)
	}
	text := report.Pages[2].Text
	// two tables side by side are two tables, the left one first
	for _, w := range []string{"\n每股收益 1.07 2.91 4.43 5.77\n", "\n净利润 173 471 717 933\n", "\n经营活动现金流 76 205 658 812\n",
		"\n营业成本 1,038 2,394 3,236 3,567\n", "\n负债和所有者权益合计 3,235 5,932 8,487 10,141"} {
		if !strings.Contains(text, w) {
			t.Errorf("page 3 lacks the row %q:\n%s", w, text)
		}
	}
	if h := report.Pages[2].Headlines; len(h) != 1 || h[0] != "财务报表分析和预测" {
		t.Errorf("page 3 headlines %q", h)
	}
}

// The /W ranges give the same width to every CID whether they are searched in order or, when
// none overlaps another, by binary search.
func TestRangeWidth(t *testing.T) {
	tests := []struct {
		name   string
		ranges []wRange
		sorted bool
	}{
		{"disjoint, out of order", []wRange{{100, 199, 0.5}, {1, 9, 1}, {10, 10, 0.25}, {300, 300, 0.75}}, true},
		{"overlapping: the first in the file wins", []wRange{{1, 100, 1}, {50, 60, 0.5}, {200, 300, 0.25}}, false},
		{"one", []wRange{{5, 5, 0.5}}, true},
		{"none", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &font{cidWRng: slices.Clone(tt.ranges)}
			f.sortRanges()
			if f.wSorted != tt.sorted {
				t.Fatalf("sorted %v, want %v", f.wSorted, tt.sorted)
			}
			for c := uint32(0); c <= 400; c++ {
				want, wantOK := 0.0, false
				for _, r := range tt.ranges { // the file's order
					if r.lo <= c && c <= r.hi {
						want, wantOK = r.w, true
						break
					}
				}
				if got, ok := f.rangeWidth(c); got != want || ok != wantOK {
					t.Fatalf("CID %d: %v %v, want %v %v", c, got, ok, want, wantOK)
				}
			}
		})
	}
}
