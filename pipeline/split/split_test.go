package split

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
)

func doc(t *testing.T, raw, pub string) *pipeline.Doc {
	t.Helper()
	d := &pipeline.Doc{Raw: raw, PubDate: pub}
	clean.Stage(d, clean.Options{})
	Articles(d)
	Sentences(d)
	return d
}

// TestSeedArticles: the seed page's six articles, their bylines and the people in them.
func TestSeedArticles(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc(t, string(raw), "2023-11-01")
	var got [][]string
	for _, a := range d.Articles {
		got = append(got, []string{a.Headline, a.Byline, strings.Join(a.Reporters, ","), a.ContinuesOn})
	}
	want := [][]string{
		// The page opens with two articles' headlines together: the live-streaming contest's
		// lines go back to it.
		{"聚链成群，产值超300亿元 这个产业集群何以跻身国家队？ 奋进 工业强市 向2000亿奋进", "记者 赵碧莹", "赵碧莹", "第三版"},
		{"共同富裕加速跑 温岭发力直播赛道 全省直播电商大赛 拿下一金一铜", "记者赵碧莹", "赵碧莹", ""},
		{"全国最大滩涂光伏电站建设正酣", "记者 刘振清摄", "", ""},
		{"首届 巾媒 悦享沙龙启动 共话巾帼智创 赋能乡村振兴", "记者叶琳 通讯员陈慧", "叶琳,陈慧", ""},
		{"面对面答疑解惑 助力生态搬迁及环境治理工作", "记者姚天 通讯员郭瑾伊", "姚天,郭瑾伊", ""},
		{"撑牢青少年权益 保护伞 保护少年的你", "记者陈俊杰 通讯员郑露 江曙阳", "陈俊杰,郑露,江曙阳", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("seed articles:\n got %q\nwant %q", got, want)
	}
	roles := map[string]string{}
	rs := []rune(d.Text)
	for _, e := range d.Entities {
		roles[e.Text] = e.Role
		if string(rs[e.Start:e.End]) != e.Text {
			t.Errorf("entity %q at [%d,%d) reads %q in the text", e.Text, e.Start, e.End, string(rs[e.Start:e.End]))
		}
	}
	wantRoles := map[string]string{"赵碧莹": "reporter", "刘振清": "photographer", "叶琳": "reporter", "陈慧": "correspondent",
		"姚天": "reporter", "郭瑾伊": "correspondent", "陈俊杰": "reporter", "郑露": "correspondent", "江曙阳": "correspondent"}
	if !reflect.DeepEqual(roles, wantRoles) {
		t.Errorf("byline people %v, want %v", roles, wantRoles)
	}
	// Sentences cover articles without crossing them.
	for _, s := range d.Sentences {
		a := d.Articles[s.Article]
		if s.Start < a.Start || s.End > a.End || s.Start >= s.End {
			t.Errorf("sentence %d [%d,%d) outside article %d [%d,%d)", s.Index, s.Start, s.End, a.Index, a.Start, a.End)
		}
	}
}

// TestDensePage: People's Daily pages put a blank line between articles and none between
// paragraphs.
func TestDensePage(t *testing.T) {
	raw := "图片新闻\n新华社记者兰红光摄\n\n本报北京１２月３１日电　记者王明报道：今天下午，会议在京举行。\n会议指出，今年经济增长８％。\n\n第二篇文章标题\n正文第一句。正文第二句！\n"
	d := doc(t, raw, "1998-01-01")
	if len(d.Articles) != 3 {
		t.Fatalf("%d articles, want 3: %+v", len(d.Articles), d.Articles)
	}
	a := d.Articles[1]
	if a.Dateline != "本报北京12月31日电" || a.RefDate != "1997-12-31" {
		t.Errorf("dateline %q, ref date %q; want 本报北京12月31日电 and 1997-12-31 (the year before a January paper)", a.Dateline, a.RefDate)
	}
	if d.Articles[2].Headline != "第二篇文章标题" {
		t.Errorf("headline %q", d.Articles[2].Headline)
	}
	var sents []string
	rs := []rune(d.Text)
	for _, s := range d.Sentences {
		if s.Article == 2 {
			sents = append(sents, string(rs[s.Start:s.End]))
		}
	}
	if want := []string{"第二篇文章标题", "正文第一句。", "正文第二句！"}; !reflect.DeepEqual(sents, want) {
		t.Errorf("sentences %q, want %q", sents, want)
	}
	photo := false
	for _, e := range d.Entities {
		if e.Text == "兰红光" && e.Role == "photographer" {
			photo = true
		}
	}
	if !photo {
		t.Errorf("新华社记者兰红光摄: no photographer among %+v", d.Entities)
	}
}

func TestEmptyDocument(t *testing.T) {
	d := doc(t, "", "")
	if len(d.Articles) != 1 || len(d.Sentences) != 0 {
		t.Errorf("empty text: %d articles, %d sentences; want 1 and 0", len(d.Articles), len(d.Sentences))
	}
}

// TestBylineAffiliations: a reporter's employer, written before the next role word, is not
// a reporter; names in a list are.
func TestBylineAffiliations(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"新华社北京1月5日电（中央人民广播电台记者刘振英、新华社记者张宿堂）国务院总理今天会见了外宾。\n", "刘振英,张宿堂"},
		{"本报讯（记者陈俊杰 通讯员郑露 江曙阳）近日，活动在市第三中学开展。\n", "陈俊杰,郑露,江曙阳"},
		{"本报讯（记者王明、李华 通讯员张强）会议在京举行。\n", "王明,李华,张强"},
	} {
		d := doc(t, tc.raw, "1998-01-05")
		var got []string
		for _, a := range d.Articles {
			got = append(got, a.Reporters...)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: reporters %q, want %s", tc.raw, got, tc.want)
		}
	}
}

// TestLongByline: every name of a byline of a thousand names, and of a photo credit, is a
// person whose offsets in the cleaned text give its name (the offsets are counted on from the
// name before; they were counted from the line's start for each, and 400 KB took 10 s).
func TestLongByline(t *testing.T) {
	sur, given := []rune("王李张刘陈杨黄赵周吴"), []rune("明华强军平伟芳娜敏静")
	var names []string
	for i := range 1000 {
		names = append(names, string([]rune{sur[i%10], given[i/10%10], given[i/100%10]}))
	}
	for _, raw := range []string{
		"本报讯（记者" + strings.Join(names, "、") + "）会议在京举行。\n",
		"会议在京举行。\n" + strings.Join(names[:50], " ") + " 摄\n",
	} {
		d := doc(t, raw, "1998-01-05")
		text := []rune(d.Text)
		var got []string
		for _, e := range d.Entities {
			if e.Kind != "person" {
				continue
			}
			if e.Start < 0 || e.End > len(text) || string(text[e.Start:e.End]) != e.Text {
				t.Fatalf("%s at %d-%d: the text there is not the name", e.Text, e.Start, e.End)
			}
			got = append(got, e.Text)
		}
		want := names
		if strings.HasSuffix(raw, "摄\n") {
			want = names[:50]
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%.40s…: %d people, want %d", raw, len(got), len(want))
		}
	}
}

// TestCreditRepeatedName: a name twice in a photo credit is two people, each where it stands
// (both were given the first one's place).
func TestCreditRepeatedName(t *testing.T) {
	d := doc(t, "会议在京举行。\n王明 李华 王明 摄\n", "1998-01-05")
	var starts []int
	for _, e := range d.Entities {
		if e.Kind == "person" {
			starts = append(starts, e.Start)
		}
	}
	text := []rune(d.Text)
	if len(starts) != 3 || !(starts[0] < starts[1] && starts[1] < starts[2]) || string(text[starts[2]:starts[2]+2]) != "王明" {
		t.Errorf("people at %v in %q, want three, in order", starts, d.Text)
	}
}

// TestRuneCounter: code points before byte offsets, asked forwards and backwards.
func TestRuneCounter(t *testing.T) {
	c := runeCounter{s: "ab中文cd𠮷e"}
	for _, tc := range []struct{ at, want int }{{0, 0}, {2, 2}, {5, 3}, {8, 4}, {10, 6}, {2, 2}, {14, 7}, {15, 8}, {15, 8}} {
		if got := c.at(tc.at); got != tc.want {
			t.Errorf("at(%d) = %d, want %d", tc.at, got, tc.want)
		}
	}
}

// TestHeadlineHints: lines a PDF set as headlines start articles and are their whole headlines,
// even without a blank line before them or followed by a byline the patterns do not know.
// (A headline of 40 characters or more is joined to the next line by cleaning's join_lines
// before splitting sees it.)
func TestHeadlineHints(t *testing.T) {
	lines := []string{
		"全市粮食产量创历史新高",
		"本报记者 张三",
		"本报讯今年全市粮食总产量达到250万吨，比去年增长6.5%。",
		"老城区改造项目全面启动今年计划改造小区一百二十个",
		"记者从市住房和城乡建设局获悉，改造项目已于三月全面启动。",
	}
	raw := strings.Join(lines, "\n")
	d := &pipeline.Doc{Raw: raw, PubDate: "2024-01-05", HeadlineStarts: []int{0, len([]rune(strings.Join(lines[:3], "\n") + "\n"))}}
	clean.Stage(d, clean.Options{})
	Articles(d)
	var got []string
	for _, a := range d.Articles {
		got = append(got, a.Headline)
	}
	if want := []string{lines[0], lines[3]}; !reflect.DeepEqual(got, want) {
		t.Errorf("headlines %q, want %q", got, want)
	}
	if d.Articles[0].Byline != "本报记者 张三" || strings.Join(d.Articles[0].Reporters, ",") != "张三" {
		t.Errorf("byline %q, reporters %q; want 本报记者 张三", d.Articles[0].Byline, d.Articles[0].Reporters)
	}
}

// A sentence never holds more than MaxSentence code points: text without sentence punctuation
// is cut after the last comma or space of a long sentence's second half, or else before the
// last figure that begins there, or else where it reaches the bound; the sentences still
// cover the text in order.
func TestMaxSentence(t *testing.T) {
	figures := strings.Repeat("1234567890亿元", 2000) // 24,000 code points, no punctuation
	clause := strings.Repeat("全年实现产值300亿元同比增长百分之五", 60) + "，"
	for _, tc := range []struct {
		name, text string
		cut        rune // the character every cut sentence ends with; 0: anything
	}{
		{"figures without punctuation: cut between two", figures, '元'},
		{"commas", strings.Repeat(clause, 30), '，'},
		{"neither", strings.Repeat("中国经济发展", 2000), 0},
		{"closing marks", "好。" + strings.Repeat("”", 10_000), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &pipeline.Doc{Text: tc.text, Articles: []pipeline.Article{{End: len([]rune(tc.text))}}}
			Sentences(d)
			rs := []rune(tc.text)
			if len(d.Sentences) < len(rs)/MaxSentence {
				t.Fatalf("%d sentences for %d code points", len(d.Sentences), len(rs))
			}
			at := 0
			for i, s := range d.Sentences {
				if s.Start != at || s.End-s.Start > MaxSentence || s.End <= s.Start {
					t.Fatalf("sentence %d is [%d,%d), after %d", i, s.Start, s.End, at)
				}
				if tc.cut != 0 && i+1 < len(d.Sentences) && rs[s.End-1] != tc.cut {
					t.Errorf("sentence %d ends with %q, want %q", i, rs[s.End-1], tc.cut)
				}
				at = s.End
			}
			if at != len(rs) {
				t.Errorf("sentences end at %d of %d", at, len(rs))
			}
		})
	}
}
