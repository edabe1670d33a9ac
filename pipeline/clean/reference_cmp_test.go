package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// sameAsReference reports how Clean and refClean differ on raw, or "" when they agree on the
// text, both halves of the offset map and the edits.
func sameAsReference(raw string, opt Options) string {
	text, m, edits := Clean(raw, opt)
	wtext, wm, wedits := refClean(raw, opt)
	switch {
	case text != wtext:
		return fmt.Sprintf("text %q, want %q", text, wtext)
	case m.Len() != wm.Len():
		return fmt.Sprintf("map of %d code points, want %d", m.Len(), wm.Len())
	case !reflect.DeepEqual(edits, wedits):
		return fmt.Sprintf("edits %+v, want %+v", edits, wedits)
	}
	for i := range m.Len() {
		s, e := m.At(i)
		if ws, we := wm.At(i); s != ws || e != we {
			return fmt.Sprintf("code point %d maps to [%d,%d), want [%d,%d)", i, s, e, ws, we)
		}
	}
	return ""
}

// referenceOptions are the configurations the comparisons run: everything on, each operation
// off in turn, and every third line start set as a PDF headline.
func referenceOptions(raw string) []Options {
	opts := []Options{{}}
	for _, op := range Ops {
		opts = append(opts, Options{Disable: []string{op.Name}})
	}
	var heads []int
	n := 0
	for i, r := range raw {
		if r == '\n' && n%3 == 0 {
			heads = append(heads, utf8.RuneCountInString(raw[:i])+1)
		}
		if r == '\n' {
			n++
		}
	}
	return append(opts, Options{Headlines: heads})
}

// TestMatchesReference: on every page of ../shared/corpus and the repository's test pages, in
// every configuration of referenceOptions, Clean gives exactly what the reference gives.
func TestMatchesReference(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(root, "pd1998", "pages", "*.txt"))
	more, _ := filepath.Glob(filepath.Join(root, "pdf", "pdftotext-22.12", "*.txt"))
	files = append(files, more...)
	files = append(files, filepath.Join(root, "news", "thucnews_cnews_val_1000.txt"))
	if len(files) < 3 {
		t.Skip("../shared/corpus is not there")
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "pages", "*.txt"))
	files = append(files, seeds...)
	if testing.Short() {
		files = files[len(files)-20:]
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, opt := range referenceOptions(string(raw)) {
			if d := sameAsReference(string(raw), opt); d != "" {
				if len(d) > 2000 {
					d = d[:2000] + "…"
				}
				t.Fatalf("%s, disable %v: %s", f, opt.Disable, d)
			}
		}
	}
}

// TestMatchesReferenceCases: the cases that are hard to get right on bytes.
func TestMatchesReferenceCases(t *testing.T) {
	lx, err := ParseLexicon(map[string][]byte{"mine.txt": []byte("己经\n已经\n土地流转\n")},
		map[string][]byte{"c.txt": []byte("己已巳\n土士\n")})
	if err != nil {
		t.Fatal(err)
	}
	// Look-alikes outside the Basic Multilingual Plane and of different lengths in UTF-8.
	wide, err := ParseLexicon(map[string][]byte{"wide.txt": []byte("𠀀经\n甲a乙\n")},
		map[string][]byte{"c.txt": []byte("𠀀𠀁\na中\n")})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("我市已建成全省首批台州首个工程师协同创新", 3)
	for _, in := range []string{
		"", "\n", "a", "\x00", "\xff\xfe中\x80", "中\xe4\xb8", "１，２５６万元", "$20，300美圆", "１，２，３", "３．５亿", "１２：３０开会",
		"１３·４亿美元", "１３・４", "2l5o5", "2lOl5", "3O.5亿元", ".l2", "Ol2", "iOS 9", "x2l6",
		"\u2F08民\uF900\uFA6C\U0002F800\u2E80", "产值\u200b超\ufeff300亿元\u0085\u009f\ufffe\uffff\u00ad",
		"填补领域空白。（下转第三版）\n\n共同富裕加速跑", "（上接第1版）会议指出", "正文。\n- 3 -\n下一段", "第3版\n标题", "3\n\n3\r\n　第 三 版　\n",
		"转第2版转第3版", "本 集 團 現 金 客 戶", "我领 着 阳阳在 这个 城市", "，　，　，", "本 集\n團 現 金",
		long + "\n\n心，泵业", long + "兴\n\n兴中大显身手。", long + "人\n\n人参与。", long + " \n \n", long + "\n",
		long + "\n\n" + long + "\n\n" + long + "。\n", "士地流转巳经完成", "东苜泵业是国内并用潜水泵",
		"𠀁经", "x𠀁经𠀁经甲中乙甲a乙", "甲中乙",
	} {
		for _, opt := range append(referenceOptions(in), Options{Lexicon: lx}, Options{Lexicon: wide}, Options{Headlines: []int{0, 60}}) {
			if d := sameAsReference(in, opt); d != "" {
				t.Errorf("Clean(%q), disable %v: %s", in, opt.Disable, d)
			}
		}
	}
}

// FuzzReference: for any input and any set of operations switched off, Clean gives exactly
// what the reference gives.
func FuzzReference(f *testing.F) {
	for _, s := range []string{"１，２５６万元", "产值\u200b超\n\n300亿元", "本 集 團", "a\x00b", "中\n\n心，", "", "\n\n\n", "９．", "．９",
		"2l5o5", "（下转第三版）", "- 3 -\n", strings.Repeat("工程师协同创新", 7) + "\n\n心，", "东苜泵业", "\u2F08\uF900"} {
		f.Add(s, uint16(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, disable uint16, head uint8) {
		var opt Options
		for i, op := range Ops {
			if disable&(1<<i) != 0 {
				opt.Disable = append(opt.Disable, op.Name)
			}
		}
		if head > 0 { // a headline at every head-th code point
			for i := 0; i < utf8.RuneCountInString(s); i += int(head) {
				opt.Headlines = append(opt.Headlines, i)
			}
		}
		if d := sameAsReference(s, opt); d != "" {
			t.Fatalf("Clean(%q), disable %v: %s", s, opt.Disable, d)
		}
	})
}

// cleanTokens are what FuzzReferenceTokens builds texts of: the characters the operations
// look for and the ones around them, so that random bytes make texts with something to clean.
var cleanTokens = []string{
	"１", "２", "0", "7", "，", "．", "：", "－", "·", "・", "％", "Ａ", "ｚ", ",", ".", "l", "I", "O", "o", "a",
	"中", "心", "兴", "人", "第", "版", "转", "接", "上", "下", "三", "（", "）", "。", "、", "；", "“",
	" ", "　", "\t", "\n", "\n\n", "\r", "\u200b", "\ufeff", "\u0085", "\x01", "\u2F08", "\uF900", "\U0002F800",
	"东苜泵业", "并用", "潜水泵", "工程师协同创新中心，泵业创新服务综合体成功列入省级创建名单", "\xff",
}

// FuzzReferenceTokens: FuzzReference on texts made of cleanTokens, one token a byte.
func FuzzReferenceTokens(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, uint16(0), uint8(0))
	f.Add([]byte{20, 37, 20, 37, 21, 37, 22, 40, 53, 40, 21}, uint16(0), uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, disable uint16, head uint8) {
		var sb strings.Builder
		for _, c := range b {
			sb.WriteString(cleanTokens[int(c)%len(cleanTokens)])
		}
		s := sb.String()
		var opt Options
		for i, op := range Ops {
			if disable&(1<<i) != 0 {
				opt.Disable = append(opt.Disable, op.Name)
			}
		}
		if head > 0 {
			for i := 0; i < utf8.RuneCountInString(s); i += int(head) {
				opt.Headlines = append(opt.Headlines, i)
			}
		}
		if d := sameAsReference(s, opt); d != "" {
			t.Fatalf("Clean(%q), disable %v: %s", s, opt.Disable, d)
		}
	})
}
