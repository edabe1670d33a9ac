package clean

import (
	"strings"
	"testing"
)

// only runs one operation (and the ones it cannot do without).
func only(op string, in string) string {
	var off []string
	for _, o := range Ops {
		if o.Name != op {
			off = append(off, o.Name)
		}
	}
	got, _, _ := Clean(in, Options{Disable: off})
	return got
}

func TestOps(t *testing.T) {
	for _, tc := range []struct{ op, in, want string }{
		// compat: a Kangxi radical and a compatibility ideograph.
		{"compat", "\u2F08民\uF900", "人民豈"},
		{"compat", "，。１", "，。１"},
		// ocr_digits: the examples.
		{"ocr_digits", "全镇共有党员2l6名", "全镇共有党员216名"},
		{"ocr_digits", "3O.5亿元", "30.5亿元"},
		{"ocr_digits", "1O0家", "100家"},
		{"ocr_digits", "Model 3 Pro 2 lol", "Model 3 Pro 2 lol"},
		{"ocr_digits", "iOS 9", "iOS 9"},
		// debris: continuation markers and page-number lines (seed, PD-style pages).
		{"debris", "填补领域空白。（下转第三版）\n\n共同富裕加速跑", "填补领域空白。\n\n共同富裕加速跑"},
		{"debris", "（上接第1版）会议指出", "会议指出"},
		{"debris", "正文。\n- 3 -\n下一段", "正文。\n\n下一段"},
		{"debris", "第3版\n标题", "\n标题"},
		{"debris", "共有3个村", "共有3个村"},
		// han_spaces: letter-spaced lines from pdftotext's output of pdftools/chinese.pdf.
		{"han_spaces", "本 集 團 現 金 客 戶 須 於 交 易 日 後", "本集團現金客戶須於交易日後"},
		{"han_spaces", "結 算 其 交 易 金 額 。 倘 若", "結算其交易金額。倘若"},
		{"han_spaces", "奋进 工业强市", "奋进 工业强市"},
		{"han_spaces", "首届 巾媒 悦享沙龙启动", "首届 巾媒 悦享沙龙启动"},
		{"han_spaces", "我领 着 阳阳在 这个 城市", "我领 着 阳阳在 这个 城市"},
		// THUCNews: a title and its body run together with one space between them.
		{"han_spaces", "湖人1消息比赢球开心10倍 小拜膝伤无碍季后赛复出", "湖人1消息比赢球开心10倍 小拜膝伤无碍季后赛复出"},
		{"ocr_digits", "安德鲁-拜纳姆在2010年的ESPN报道中", "安德鲁-拜纳姆在2010年的ESPN报道中"},
		// PD1998: full-width digits with a middle dot as decimal point.
		{"width", "出口额１３·４亿美元", "出口额13.4亿美元"},
		// lexicon: the seed's misreadings.
		{"lexicon", "东苜泵业是国内并用潜水泵品种最全的企业", "东音泵业是国内井用潜水泵品种最全的企业"},
		{"lexicon", "两者并用", "两者并用"},
	} {
		if got := only(tc.op, tc.in); got != tc.want {
			t.Errorf("%s: Clean(%q) = %q, want %q", tc.op, tc.in, got, tc.want)
		}
	}
}

func TestDoubled(t *testing.T) {
	head := "近年来，我市各级妇联积极实施巾帼共创行动，服务引领广大优秀创业女性在乡村振兴"
	got, _, edits := Clean(head+"\n\n兴中大显身手。", Options{})
	if got != head+"中大显身手。" {
		t.Errorf("doubled across a break: %q", got)
	}
	var ops []string
	for _, e := range edits {
		ops = append(ops, e.Op+":"+e.Old)
	}
	if strings.Join(ops, ",") != "join_lines:\n\n,doubled:兴" {
		t.Errorf("edits %q", ops)
	}
	// 人人 is a word: the doubled character stays.
	head2 := "近年来，我市积极推进全民健身行动，让健身成为生活方式，做到健康生活人"
	if got, _, _ := Clean(head2+"\n\n人参与。", Options{}); got != head2+"人参与。" {
		t.Errorf("a doubled form that is a word: %q", got)
	}
	if got, _, _ := Clean(head+"\n\n兴中大显身手。", Options{Disable: []string{"doubled"}}); got != head+"兴中大显身手。" {
		t.Errorf("doubled switched off: %q", got)
	}
}

func TestLexiconFile(t *testing.T) {
	lx, err := ParseLexicon(map[string][]byte{"mine.txt": []byte("# comment\n己经\n已经\n土地流转\n")},
		map[string][]byte{"c.txt": []byte("己已巳\n土士\n")})
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := Clean("士地流转巳经完成", Options{Lexicon: lx})
	if got != "土地流转巳经完成" {
		t.Errorf("user lexicon: %q (巳经 is one look-alike from both 己经 and 已经: ambiguous, left alone)", got)
	}
	if _, err := ParseLexicon(nil, map[string][]byte{"bad.txt": []byte("井\n")}); err == nil || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Errorf("a one-character confusable set: error %v, want one naming bad.txt:1", err)
	}
}
