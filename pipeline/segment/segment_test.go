package segment

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ego/gse"

	"github.com/newsfacts/newsfacts/pipeline"
)

// TestMain gives the tests a cache folder of their own, empty at the start: the tests pass
// with or without a cache, and never touch the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "segment-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(CacheDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// reset forgets everything loaded and every researcher's word, as in a new process.
func reset() {
	mu.Lock()
	defer mu.Unlock()
	cur.Store(nil)
	userWords, userAdded = nil, map[string]bool{}
	userKeyList.Store(nil)
	cacheRead = false
}

// fullSeg is the whole dictionary without researcher's words, loaded once for all the tests.
var fullSeg *gse.Segmenter

func full(t testing.TB) *gse.Segmenter {
	if fullSeg == nil {
		s := new(gse.Segmenter)
		if err := load(s); err != nil {
			t.Fatal(err)
		}
		fullSeg = s
	}
	return fullSeg
}

// TestLoadAsGse: the dictionary Load builds (tokens pre-allocated) segments like the one gse's
// own LoadDictEmbed builds, and holds the same tokens.
func TestLoadAsGse(t *testing.T) {
	seg := full(t)
	var ref gse.Segmenter
	ref.SkipLog = true
	if err := ref.LoadDictEmbed("zh_s"); err != nil {
		t.Fatal(err)
	}
	if got, want := seg.Dict.NumTokens(), ref.Dict.NumTokens(); got != want || got == 0 {
		t.Fatalf("%d tokens, gse loads %d", got, want)
	}
	if seg.Dict.TotalFreq() != ref.Dict.TotalFreq() || seg.Dict.MaxTokenLen() != ref.Dict.MaxTokenLen() {
		t.Errorf("total frequency %v, longest token %d; gse: %v, %d", seg.Dict.TotalFreq(), seg.Dict.MaxTokenLen(), ref.Dict.TotalFreq(), ref.Dict.MaxTokenLen())
	}
	for _, text := range []string{
		"新华社北京1月5日电 今年全国粮食产量达到4.9亿吨，比去年增长3.5%。",
		"中共中央政治局常委、国务院总理李鹏在人民大会堂会见了来访的客人。",
		"泵业产业规模超300亿元，2023年1月至9月产值增长。",
	} {
		if diff := sameSegments(seg, &ref, text); diff != "" {
			t.Error(diff)
		}
	}
}

// sameSegments compares the words, offsets and parts of speech of text under a and b; "" when
// they are the same.
func sameSegments(a, b *gse.Segmenter, text string) string {
	got, want := a.Segment([]byte(text)), b.Segment([]byte(text))
	if len(got) != len(want) {
		return fmt.Sprintf("%q: %d words, want %d: %s | %s", text, len(got), len(want), gse.ToString(got), gse.ToString(want))
	}
	for i := range got {
		g, w := got[i].Token(), want[i].Token()
		if got[i].Start() != want[i].Start() || got[i].End() != want[i].End() || g.Text() != w.Text() || g.Pos() != w.Pos() {
			return fmt.Sprintf("%q: word %d %q/%s, want %q/%s", text, i, g.Text(), g.Pos(), w.Text(), w.Pos())
		}
	}
	return ""
}

// testSentences returns up to n sentences of ../shared/corpus (every page of PD1998 and the
// news file, sampled evenly) and of testdata/pages.
func testSentences(t *testing.T, n int) []string {
	var files []string
	for _, g := range []string{
		filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"),
		filepath.Join("..", "..", "..", "shared", "corpus", "news", "*"),
		filepath.Join("..", "..", "testdata", "pages", "*"),
	} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	var all []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		text := strings.NewReplacer("。", "。\n", "！", "！\n", "？", "？\n").Replace(string(raw))
		for _, s := range strings.Split(text, "\n") {
			if s = strings.TrimSpace(s); s != "" {
				all = append(all, s)
			}
		}
	}
	if len(all) < 100 {
		t.Skipf("only %d sentences: ../shared/corpus is not there", len(all))
	}
	step := max(1, len(all)/n)
	var out []string
	for i := 0; i < len(all) && len(out) < n; i += step {
		out = append(out, all[i])
	}
	return out
}

// TestFilteredAsFull: a dictionary filtered for a text segments it word for word, offset for
// offset and part of speech for part of speech as the whole dictionary does, and IsWord
// answers from the cache as gse's Find does on the whole dictionary.
func TestFilteredAsFull(t *testing.T) {
	reset()
	defer reset()
	seg := full(t)
	writeCache(seg)
	d := readCache()
	if d == nil {
		t.Fatalf("no dictionary cache at %q after writeCache", CachePath())
	}
	if d.n != seg.Dict.NumTokens() || d.total != seg.Dict.TotalFreq() {
		t.Fatalf("cache: %d words, total %v; gse: %d, %v", d.n, d.total, seg.Dict.NumTokens(), seg.Dict.TotalFreq())
	}
	sentences := append(testSentences(t, 3000),
		"ABC公司与IBM签约，iPhone销量增长。", "Ｗｏｒｄ和ａｂｃ，ＧＤＰ增长5.2%", "卡拉OK厅和T恤衫")
	const batch = 40
	compared, words := 0, 0
	for b := 0; b < len(sentences); b += batch {
		part := sentences[b:min(b+batch, len(sentences))]
		runes := new(runeSet).with(strings.Join(part, ""))
		fs, ok := filtered(d, runes, d.n)
		if !ok {
			t.Fatalf("sentences %d–%d: no filtered dictionary", b, b+len(part))
		}
		if fs.Dict.TotalFreq() != seg.Dict.TotalFreq() {
			t.Fatalf("filtered total frequency %v, whole %v", fs.Dict.TotalFreq(), seg.Dict.TotalFreq())
		}
		words += fs.Dict.NumTokens()
		for _, s := range part {
			if diff := sameSegments(fs, seg, s); diff != "" {
				t.Fatal(diff)
			}
			compared++
		}
	}
	t.Logf("%d sentences, filtered dictionaries of %d words on average", compared, words*batch/compared)

	// IsWord: every substring of 1 to 4 characters of the first 300 sentences.
	asked, yes := 0, 0
	for _, s := range sentences[:min(300, len(sentences))] {
		rs := []rune(s)
		for i := range rs {
			for j := i + 1; j <= min(i+4, len(rs)); j++ {
				w := string(rs[i:j])
				_, _, want := seg.Find(w)
				if got := d.hasPrefix(w); got != want {
					t.Fatalf("%q: cache says %v, gse %v", w, got, want)
				}
				asked++
				if want {
					yes++
				}
			}
		}
	}
	if yes == 0 || yes == asked {
		t.Errorf("IsWord: %d of %d strings are words: the comparison proves nothing", yes, asked)
	}
}

// TestLoadFor: a command's text gets a partial dictionary, more text widens it, and past the
// limits the whole dictionary is loaded; the tokens are those of the whole dictionary
// throughout, researcher's words included.
func TestLoadFor(t *testing.T) {
	reset()
	defer reset()
	writeCache(full(t))
	words := []Word{
		{Text: "青石湾渔业联社", Freq: DefaultFreq, Pos: "nt"}, // new
		{Text: "上市", Freq: 5, Pos: "zz"},                // in gse's dictionary: gse keeps its own
		{Text: "鲸落港", Freq: 3000, Pos: "ns"},            // characters not in the texts below
	}
	if err := AddWords(words); err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"青石湾渔业联社成立，温岭已拥有上市企业5家。",
		"今年全国粮食产量达到4.9亿吨，比去年增长3.5%。",
		"中共中央政治局常委、国务院总理李鹏在人民大会堂会见了来访的客人。",
	}
	LoadFor(texts[0])
	st := cur.Load()
	if st == nil || st.full || st.seg == nil || st.builds != 1 {
		t.Fatalf("after LoadFor: %+v, want a partial dictionary", st)
	}
	var partial [][]string
	for i, text := range texts {
		partial = append(partial, tokenStrings(Tokens(text, 0)))
		if st := cur.Load(); st.full || st.builds != i+1 {
			t.Fatalf("text %d: full %v, %d partial loads; want %d", i, st.full, st.builds, i+1)
		}
	}
	if got := partial[0][0]; got != "青石湾渔业联社/nt" {
		t.Errorf("researcher's word in a partial dictionary: %v", partial[0])
	}
	for _, w := range []string{"鲸落港", "鲸落", "青石湾"} { // researcher's words, and their beginnings
		if !IsWord(w) {
			t.Errorf("IsWord(%q) = false with a partial dictionary", w)
		}
	}
	for _, w := range []string{"人民大会堂", "人民大会", "上市", "上市企", "鲸鲸", "温岭泵业", "ibm", "IBM", string(dummyRune), ""} {
		if _, _, want := full(t).Find(w); IsWord(w) != want {
			t.Errorf("IsWord(%q) = %v with a partial dictionary, gse says %v", w, !want, want)
		}
	}
	for i := 0; cur.Load().builds < maxBuilds; i++ {
		LoadFor(fmt.Sprint("第", i, "个新字：", string(rune('甲'+i))))
	}
	LoadFor("再来一个新字：乙丙丁戊")
	if !cur.Load().full {
		t.Fatalf("%d partial loads and more text: the whole dictionary is not loaded", maxBuilds)
	}
	for i, text := range texts {
		if got := tokenStrings(Tokens(text, 0)); strings.Join(got, " ") != strings.Join(partial[i], " ") {
			t.Errorf("%q:\npartial %v\nwhole   %v", text, partial[i], got)
		}
	}
	if pos := tokenStrings(Tokens("鲸落港", 0)); strings.Join(pos, " ") != "鲸落港/ns" {
		t.Errorf("researcher's word in the whole dictionary: %v", pos)
	}
}

func tokenStrings(toks []pipeline.Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text+"/"+t.Pos)
	}
	return out
}

// TestNoCache: with a cache folder that cannot be written, everything works from the whole
// dictionary and no cache is read.
func TestNoCache(t *testing.T) {
	reset()
	defer reset()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(CacheDirEnv, filepath.Join(file, "cache")) // a folder inside a file
	writeCache(full(t))
	if d := readCache(); d != nil {
		t.Fatalf("a cache was read from %s", CachePath())
	}
	t.Setenv(CacheDirEnv, "off")
	if CachePath() != "" || readCache() != nil {
		t.Errorf("%s=off: cache path %q", CacheDirEnv, CachePath())
	}
}

// TestCacheRejected: a cache that is cut short, unsorted or of another version is not read.
func TestCacheRejected(t *testing.T) {
	reset()
	defer reset()
	t.Setenv(CacheDirEnv, t.TempDir())
	writeCache(full(t))
	good, err := os.ReadFile(CachePath())
	if err != nil {
		t.Fatal(err)
	}
	if readCache() == nil {
		t.Fatal("the cache just written is not read")
	}
	lines := strings.SplitAfter(string(good), "\n")
	for name, bad := range map[string]string{
		"cut":      string(good[:len(good)-3]),
		"unsorted": lines[0] + lines[2] + lines[1] + strings.Join(lines[3:], ""),
		"version":  strings.Replace(string(good), cacheFormat+"\t", "0\t", 1),
		"count":    strings.Join(lines[:len(lines)-2], ""),
	} {
		if err := os.WriteFile(CachePath(), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if readCache() != nil {
			t.Errorf("%s: the cache is read", name)
		}
	}
}

// TestPartialLimits: a text holding every common character keeps too many words for a partial
// dictionary, and a text holding the dummy word's character gets the whole dictionary.
func TestPartialLimits(t *testing.T) {
	reset()
	defer reset()
	writeCache(full(t))
	d := readCache()
	var all strings.Builder
	for r := rune(0x4e00); r <= 0x9fa5; r++ {
		all.WriteRune(r)
	}
	if _, ok := filtered(d, new(runeSet).with(all.String()), maxKept); ok {
		t.Errorf("a partial dictionary for every common character")
	}
	LoadFor("私用区的字" + string(dummyRune))
	if st := cur.Load(); st == nil || !st.full {
		t.Errorf("a text with the dummy's character: not the whole dictionary")
	}
}

// TestConcurrentPartial: goroutines segmenting texts with new characters at once each get the
// whole dictionary's tokens while the partial dictionary is widened under them.
func TestConcurrentPartial(t *testing.T) {
	reset()
	defer reset()
	seg := full(t)
	writeCache(seg)
	texts := []string{
		"温岭已拥有上市企业5家。", "今年全国粮食产量达到4.9亿吨。", "国务院总理李鹏会见了客人。",
		"泵业产业规模超300亿元。", "直播近9000场次，销售额增长。", "新华社北京1月5日电",
	}
	want := make([]string, len(texts))
	for i, text := range texts {
		want[i] = gse.ToString(seg.Segment([]byte(text)))
	}
	errs := make(chan string, len(texts)*4)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			for i := range texts {
				text := texts[(i+g)%len(texts)]
				var got []string
				for _, tok := range Tokens(text, 0) {
					got = append(got, tok.Text+"/"+tok.Pos)
				}
				if w := want[(i+g)%len(texts)]; strings.Join(got, " ") != strings.TrimSpace(w) {
					errs <- fmt.Sprintf("%q: %v, want %s", text, got, w)
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if st := cur.Load(); st.full {
		t.Errorf("six sentences loaded the whole dictionary")
	}
}
