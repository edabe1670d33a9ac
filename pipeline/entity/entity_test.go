package entity

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/procstat"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules/entities"
)

var (
	defaultOnce sync.Once
	defaultRec  *Recognizer
	defaultErr  error
)

func recognizer(t testing.TB) *Recognizer {
	t.Helper()
	defaultOnce.Do(func() { defaultRec, defaultErr = Default() })
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultRec
}

// process runs a text through the stages before this one, as the command does (clean,
// split, segment), then through Stage.
func process(t testing.TB, r *Recognizer, text string) *pipeline.Doc {
	t.Helper()
	d := segmented(text)
	Stage(d, r)
	return d
}

// segmented runs a text through the stages before this one.
func segmented(text string) *pipeline.Doc {
	d := &pipeline.Doc{ID: "test", Raw: text, PubDate: "1998-01-10", Format: "text", Pages: 1}
	clean.Stage(d, clean.Options{})
	split.Articles(d)
	split.Sentences(d)
	c := pipeline.Cursor{Text: d.Text}
	for i := range d.Sentences {
		s := &d.Sentences[i]
		start := c.At(s.Start)
		s.Tokens = segment.Tokens(d.Text, start, c.At(s.End), s.Start)
	}
	return d
}

// found lists a document's entities as kind:text, leaving out the bylines split found.
func listed(d *pipeline.Doc) []string {
	var out []string
	for _, e := range d.Entities {
		if !strings.HasPrefix(e.Rule, "byline.") {
			out = append(out, e.Kind+":"+e.Text)
		}
	}
	return out
}

// Real sentences: People's Daily pages of January 1998 (before the test days), the MSRA NER
// test set and the THUCNews sample in ../shared/corpus.
func TestSentences(t *testing.T) {
	r := recognizer(t)
	for _, tc := range []struct {
		source, text string
		want         []string
	}{
		{"pd1998 19980101-01-001", "中共中央总书记、国家主席江泽民",
			[]string{"organization:中共中央", "person:江泽民"}},
		{"pd1998 19980101-01-004", "陪同考察企业并看望慰问职工的国务院有关部门和北京市负责人还有：史大桢、高严、石秀诗、阳安江等。",
			[]string{"organization:国务院", "location:北京市", "person:史大桢", "person:高严", "person:石秀诗", "person:阳安江"}},
		{"pd1998 19980105-06-012", "新华社耶路撒冷1月4日电（记者支林飞、戚德良）以色列外长利维4日宣布，他决定辞职，以抗议现政府提出的1998年度财政预算方案。",
			[]string{"organization:新华社", "location:耶路撒冷", "location:以色列", "person:利维"}},
		{"pd1998 19980102-01-008", "新华社北京1月1日电（江涛、曹斌）昨晚，第一次来到首都北京的50多名香港大学生，和北京航空航天大学的同学们在《歌唱祖国》的歌声中一起迎接1998年的到来。",
			[]string{"organization:新华社", "location:北京", "person:江涛", "person:曹斌", "location:北京", "location:香港", "organization:北京航空航天大学"}},
		{"pd1998 1998-01-02 p2", "省长田凤山来到大庆市萨尔图区看望下岗职工，他给残疾人郭景文送去慰问金后，又来到于洪洋的家。",
			[]string{"person:田凤山", "location:大庆市", "location:萨尔图区", "person:郭景文"}},
		{"pd1998 1998-01-03 p1", "政府分管这项工作的王鸿举副市长认为，重庆交通环境加大力度坚持整治，关键是从自身做起。",
			[]string{"person:王鸿举", "location:重庆"}},
		{"pd1998 1998-01-11 p2", "钱其琛结束访问摩洛哥时指出中非合作前景美好",
			[]string{"person:钱其琛", "location:摩洛哥", "location:中非"}},
		{"pd1998 1998-01-12 p2", "新任冶金部副部长吴建常，也出席了情况通报会。",
			[]string{"organization:冶金部", "person:吴建常"}},
		{"pd1998 1998-01-03 p3", "９月在意大利发生的一系列地震摧毁了阿西西城。",
			[]string{"location:意大利"}},
		{"pd1998 1998-01-0x", "●财税金融版刊登周正庆、刘仲藜、戴相龙、项怀诚新年寄语",
			[]string{"person:周正庆", "person:刘仲藜", "person:戴相龙", "person:项怀诚"}},
		{"pd1998 1998-01-0x", "据新华社香港１月３日电香港特区政府昨天公布了香港特区基本法推广督导委员会成员名单",
			[]string{"organization:新华社", "location:香港", "organization:香港特区政府", "location:香港特区"}},
		{"testdata/pages/2024-03-15_p01.txt", "本报讯（记者王明 通讯员李华）3月14日，市统计局发布数据，今年1-2月，全市规模以上工业企业完成工业总产值412.3亿元。",
			[]string{"organization:市统计局"}},
		{"msra test", "中共中央政治局常委、全国政协主席李瑞环在会前会见了全体代表并讲话。",
			[]string{"organization:中共中央政治局", "organization:全国政协", "person:李瑞环"}},
		{"msra test", "中国民主建国会与中国共产党有着长期合作的光荣历史，具有爱国革命的优良传统。",
			[]string{"organization:中国民主建国会", "organization:中国共产党"}},
		{"msra test", "东南亚经济的发展，由于当前金融市场发生风波，遇到了暂时困难。",
			[]string{"location:东南亚"}},
		{"msra test", "月碎了，只能造就出一批又一批、一代又一代的补月能手罢了！", nil},
		{"seed page", "互联网风口下，一批温岭新乡贤顺势而谋，河南新乡市发展迅速。",
			[]string{"location:温岭", "location:河南", "location:新乡市"}}, // 新乡贤 is no 新乡
		{"seed page", "通过安装海事卫星来实现东海上的直播场景。",
			[]string{"location:东海"}}, // gse: 东/ns 海上/s
		{"thucnews val", "里弗斯否认大鲨鱼将告别赛季：他最快第四场复出新浪体育讯北京时间4月21日，就在近日有美国媒体传出消息，凯尔特人中锋沙奎尔-奥尼尔伤病恢复进展缓慢，除非“奇迹出现”，否则大鲨鱼将不会在本赛季季后赛中复出。",
			[]string{"person:里弗斯", "location:北京", "location:美国", "person:沙奎尔-奥尼尔"}},
	} {
		d := process(t, r, tc.text)
		if got := listed(d); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %s\n got %q\nwant %q", tc.source, tc.text, got, tc.want)
		}
	}
}

// A credit line of names without a cue: the names are cut where each starts with a surname.
func TestCreditLines(t *testing.T) {
	r := recognizer(t)
	for _, tc := range []struct{ text, want string }{
		// pd1998 19980101-05-001, 19980101-02-013, 19980104-01-005, 19980102-04-001
		{"迎接新年的北京\n（赵亚光摄）", "location:北京 person:赵亚光"},
		{"全市职工欢度元旦。\n（杜中武孙传刚）", "person:杜中武 person:孙传刚"},
		{"本报记者在各地采访。\n潘跃王萍", "person:潘跃 person:王萍"},
		{"5、我们的队伍向太阳（中国画）（苗再新李翔）", "person:苗再新 person:李翔"},
	} {
		d := process(t, r, tc.text)
		if got := strings.Join(listed(d), " "); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// A range that begins inside an article (extract's groups of a long document) keeps the
// places its sentences have in the article: a line of one name is a credit only under the
// headline or at the article's end, not because the range begins just before it.
func TestStageRangeArticlePlace(t *testing.T) {
	r := recognizer(t)
	body := "今天上午，市里召开了关于经济工作的会议，与会代表讨论了明年的发展计划。\n"
	text := strings.Repeat(body, 6) + "李瑛\n" + strings.Repeat(body, 6)
	credit := func(d *pipeline.Doc) []string {
		var out []string
		for _, e := range d.Entities {
			if e.Rule == "person.credit" {
				out = append(out, e.Text)
			}
		}
		return out
	}
	whole := process(t, r, text)
	d := segmented(text)
	rs := []rune(d.Text)
	k := slices.IndexFunc(d.Sentences, func(s pipeline.Sentence) bool { return string(rs[s.Start:s.End]) == "李瑛" })
	if k < 2 || d.Sentences[k].Article != d.Sentences[k-1].Article {
		t.Fatalf("the name's line is sentence %d, not inside an article", k)
	}
	StageRange(d, r, Range{Lo: k - 1, Hi: len(d.Sentences)}) // the name's line second in the range
	if got, want := credit(d), credit(whole); !slices.Equal(got, want) {
		t.Errorf("credits from the range %v, from the whole document %v", got, want)
	}
	// At the end of its article the same line is a credit, in a range as in the document.
	text = strings.Repeat(body, 6) + "李瑛"
	whole = process(t, r, text)
	d = segmented(text)
	StageRange(d, r, Range{Lo: len(d.Sentences) - 2, Hi: len(d.Sentences)})
	if got, want := credit(d), credit(whole); !slices.Equal(got, want) || len(want) != 1 {
		t.Errorf("last line: credits from the range %v, from the whole document %v, want one", got, want)
	}
}

// The seed page: its companies, institutes and places come out whole, with the full name of
// a short form, and the bylines split found are kept as they were.
func TestSeedPage(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d := process(t, recognizer(t), string(raw))
	got := map[string]pipeline.Entity{}
	for _, e := range d.Entities {
		if _, ok := got[e.Text]; !ok {
			got[e.Text] = e
		}
	}
	for _, w := range []struct{ kind, text, normalized string }{
		{Organization, "利欧股份", "利欧股份"},
		{Organization, "新界泵业", "新界泵业"},
		{Organization, "大元泵业", "大元泵业"},
		{Organization, "东音泵业", "东音泵业"}, // cleaning mends the OCR's 东苜泵业
		{Organization, "温岭博哥文化传媒有限公司", "温岭博哥文化传媒有限公司"},
		{Organization, "博哥文化", "温岭博哥文化传媒有限公司"},
		{Organization, "江苏大学流体机械温岭研究院", "江苏大学流体机械温岭研究院"},
		{Organization, "清华大学温岭研究院", "清华大学温岭研究院"},
		{Organization, "工业和信息化部", "工业和信息化部"},
		{Organization, "市经信局", "市经信局"},
		{Organization, "市妇联", "市妇联"},
		{Organization, "市第三中学", "市第三中学"},
		{Location, "石塘镇", "石塘镇"},
		{Location, "湖漫水库", "湖漫水库"},
		{Location, "城南镇", "城南镇"},
		{Location, "横溪村", "横溪村"},
		{Location, "温岭", "温岭市"},
		{Location, "浙江省", "浙江省"},
	} {
		e, ok := got[w.text]
		if !ok {
			t.Errorf("%s %s not found", w.kind, w.text)
			continue
		}
		if e.Kind != w.kind || e.Normalized != w.normalized {
			t.Errorf("%s: kind %s normalized %q, want %s %q", w.text, e.Kind, e.Normalized, w.kind, w.normalized)
		}
	}
	for _, w := range []struct{ name, role string }{
		{"赵碧莹", "reporter"}, {"刘振清", "photographer"}, {"叶琳", "reporter"}, {"陈慧", "correspondent"},
		{"姚天", "reporter"}, {"郭瑾伊", "correspondent"}, {"陈俊杰", "reporter"}, {"郑露", "correspondent"},
		{"江曙阳", "correspondent"},
	} {
		e := got[w.name]
		if e.Kind != Person || e.Role != w.role || !strings.HasPrefix(e.Rule, "byline.") || e.Normalized != w.name {
			t.Errorf("byline %s: %+v, want a %s from split", w.name, e, w.role)
		}
	}
	checkSpans(t, d)
}

// checkSpans checks what every entity must satisfy: its text is the document's at its
// offsets, it overlaps no other, it names its rule and sentence.
func checkSpans(t *testing.T, d *pipeline.Doc) {
	t.Helper()
	rs := []rune(d.Text)
	taken := make([]string, len(rs))
	for _, e := range d.Entities {
		if e.Start < 0 || e.End > len(rs) || string(rs[e.Start:e.End]) != e.Text {
			t.Errorf("%+v: text is not the document's at its offsets", e)
			continue
		}
		for i := e.Start; i < e.End; i++ {
			if taken[i] != "" {
				t.Errorf("%s (%s) overlaps %s", e.Text, e.Rule, taken[i])
				break
			}
			taken[i] = e.Text
		}
		if e.Rule == "" || e.Normalized == "" || e.Kind != Person && e.Kind != Location && e.Kind != Organization {
			t.Errorf("%+v: no rule, normalized or known kind", e)
		}
		if !strings.HasPrefix(e.Rule, "byline.") && (e.Sentence < 0 || e.Sentence >= len(d.Sentences) ||
			e.Start < d.Sentences[e.Sentence].Start || e.End > d.Sentences[e.Sentence].End) {
			t.Errorf("%+v: not inside its sentence", e)
		}
	}
}

// A later data source extends the defaults; bad files are reported with file and line.
func TestNew(t *testing.T) {
	extra := fstest.MapFS{
		"divisions.txt":     {Data: []byte("# a village the defaults lack\n新名村|新名\n")},
		"organizations.txt": {Data: []byte("星河泵业股份有限公司|星河泵业\n")},
	}
	r, err := New(entities.FS(), extra)
	if err != nil {
		t.Fatal(err)
	}
	d := process(t, r, "星河泵业在新名举行年会。")
	want := []string{"organization:星河泵业", "location:新名"}
	if got := listed(d); !reflect.DeepEqual(got, want) {
		t.Errorf("extended: got %q, want %q", got, want)
	}
	if d.Entities[0].Normalized != "星河泵业股份有限公司" || d.Entities[1].Normalized != "新名村" {
		t.Errorf("normalized: %q %q", d.Entities[0].Normalized, d.Entities[1].Normalized)
	}

	for _, tc := range []struct {
		name, data, want string
	}{
		{"places.txt", "北京", "places.txt: not an entity data file"},
		{"person_cues.txt", "[before]\n记者\n[nicknames]\n老王", "person_cues.txt:3: unknown section [nicknames]"},
		{"org_suffixes.txt", "公司", "org_suffixes.txt:1: entries before the first section"},
		{"world.txt", "美国||美利坚", "world.txt:1: \"美国||美利坚\": an empty name between |"},
		{"surnames.txt", "\n\n王|汪", "surnames.txt:3: \"王|汪\": this file takes single words"},
	} {
		_, err := New(fstest.MapFS{tc.name: {Data: []byte(tc.data)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want %q", tc.name, tc.data, err, tc.want)
		}
	}
}

// Stage reads the recognizer only, so documents may be processed at once; the result does
// not depend on it.
func TestConcurrentDeterministic(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "1998-01-0[1-2]_p0[1-2].txt"))
	if len(pages) == 0 {
		t.Skip("../shared/corpus is not there")
	}
	r := recognizer(t)
	texts := make([]string, len(pages))
	want := make([]string, len(pages))
	for i, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[i] = string(b)
		d := process(t, r, texts[i])
		checkSpans(t, d)
		want[i] = fmt.Sprint(d.Entities)
	}
	got := make([]string, len(pages))
	var wg sync.WaitGroup
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = fmt.Sprint(process(t, r, texts[i]).Entities)
		}()
	}
	wg.Wait()
	for i := range pages {
		if got[i] != want[i] {
			t.Errorf("%s: entities differ when documents run at once", pages[i])
		}
	}
}

// A failed document is left alone.
func TestFailed(t *testing.T) {
	d := &pipeline.Doc{Status: pipeline.StatusFailed, Entities: []pipeline.Entity{{Kind: Person, Text: "赵碧莹"}}}
	Stage(d, recognizer(t))
	if len(d.Entities) != 1 || d.Entities[0].Normalized != "" {
		t.Errorf("a failed document was changed: %+v", d.Entities)
	}
}

func BenchmarkStage(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "1998-01-05_p01.txt"))
	if err != nil {
		b.Skip("../shared/corpus is not there")
	}
	r := recognizer(b)
	d := process(b, r, string(raw))
	bylines := 0
	for _, e := range d.Entities {
		if strings.HasPrefix(e.Rule, "byline.") {
			bylines++
		}
	}
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	cpu0 := procstat.CPU()
	for range b.N {
		d.Entities = d.Entities[:bylines]
		Stage(d, r)
	}
	// The process's CPU time (user+sys): on a loaded machine, ns/op counts the time the
	// benchmark waited for a processor too.
	if cpu := procstat.CPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkDefault(b *testing.B) {
	for range b.N {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStageCorpus runs Stage over the whole corpus of issue 9 (every People's Daily page
// and the news archive, one document a file), segmented beforehand, on as many workers as
// -cpu says, each taking the next document as the command's workers do. B/op and allocs/op
// are the entity stage's share of a run's allocation; cpu-ns/op is the CPU time of the
// process (user+sys, where the system reports it), which with -cpu 1,2 shows what a second
// worker costs on top of the first.
func BenchmarkStageCorpus(b *testing.B) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	var files []string
	for _, dir := range []string{filepath.Join(corpus, "pd1998", "pages"), filepath.Join(corpus, "news")} {
		fs, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		files = append(files, fs...)
	}
	if len(files) == 0 {
		b.Skip("../shared/corpus is not there")
	}
	r := recognizer(b)
	var docs []*pipeline.Doc
	var bylines []int
	size := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		size += len(raw)
		d := segmented(string(raw))
		docs = append(docs, d)
		bylines = append(bylines, len(d.Entities))
	}
	workers := runtime.GOMAXPROCS(0)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	runtime.GC()
	b.ResetTimer()
	cpu0 := procstat.CPU()
	for range b.N {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for k := int(next.Add(1)) - 1; k < len(docs); k = int(next.Add(1)) - 1 {
					d := docs[k]
					d.Entities = d.Entities[:bylines[k]]
					Stage(d, r)
				}
			})
		}
		wg.Wait()
	}
	if cpu := procstat.CPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// A scratch handed from one document to the next carries nothing of the first into the
// second: a page gets the entities after another page (and after a document too large to
// pool) that it gets from a fresh scratch.
func TestScratchReuse(t *testing.T) {
	r := recognizer(t)
	var texts []string
	for _, name := range []string{"000_db8b3177b1dab977.txt", "2024-03-15_p01.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", name))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	// A document of more tokens than a scratch keeps (pooledToks).
	texts = append(texts, strings.Repeat("新华社北京1月5日电（记者张宿堂）国务院总理李鹏今天在温岭会见了利欧股份董事长。\n", pooledToks/20+1))
	docs := make([]*pipeline.Doc, len(texts))
	bylines := make([]int, len(texts))
	stage := func(i int) string {
		d := docs[i]
		d.Entities = d.Entities[:bylines[i]]
		Stage(d, r)
		return fmt.Sprint(d.Entities)
	}
	fresh := make([]string, len(texts))
	for i, text := range texts {
		docs[i] = segmented(text)
		bylines[i] = len(docs[i].Entities)
		scratchPool = sync.Pool{New: func() any { return new(scratch) }} // nothing to reuse
		fresh[i] = stage(i)
	}
	big := len(texts) - 1
	if n := strings.Count(fresh[big], "李鹏"); n <= pooledToks/20 {
		t.Fatalf("%d entities 李鹏 in the large document", n)
	}
	for _, order := range [][]int{{0, 1, 0, 1}, {1, 0, 0}, {0, big, 1, big, 0}} {
		for _, i := range order {
			if got := stage(i); got != fresh[i] {
				t.Errorf("document %d after %v: entities differ from those of a fresh scratch", i, order)
			}
		}
	}
}

// acceptListed's two ways (every pair of candidates; candidates looked up by where they start
// and end) accept the same candidates, on random sentences of names, 、 and other words, with
// candidates that overlap and share starts and ends.
func TestAcceptListedIndexed(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	words := []string{"、", "、", "王刚", "和", "李", "等"}
	for round := range 300 {
		toks := make([]tok, 20+rnd.IntN(200))
		for i := range toks {
			w := words[rnd.IntN(len(words))]
			toks[i] = tok{first: firstRune(w), To: len32(w)} // what listSep reads
		}
		var pcs []personCand
		for range 1 + rnd.IntN(150) {
			i := rnd.IntN(len(toks) - 1)
			j := i + 1 + rnd.IntN(min(3, len(toks)-i-1)+1)
			pcs = append(pcs, personCand{i: i, j: min(j, len(toks)), ok: rnd.IntN(4) == 0})
		}
		scan, indexed := slices.Clone(pcs), slices.Clone(pcs)
		acceptListedScan(scan, toks)
		acceptListedIndexed(indexed, toks)
		if !slices.Equal(scan, indexed) {
			t.Fatalf("round %d: the two ways differ:\nscan    %v\nindexed %v", round, scan, indexed)
		}
	}
}

// resolve takes the candidates in the order a stable sort of them gives (longest, highest
// rank, first, first offered), on random candidates that tie in every key but the last.
func TestResolveOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	s := &sentence{Sentence: &pipeline.Sentence{}}
	var order []candKey
	for round := range 500 {
		cs := make([]cand, rnd.IntN(40))
		for i := range cs {
			start := rnd.IntN(30)
			cs[i] = cand{start: start, end: start + 1 + rnd.IntN(4), rank: []int{rankDict, rankPerson, rankPosNS}[rnd.IntN(3)], text: fmt.Sprint(i)}
		}
		want := slices.Clone(cs)
		slices.SortStableFunc(want, func(a, b cand) int {
			if la, lb := a.end-a.start, b.end-b.start; la != lb {
				return cmp.Compare(lb, la)
			}
			if a.rank != b.rank {
				return cmp.Compare(b.rank, a.rank)
			}
			return cmp.Compare(a.start, b.start)
		})
		taken := &spans{taken: make([]bool, 40)}
		var kept []string
		for _, c := range want {
			if !taken.overlaps(c.start, c.end) {
				taken.add(c.start, c.end)
				kept = append(kept, c.text)
			}
		}
		var got []found
		got, order = resolve(s, cs, &spans{taken: make([]bool, 40)}, nil, order)
		var gotKept []string
		for _, f := range got {
			gotKept = append(gotKept, f.text)
		}
		if !slices.Equal(gotKept, kept) {
			t.Fatalf("round %d: resolve kept %v, a stable sort %v", round, gotKept, kept)
		}
	}
}
