package segment

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

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
	dictName = simplified
	if x, release := takeAhead(dictName); x != nil {
		release()
	}
	ahead.mu.Lock()
	ahead.ready = nil
	ahead.mu.Unlock()
}

// full is gse's own segmenter with the whole dictionary, loaded once for all the tests.
func full(t testing.TB) *gse.Segmenter {
	t.Helper()
	return Gse()
}

// TestLoadAsGse: the dictionary load builds (tokens pre-allocated) segments like the one gse's
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

// tricky texts: capitals, full-width forms, digits inside words, other scripts, characters
// beyond the Basic Multilingual Plane, white space, invalid UTF-8.
var tricky = []string{
	"ABC公司与IBM签约，iPhone销量增长。", "Ｗｏｒｄ和ａｂｃ，ＧＤＰ增长5.2%", "卡拉OK厅和T恤衫",
	"3D打印和4S店，U盘、Q版、B超、X光", "Ελλάδα和Россия的café，naïve résumé", "𠮷野家和😀表情",
	"  两个 空格\t和\u3000全角空格 ", "\xff\xfe坏的字节\xe4\xb8", "A", "。", "1998年1月1日",
	"ＡＢＣ１２３ａｂｃ", "Covid-19疫情", "iPhone15ProMax手机", "中华人民共和国国务院总理",
}

// gseSpans is gse's segmentation of text in the form lexicon.segment gives.
func gseSpans(seg *gse.Segmenter, text string) string {
	var b strings.Builder
	for _, s := range seg.Segment([]byte(text)) {
		fmt.Fprintf(&b, "%d-%d/%s ", s.Start(), s.End(), s.Token().Pos())
	}
	return b.String()
}

func lexSpans(x *lexicon, text string) string {
	var b strings.Builder
	for _, s := range x.segment(text, new(scratch)) {
		fmt.Fprintf(&b, "%d-%d/%s ", s.start, s.end, s.pos)
	}
	return b.String()
}

// TestLexiconAsGse: the lexicon cuts every sentence of the corpus (about 90,000) word for
// word, offset for offset and part of speech for part of speech as gse does, and IsWord answers
// as gse's Find.
func TestLexiconAsGse(t *testing.T) {
	reset()
	defer reset()
	seg := full(t)
	x, err := fromGse()
	if err != nil {
		t.Fatal(err)
	}
	if x.n() != seg.Dict.NumTokens() || x.total != seg.Dict.TotalFreq() {
		t.Fatalf("lexicon: %d words, total %v; gse: %d, %v", x.n(), x.total, seg.Dict.NumTokens(), seg.Dict.TotalFreq())
	}
	sentences := append(testSentences(t, 1<<30), tricky...)
	words := 0
	for _, s := range sentences {
		got, want := lexSpans(x, s), gseSpans(seg, s)
		if got != want {
			t.Fatalf("%q:\nlexicon %s\ngse     %s", s, got, want)
		}
		words += strings.Count(want, " ")
	}
	t.Logf("%d sentences, %d words: the same", len(sentences), words)

	// IsWord: every substring of 1 to 4 characters of the first 300 sentences.
	asked, yes := 0, 0
	for _, s := range append(sentences[:min(300, len(sentences))], tricky...) {
		rs := []rune(s)
		for i := range rs {
			for j := i + 1; j <= min(i+4, len(rs)); j++ {
				w := string(rs[i:j])
				_, _, want := seg.Find(w)
				if got := x.hasPrefix(w); got != want {
					t.Fatalf("%q: lexicon says %v, gse %v", w, got, want)
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

// TestAddWordsAsGse: with a researcher's words, the lexicon cuts as gse does with the same
// words added (a new word, a word gse has, one in capitals, one twice).
func TestAddWordsAsGse(t *testing.T) {
	reset()
	defer reset()
	words := []Word{
		{Text: "青石湾渔业联社", Freq: DefaultFreq, Pos: "nt"}, // new
		{Text: "上市", Freq: 5, Pos: "zz"},                // in gse's dictionary: gse keeps its own
		{Text: "鲸落港", Freq: 3000, Pos: "ns"},
		{Text: "ABC联社", Freq: 700, Pos: "nt"},
		{Text: "abc联社", Freq: 9, Pos: "n"}, // the same key: the first stays
	}
	ref := new(gse.Segmenter)
	if err := load(ref, simplified); err != nil {
		t.Fatal(err)
	}
	for _, w := range words {
		if err := ref.AddToken(w.Text, w.Freq, w.Pos); err != nil {
			t.Fatal(err)
		}
	}
	ref.CalcToken()
	if err := AddWords(words[:2]); err != nil { // before the load
		t.Fatal(err)
	}
	Load()
	if err := AddWords(words[2:]); err != nil { // after it
		t.Fatal(err)
	}
	x := cur.Load()
	if x.total != ref.Dict.TotalFreq() || x.n() != ref.Dict.NumTokens() {
		t.Fatalf("lexicon: %d words, total %v; gse: %d, %v", x.n(), x.total, ref.Dict.NumTokens(), ref.Dict.TotalFreq())
	}
	texts := append([]string{
		"青石湾渔业联社成立，温岭已拥有上市企业5家。", "鲸落港的ABC联社和abc联社", "上市公司鲸落港",
	}, testSentences(t, 2000)...)
	for _, s := range texts {
		if got, want := lexSpans(x, s), gseSpans(ref, s); got != want {
			t.Fatalf("%q:\nlexicon %s\ngse     %s", s, got, want)
		}
	}
	if got := strings.Join(tokenStrings("青石湾渔业联社成立"), " "); got != "青石湾渔业联社/nt 成立/v" {
		t.Errorf("a researcher's word: %s", got)
	}
	for _, w := range []string{"鲸落港", "鲸落", "青石湾", "abc联"} {
		if !IsWord(w) {
			t.Errorf("IsWord(%q) = false", w)
		}
	}
}

// tokensOf segments the whole of text.
func tokensOf(text string) []pipeline.Token { return Tokens(text, 0, len(text), 0) }

// tokenStrings segments the whole of text and returns its words as word/part of speech.
func tokenStrings(text string) []string {
	var out []string
	for _, t := range tokensOf(text) {
		out = append(out, t.Word(text)+"/"+t.Pos())
	}
	return out
}

// TestTokens: offsets are bytes and code points of the whole text (code points from
// runeStart), only text[start:end] is segmented, white space is dropped, the words keep their
// capitals.
func TestTokens(t *testing.T) {
	reset()
	defer reset()
	text := "前文IBM在 北京后来"
	end := len(text) - len("后来")
	toks := Tokens(text, len("前文"), end, 2)
	type word struct {
		Start, End, From, To int32
		Word, Pos            string
	}
	var got []word
	for _, k := range toks {
		got = append(got, word{k.Start, k.End, k.From, k.To, k.Word(text), k.Pos()})
	}
	want := []word{{2, 5, 6, 9, "IBM", "x"}, {5, 6, 9, 12, "在", "p"}, {7, 9, 13, 19, "北京", "ns"}}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if toks := Tokens("", 0, 0, 0); len(toks) != 0 {
		t.Errorf("empty text: %v", toks)
	}
	if toks := Tokens(text, 6, 6, 2); len(toks) != 0 {
		t.Errorf("empty piece: %v", toks)
	}
}

// TestCache: the cache written from gse's dictionary reads back as the same lexicon, a second
// process reads it instead of loading gse, and a cache that is cut short, unsorted, of another
// version or with a wrong count is not read.
func TestCache(t *testing.T) {
	reset()
	defer reset()
	t.Setenv(CacheDirEnv, t.TempDir())
	// Caches of earlier formats are removed when the new one is written; another gse's stays.
	stem := strings.TrimSuffix(cachePath(), "-f"+cacheFormat+".bin")
	otherGse := filepath.Join(filepath.Dir(stem), "gse-zh_s-github.com_go-ego_gse-v0.1.0-f2.bin")
	older := []string{stem + "-f1.tsv", stem + "-f2.bin", stem + "-f3.bin", stem + "-f4.bin", otherGse}
	for _, f := range older {
		if err := os.WriteFile(f, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	x, err := fromGse()
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range older {
		if _, err := os.Stat(f); (err == nil) != (i == len(older)-1) {
			t.Errorf("%s: exists %v after the cache was written", filepath.Base(f), err == nil)
		}
	}
	good, err := os.ReadFile(cachePath())
	if err != nil {
		t.Fatalf("no cache after a load from gse: %v", err)
	}
	y := cachedLexicon()
	if y == nil {
		t.Fatal("the cache just written is not read")
	}
	if y.total != x.total || y.keys != x.keys || fmt.Sprint(y.entries()) != fmt.Sprint(x.entries()) ||
		!slices.Equal(y.dist, x.dist) || !slices.Equal(y.table.slots, x.table.slots) || y.table.shift != x.table.shift {
		t.Fatalf("the cache reads back %d words, total %v; written %d, %v", y.n(), y.total, x.n(), x.total)
	}
	if got := tokensOf("温岭已拥有上市企业5家。"); len(got) != 8 || cur.Load().keys != x.keys {
		t.Errorf("Tokens after the cache: %v", got)
	}
	// The arrays decoded rather than shared: from bytes that are not aligned, and as on a
	// big-endian machine.
	unaligned := make([]byte, len(good)+1)
	copy(unaligned[1:], good)
	for name, raw := range map[string][]byte{"unaligned": unaligned[1:], "big-endian": good} {
		nativeLittleEndian = name != "big-endian"
		z, err := decodeCache(raw)
		nativeLittleEndian = true
		if err != nil || z.keys != x.keys || !slices.Equal(z.off, x.off) || !slices.Equal(z.freq, x.freq) || !slices.Equal(z.dist, x.dist) ||
			!slices.Equal(z.pos, x.pos) || !slices.Equal(z.posNames, x.posNames) || !slices.Equal(z.table.slots, x.table.slots) {
			t.Errorf("%s: the cache decodes to another lexicon (%v)", name, err)
		}
	}
	header, _, _ := strings.Cut(string(good), "\n")
	flipped := append([]byte(nil), good...)
	flipped[len(header)+1000] ^= 1
	// Arrays that do not fit together, under a right checksum.
	withSlots := func(change func([]slot)) []byte {
		y := *x
		y.table.slots = slices.Clone(x.table.slots)
		change(y.table.slots)
		return encodeCache(&y)
	}
	firstWord := slices.IndexFunc(x.table.slots, func(s slot) bool { return s.r >= 0 && s.pos != noWord })
	firstEmpty := slices.IndexFunc(x.table.slots, func(s slot) bool { return s.r < 0 })
	if firstWord < 0 || firstEmpty < 0 {
		t.Fatalf("a table without a word (%d) or without an empty slot (%d)", firstWord, firstEmpty)
	}
	unsorted := *x
	unsorted.off = append([]int32(nil), x.off...)
	unsorted.off[1], unsorted.off[2] = unsorted.off[2], unsorted.off[1]
	// A frequency newLexicon would refuse, under a right checksum.
	nanFreq := *x
	nanFreq.freq = append([]float64(nil), x.freq...)
	nanFreq.freq[5] = math.NaN()
	zeroTotal := *x
	zeroTotal.total = 0
	// A word that ends past the keys, the last offset right (check read it before it tested
	// the offset, found by FuzzDecodeCache).
	pastKeys := *x
	pastKeys.off = slices.Clone(x.off)
	pastKeys.off[len(pastKeys.off)-2] = int32(len(x.keys) + 10)
	// The node of a word, found as a walk finds it.
	nodeOf := func(w int) int32 {
		node := x.table.walk(rootNode, x.key(w))
		if node < 0 {
			t.Fatalf("word %d %q is not in the table", w, x.key(w))
		}
		return node
	}
	// A word of two characters or more that checkSample walks (it walks every n/512th), the
	// first in the root array: its first character, its last, and the node before its last.
	w := 0
	for utf8.RuneCountInString(x.key(w)) < 2 || x.key(w)[0] < 0x80 {
		w += max(1, x.n()/512)
	}
	word := x.key(w)
	firstChar, _ := utf8.DecodeRuneInString(word)
	lastChar, size := utf8.DecodeLastRuneInString(word)
	lastParent := x.table.walk(rootNode, word[:len(word)-size])
	if lastParent < 0 || firstChar >= rootChars {
		t.Fatalf("word %q has no parent node in the table, or begins beyond the root array", word)
	}
	sampled := map[rune]bool{}
	for i := 0; i < x.n(); i += max(1, x.n()/512) {
		for _, w := range []int{i, x.n() - 1} {
			r, _ := utf8.DecodeRuneInString(x.key(w))
			sampled[r] = true
		}
	}
	unsampled := slices.IndexFunc(x.table.root, func(node int32) bool { return node != noNode })
	for unsampled >= 0 && sampled[rune(unsampled)] {
		next := slices.IndexFunc(x.table.root[unsampled+1:], func(node int32) bool { return node != noNode })
		if next < 0 {
			unsampled = -1
			break
		}
		unsampled += 1 + next
	}
	if unsampled < 0 {
		t.Fatal("every character of the root array begins a sampled word")
	}
	withTable := func(change func(*table)) []byte {
		y := *x
		y.table.slots = slices.Clone(x.table.slots)
		y.table.root = slices.Clone(x.table.root)
		y.table.edges = slices.Clone(x.table.edges)
		change(&y.table)
		return encodeCache(&y)
	}
	for name, bad := range map[string][]byte{
		"cut":            good[:len(good)-3],
		"version":        []byte(strings.Replace(string(good), "\t"+cacheFormat+"\t", "\t0\t", 1)),
		"count":          []byte(strings.Replace(string(good), fmt.Sprintf("\t%d\t", x.n()), fmt.Sprintf("\t%d\t", x.n()-1), 1)),
		"flipped":        flipped,
		"part of speech": withSlots(func(s []slot) { s[firstWord].pos = uint16(len(x.posNames)) }),
		"parent":         withSlots(func(s []slot) { s[firstWord].parent = int32(len(s)) }),
		"full table": withSlots(func(s []slot) {
			for i := range s {
				if s[i].r < 0 {
					s[i] = s[firstWord]
				}
			}
		}),
		// The shortcuts of the table (table.go), damaged on that word's path.
		"children's bits":  withTable(func(t *table) { t.slots[lastParent].kids = 0 }),
		"root array":       withTable(func(t *table) { t.root[firstChar] = noNode }),
		"root array range": withTable(func(t *table) { t.root[firstChar] = int32(len(t.slots)) }),
		// A character that begins no word checkSample walks, sent to another character's
		// node: only check's test of the slot refuses it.
		"root array slot": withTable(func(t *table) { t.root[unsampled] = t.root[firstChar] }),
		"edge filter": withTable(func(t *table) {
			w, _ := x.table.edgeBit(lastParent, lastChar)
			t.edges[w] = 0
		}),
		"edge filter size":            withTable(func(t *table) { t.edges = t.edges[:len(t.edges)-1] }),
		"last word's weight":          withSlots(func(s []slot) { s[nodeOf(x.n()-1)].dist++ }),
		"first word's part of speech": withSlots(func(s []slot) { s[nodeOf(0)].pos = x.pos[0] + 1 }),
		"unsorted":                    encodeCache(&unsorted),
		"nan freq":                    encodeCache(&nanFreq),
		"total 0":                     encodeCache(&zeroTotal),
		"word offset past the keys":   encodeCache(&pastKeys),
		"empty":                       nil,
	} {
		if err := os.WriteFile(cachePath(), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if cachedLexicon() != nil {
			t.Errorf("%s: the cache is read", name)
		}
		// A damaged file is removed, so that the load from gse writes it again.
		if _, err := os.Stat(cachePath()); name != "empty" && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: the refused cache file is still there (%v)", name, err)
		}
	}
}

// TestPrefetch: the first load takes the cache Prefetch read, with the researcher's words added
// since; a prefetch of another dictionary is not taken; a second Prefetch, or one after the
// load, reads nothing.
func TestPrefetch(t *testing.T) {
	reset()
	defer reset()
	t.Setenv(CacheDirEnv, t.TempDir())
	x, err := fromGse() // writes the cache
	if err != nil {
		t.Fatal(err)
	}
	text := "青石湾渔业联社成立"
	for _, words := range [][]Word{nil, {{Text: "青石湾渔业联社", Freq: DefaultFreq, Pos: "nt"}}} {
		reset()
		Prefetch()
		ahead.mu.Lock()
		ready := ahead.ready
		ahead.mu.Unlock()
		if ready == nil {
			t.Fatal("Prefetch started no read")
		}
		Prefetch() // a second call while the first reads: nothing more
		ahead.mu.Lock()
		again := ahead.ready
		ahead.mu.Unlock()
		if again != ready {
			t.Error("a second Prefetch started another read")
		}
		if err := AddWords(words); err != nil {
			t.Fatal(err)
		}
		<-ready
		ahead.mu.Lock()
		read := ahead.x
		ahead.mu.Unlock()
		if read == nil || read.n() != x.n() || read.keys != x.keys {
			t.Fatalf("the prefetched cache: %v", read)
		}
		Load()
		ahead.mu.Lock()
		left := ahead.x
		ahead.mu.Unlock()
		if left != nil {
			t.Error("the load did not take the prefetched cache")
		}
		want := read
		if words != nil {
			want = cur.Load() // a copy with the word
		}
		if cur.Load() != want || (words == nil) != (cur.Load().n() == x.n()) {
			t.Errorf("words %v: the lexicon in use has %d words, the cache %d", words, cur.Load().n(), x.n())
		}
		first := strings.Join(tokenStrings(text), " ")
		if wantFirst := "青石湾渔业联社/nt 成立/v"; (words != nil) != (first == wantFirst) {
			t.Errorf("words %v: %s", words, first)
		}
		Prefetch() // loaded: nothing to read
		ahead.mu.Lock()
		if ahead.ready != ready {
			t.Error("Prefetch read the cache again after the load")
		}
		ahead.mu.Unlock()
	}

	// A prefetch of the simplified dictionary is not taken for another one, and its memory is
	// freed.
	reset()
	Prefetch()
	if y, _ := takeAhead(both); y != nil {
		t.Error("the simplified dictionary's cache was taken for the traditional one")
	}
	ahead.mu.Lock()
	if ahead.x != nil {
		t.Error("the cache of the other dictionary is kept")
	}
	ahead.mu.Unlock()
}

// cachedLexicon is readCache's lexicon; a test keeps its memory for the rest of the process.
func cachedLexicon() *lexicon {
	x, _ := readCache()
	return x
}

// TestNoCache: with a cache folder that cannot be written, everything works from gse's
// dictionary and no cache is read; "off" turns the cache off.
func TestNoCache(t *testing.T) {
	reset()
	defer reset()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(CacheDirEnv, filepath.Join(file, "cache")) // a folder inside a file
	if got := tokenStrings("北京"); fmt.Sprint(got) != "[北京/ns]" {
		t.Errorf("without a cache: %v", got)
	}
	if x := cachedLexicon(); x != nil {
		t.Fatalf("a cache was read from %s", cachePath())
	}
	t.Setenv(CacheDirEnv, "off")
	if cachePath() != "" || cachedLexicon() != nil {
		t.Errorf("%s=off: cache path %q", CacheDirEnv, cachePath())
	}
}

// TestConcurrentLoad: goroutines segmenting at once, before anything is loaded, each get gse's
// words.
func TestConcurrentLoad(t *testing.T) {
	reset()
	defer reset()
	seg := full(t)
	texts := []string{
		"温岭已拥有上市企业5家。", "今年全国粮食产量达到4.9亿吨。", "国务院总理李鹏会见了客人。",
		"泵业产业规模超300亿元。", "直播近9000场次，销售额增长。", "新华社北京1月5日电",
	}
	want := make([]string, len(texts))
	for i, text := range texts {
		want[i] = strings.TrimSpace(gse.ToString(seg.Segment([]byte(text))))
	}
	errs := make(chan string, len(texts)*4)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range texts {
				k := (i + g) % len(texts)
				if got := strings.Join(tokenStrings(texts[k]), " "); got != want[k] {
					errs <- fmt.Sprintf("%q: %v, want %s", texts[k], got, want[k])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
