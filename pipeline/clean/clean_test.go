package clean

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/clean")

func TestWidth(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"１９９８年来临之际", "1998年来临之际"}, // PD1998 full-width digits
		{"增长４０％", "增长40%"},         // ％ always
		{"１，２５６万元", "1,256万元"},     // a comma inside a full-width number is a thousands separator
		{"$20，300美圆", "$20，300美圆"}, // between ASCII digits it separates two prices
		{"１，２，３", "1，2，3"},         // not before a group of three: a list
		{"３．５亿", "3.5亿"},           // a decimal point between digits
		{"我们，他们：好", "我们，他们：好"},     // prose punctuation stays full-width
		{"ＣＥＯ和ｅ时代", "CEO和e时代"},     // letters
		{"１２：３０开会", "12:30开会"},     // a colon between digits
	} {
		if got, _, _ := Clean(tc.in, Options{Disable: []string{"join_lines"}}); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestInvisible(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"产值\u200b超\ufeff300亿元", "产值超300亿元"},
		{"a\x00b\x07c", "abc"},
		{"行一\n\t行二", "行一\n\t行二"}, // newlines and tabs stay
		{"soft\u00adhyphen", "softhyphen"},
	} {
		if got, _, _ := Clean(tc.in, Options{}); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJoinLines(t *testing.T) {
	body := "目前，我市已建成全省首批、台州首个工程师协同创新中"
	for _, tc := range []struct{ name, in, want string }{
		{"word broken across a blank line (seed)", body + "\n\n心，泵业创新服务综合体成功列入省级创建名单。", body + "心，泵业创新服务综合体成功列入省级创建名单。"},
		{"short punctuated line (seed 扎根库/区)", "为确保百分百完成搬迁签约任务，连日来，专班人员扎根库\n\n区，加班加点抓推进。", "为确保百分百完成搬迁签约任务，连日来，专班人员扎根库区，加班加点抓推进。"},
		{"headline before a byline stays", "首届 巾媒 悦享沙龙启动 共话巾帼智创 赋能乡村振兴\n\n本报讯（记者叶琳）", "首届 巾媒 悦享沙龙启动 共话巾帼智创 赋能乡村振兴\n\n本报讯（记者叶琳）"},
		{"headline with a comma stays", "聚链成群，产值超300亿元\n\n这个产业集群何以跻身国家队？", "聚链成群，产值超300亿元\n\n这个产业集群何以跻身国家队？"},
		{"a finished sentence stays", "温岭已培育省级电子商务直播基地3个，直播近9000场次，直播板块网络零售额近18亿元。\n\n全国最大滩涂光伏电站建设正酣", "温岭已培育省级电子商务直播基地3个，直播近9000场次，直播板块网络零售额近18亿元。\n\n全国最大滩涂光伏电站建设正酣"},
		{"PD1998 lines end in 。 and stay", "１２月３１日，中共中央总书记、国家主席江泽民发表１９９８年新年讲话《迈向充满希望的新世纪》。\n同胞们、朋友们、女士们、先生们：", "12月31日，中共中央总书记、国家主席江泽民发表1998年新年讲话《迈向充满希望的新世纪》。\n同胞们、朋友们、女士们、先生们："},
	} {
		if got, _, _ := Clean(tc.in, Options{}); got != tc.want {
			t.Errorf("%s:\nClean(%q)\n = %q\nwant %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestOffsetMap: every cleaned code point maps back to raw text that, cleaned alone, gives it.
func TestOffsetMap(t *testing.T) {
	raw := "產值\u200b超３００亿元，配套\n\n企业近９００家。"
	got, m, edits := Clean(raw, Options{})
	rr := []rune(raw)
	if m.Len() != utf8.RuneCountInString(got) {
		t.Fatalf("map covers %d code points, text has %d", m.Len(), utf8.RuneCountInString(got))
	}
	gr := []rune(got)
	for i := range gr {
		rs, re := m.Raw(i, i+1)
		// Cleaned alone, a lone digit would be a page-number line: judge the span without debris.
		c, _, _ := Clean(string(rr[rs:re]), Options{Disable: []string{"debris"}})
		if c != string(gr[i]) && strings.TrimSpace(string(rr[rs:re])) != "" {
			t.Errorf("cleaned[%d] = %q maps to raw[%d:%d] = %q, which cleans to %q", i, gr[i], rs, re, string(rr[rs:re]), c)
		}
	}
	if len(edits) == 0 || edits[0].Op != "invisible" || edits[0].Old != "\u200b" {
		t.Errorf("edits = %+v, want the zero-width space removed first", edits)
	}
	// 超３００亿元 in the cleaned text maps back to the full-width raw span.
	s := strings.Index(got, "超300亿元")
	cs := utf8.RuneCountInString(got[:s])
	rs, re := m.Raw(cs, cs+6)
	if string(rr[rs:re]) != "超３００亿元" {
		t.Errorf("raw span of 超300亿元 = %q", string(rr[rs:re]))
	}
}

func TestDisable(t *testing.T) {
	in := "１２３\u200b"
	if got, _, _ := Clean(in, Options{Disable: []string{"width", "invisible"}}); got != in {
		t.Errorf("with every operation off, Clean(%q) = %q", in, got)
	}
}

// TestSeedGolden compares the cleaned seed page with its reviewed golden file.
func TestSeedGolden(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := Clean(string(raw), Options{})
	golden := filepath.Join("..", "..", "testdata", "clean", "seed.golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("cleaned seed differs from %s (run go test ./pipeline/clean -update and review the diff)", golden)
	}
}

// TestIdempotentCorpus: Clean(Clean(x)) == Clean(x) over the real corpus in ../shared.
func TestIdempotentCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(root, "pd1998", "pages", "*.txt"))
	more, _ := filepath.Glob(filepath.Join(root, "pdf", "pdftotext-22.12", "*.txt"))
	files = append(files, more...)
	files = append(files, filepath.Join(root, "news", "thucnews_cnews_val_1000.txt"), filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if len(files) < 3 {
		t.Skip("../shared/corpus is not there")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		once, _, _ := Clean(string(raw), Options{})
		twice, _, edits := Clean(once, Options{})
		if once != twice {
			t.Errorf("%s: cleaning is not idempotent; second pass made %d edits, first %+v", f, len(edits), edits[0])
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"１，２５６万元", "产值\u200b超\n\n300亿元", "本 集 團", "a\x00b", "中\n\n心，", "", "\n\n\n", "９．", "．９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		once, m, _ := Clean(s, Options{})
		n := utf8.RuneCountInString(once)
		if m.Len() != n {
			t.Fatalf("map has %d entries for %d code points", m.Len(), n)
		}
		raw := utf8.RuneCountInString(s)
		prev := 0
		for i := range n {
			start, end := m.At(i)
			if start < 0 || end > raw || start > end || start < prev {
				t.Fatalf("bad map entry %d: [%d,%d) of %d", i, start, end, raw)
			}
			prev = start
		}
		if twice, _, _ := Clean(once, Options{}); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
	})
}

// TestJoinLinesKeepsPDFHeadlines: a headline of forty characters or more, which join_lines
// would take for body text, stays on its line when the PDF set it as a headline.
func TestJoinLinesKeepsPDFHeadlines(t *testing.T) {
	head := "全市中小学新建校舍全部投入使用新增学位一万八千个各区县同步推进配套工程建设确保秋季学期顺利开学"
	raw := head + "\n本报讯新学期开学前，全市新建改扩建中小学校舍二十六所全部投入使用。\n"
	if got, _, _ := Clean(raw, Options{}); !strings.Contains(got, head+"本报讯") {
		t.Fatalf("without the hint join_lines should join the long line: %q", got)
	}
	got, _, _ := Clean(raw, Options{Headlines: []int{0}})
	if !strings.HasPrefix(got, head+"\n本报讯") {
		t.Errorf("with the hint: %q", got)
	}
}

// runeCountUpTo counts as utf8.RuneCountInString does (an invalid byte is a code point), up to
// its limit.
func TestRuneCountUpTo(t *testing.T) {
	for _, s := range []string{"", "abc", "温岭已拥有上市企业5家。", "a\xe4\xb8b\x80c温", "\xff\xfe", "😀a温", strings.Repeat("温a", 50)} {
		for _, limit := range []int{0, 1, 3, 40, 1000} {
			want := min(utf8.RuneCountInString(s), limit)
			if got := runeCountUpTo(s, limit); got != want {
				t.Errorf("runeCountUpTo(%q, %d) = %d, want %d", s, limit, got, want)
			}
		}
	}
}
