package entity

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// The shortcuts in front of Recognizer.words (a character's flags say whether any word starts
// or any suffix ends with it) never hide a word of the files.
func TestWordsFound(t *testing.T) {
	r := recognizer(t)
	if len(r.words) < 10000 {
		t.Fatalf("%d words: the embedded files hold more than 10,000 names, prefixes and cues", len(r.words))
	}
	for s, i := range r.words {
		w := &r.list[i]
		if got := r.w(s); got != w {
			t.Errorf("w(%q) = %+v, want the files' entry %+v", s, *got, *w)
		}
		// listWord answers every question but the names' as w does.
		if got, want := listsOnly(*r.listWord(s)), listsOnly(*w); got != want {
			t.Errorf("listWord(%q) = %+v, want %+v", s, got, want)
		}
		if (w.placeSuffix != "" || w.orgStrong || w.orgWeak) && !r.endsSuffix(s) {
			t.Errorf("%q is a suffix, but endsSuffix says no suffix ends with its last character", s)
		}
		if (w.placeSuffix != "" || w.orgStrong || w.orgWeak) && !r.endsSuffix2(s) && !r.endsSuffix2("北京"+s) {
			t.Errorf("%q is a suffix, but endsSuffix2 says no suffix ends with its last two characters", s)
		}
		if w.placeSuffix == "facility" && utf8.RuneCountInString(s) >= 2 && (!r.endsPair(s, &r.facilityPairs) || !r.facility("北京"+s)) {
			t.Errorf("%q is a facility's suffix, but facility does not find it", s)
		}
	}
	// endsSuffix2 rules out most names (北京, 中国银行): their endings need no lookup.
	ruledOut := 0
	for s := range r.words {
		if !r.endsSuffix2(s) {
			ruledOut++
		}
	}
	if ruledOut < len(r.words)/2 {
		t.Errorf("endsSuffix2 rules out %d of %d words; the suffixes end with few pairs of characters", ruledOut, len(r.words))
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{{"北京大学", true}, {"国务院", false}, {"北京", false}, {"王", true}, {"", true}, {"大学\xff", true}} {
		if got := r.endsSuffix2(tc.s); got != tc.want {
			t.Errorf("endsSuffix2(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text, place, org string
		known, prefix    bool
	}{
		{"北京", "北京市", "", true, true},
		{"北京市", "北京市", "", true, false}, // no longer name of the files starts with it
		{"北", "", "", false, true},
		{"记者", "", "", false, false},
		{"没有这个词", "", "", false, false},
	} {
		w := r.w(tc.text)
		if w.place != tc.place || w.org != tc.org || w.known != tc.known || w.prefix != tc.prefix {
			t.Errorf("w(%q) = %+v, want place %q org %q known %v prefix %v", tc.text, *w, tc.place, tc.org, tc.known, tc.prefix)
		}
	}
	if !r.w("记者").before || !r.listWord("记者").before {
		t.Errorf("w(记者).before = false; person_cues.txt lists it before names")
	}
	for _, tc := range []struct {
		text string
		bits wordBits
	}{
		{"北京", bKnown | bPrefix | bPlace},
		{"记者", bBefore},
		{"公司", bOrgSuffix},
		{"市", bPlaceSuffix | bAdmin | bPrefix},
		{"没有这个词", 0},
	} {
		if got := r.w(tc.text).bits(); got != tc.bits {
			t.Errorf("w(%q).bits() = %013b, want %013b", tc.text, got, tc.bits)
		}
	}
	// single, and index and listWord (which ask it for one character), answer for every
	// character as the maps do for its string.
	n := 0
	for c := rune(0); c < 0x10000; c++ {
		if !oneChar(c) {
			continue
		}
		want, ok := r.words[string(c)]
		if !ok {
			want = -1
		}
		if got := r.single[c]; got.i != want || got.b != r.word(want).bits() {
			t.Fatalf("single[%U] = %d %013b, the map says %d %013b", c, got.i, got.b, want, r.word(want).bits())
		}
		if got := r.index(string(c)); got != want {
			t.Fatalf("index(%q) = %d, the map says %d", string(c), got, want)
		}
		wantListed := &unknown
		if i, ok := r.listed[string(c)]; ok {
			wantListed = &r.list[i]
		}
		if got := r.listWord(string(c)); got != wantListed {
			t.Fatalf("listWord(%q) = %+v, the map says %+v", string(c), *got, *wantListed)
		}
		if want >= 0 {
			n++
		}
	}
	if n < 1000 {
		t.Errorf("%d words of one character; the files' names start with more than 1,000", n)
	}
	// joins holds every two characters side by side in a word.
	for s := range r.words {
		rs := []rune(s)
		for k := 1; k < len(rs); k++ {
			if !r.joins.has(rs[k-1], rs[k]) {
				t.Fatalf("joins lacks %q%q of %q", rs[k-1], rs[k], s)
			}
		}
	}
	if n := len(r.listed); n < 1000 || n > len(r.words)/4 {
		t.Errorf("%d listed words of %d: the lists name about 1,700, the names and their prefixes the rest", n, len(r.words))
	}
	for _, s := range []string{"北京", "北京市", "中国银行", "北"} {
		if r.listWord(s) != &unknown {
			t.Errorf("listWord(%q) = %+v: a name, not a listed word", s, *r.listWord(s))
		}
	}
}

// surnameLen answers from the character table as the string maps did.
func TestSurnameLen(t *testing.T) {
	r := recognizer(t)
	for _, tc := range []struct {
		name string
		want int
	}{
		{"欧阳修", 2},
		{"欧阳", 1}, // a two-character surname needs a given name after it; 欧 alone is one too
		{"王刚", 1},
		{"高峰", -1}, // 高 is also a word
		{"我们", 0},
		{"", 0},
		{"\xff王", 0},
	} {
		if got := r.surnameLen(tc.name); got != tc.want {
			t.Errorf("surnameLen(%q) = %d, want %d", tc.name, got, tc.want)
		}
	}
	// Every surname of the files, with a given name, against the lookups of strings alone.
	for s, i := range r.words {
		if w := r.list[i]; w.surname || w.ambiguous {
			name := s + "明"
			if got, want := r.surnameLen(name), r.surnameLenBytes(name); got != want {
				t.Errorf("surnameLen(%q) = %d, the files' strings say %d", name, got, want)
			}
		}
	}
}

// A document's entities do not depend on what ran before it (Stage keeps no state between
// documents; a pool of buffers, tried and withdrawn, would have had to clear them).
func TestStageReuse(t *testing.T) {
	r := recognizer(t)
	short := "新华社北京1月5日电 国务院总理李鹏今天在人民大会堂会见了日本首相桥本龙太郎。"
	long := strings.Repeat("江苏大学流体机械温岭研究院院长王刚说，石塘镇和湖漫水库都在温岭市。记者赵碧莹报道。\n", 40)
	first := fmt.Sprint(process(t, r, short).Entities)
	if !strings.Contains(first, "李鹏") || !strings.Contains(first, "国务院") {
		t.Fatalf("entities of %q: %s; want 李鹏 and 国务院 among them", short, first)
	}
	for range 3 {
		process(t, r, long)
		if again := fmt.Sprint(process(t, r, short).Entities); again != first {
			t.Fatalf("after a longer document: %s, first time %s", again, first)
		}
	}
}

// listsOnly is a word without what the names say of it.
func listsOnly(w word) word {
	w.place, w.org, w.person, w.known, w.prefix = "", "", "", false, false
	return w
}

// The tables answer as the maps they are built from, for their words and for strings
// beside them: longer, cut (inside a character too), empty, longer than a slot.
func TestTable(t *testing.T) {
	r := recognizer(t)
	for _, c := range []struct {
		m   map[string]int32
		tab *table
	}{{r.words, &r.table}, {r.listed, &r.listedTable}} {
		twos := 0
		check := func(s string) {
			t.Helper()
			want, ok := c.m[s]
			if !ok {
				want = -1
			}
			// The bits of the slot are the word's.
			if got, bits := c.tab.find(s); got != want || bits != r.word(want).bits() {
				t.Fatalf("table.find(%q) = %d %013b, the map says %d %013b", s, got, bits, want, r.word(want).bits())
			}
			// So does findTwo for a string of two characters it takes, and r.find (through
			// findRead) for every string.
			if c1, c2, ok := twoKey(s); ok {
				twos++
				if got, bits := c.tab.findTwo(c1, c2); got != want || bits != r.word(want).bits() {
					t.Fatalf("table.findTwo(%q) = %d %013b, the map says %d %013b", s, got, bits, want, r.word(want).bits())
				}
			}
			if c.tab == &r.table {
				if h := r.find(s, &r.table, &r.pairs, charStartsWord, charWord); h.i != want || h.b != r.word(want).bits() {
					t.Fatalf("find(%q) = %d %013b, the map says %d %013b", s, h.i, h.b, want, r.word(want).bits())
				}
			}
		}
		for s := range c.m {
			check(s)
			check(s + "x")
			check(s + "的")
			check(s[:len(s)-1])
			check(strings.Repeat(s, 3))
		}
		for _, s := range []string{"", "x", "没有这个词", strings.Repeat("长", 20), "\xff"} {
			check(s)
		}
		// Pairs of characters that are no words, and strings that are not two whole
		// characters but read as such (U+FFFD for bytes that are no UTF-8).
		for _, s := range []string{"王\xff", "\xff王", "王\uFFFD", "\uFFFD王", "王\xe7\x8e", "\x00王", "王𠀀", "ab", "中\xe5\x9b", "口口"} {
			check(s)
		}
		if twos < 1000 {
			t.Errorf("%d words of two characters: too few to test findTwo", twos)
		}
		// hashKey spreads the words over the slots: at most half full, a word sits a few
		// slots past its hash's (a weak mix of the bytes of Han text left chains of 40).
		mask := uint64(len(c.tab.slots) - 1)
		total, words := 0, 0
		for i, sl := range c.tab.slots {
			if sl.n == 0 {
				continue
			}
			d := int((uint64(i) - hashKey(string(sl.key[:sl.n]))) & mask)
			if d > 24 {
				t.Errorf("%q sits %d slots past its hash's", sl.key[:sl.n], d)
			}
			total, words = total+d, words+1
		}
		if mean := float64(total) / float64(words); mean > 0.6 {
			t.Errorf("words sit %.2f slots past their hash's on average, want about 0.35", mean)
		}
	}
}

// wIf, wBits, listIf and listBits answer from the bits of the slot that finds a string what
// w and listWord answer from its word: for every word of the files and strings beside them,
// and every bit.
func TestLookupBits(t *testing.T) {
	r := recognizer(t)
	var texts []string
	for s := range r.words {
		texts = append(texts, s, s+"的", s[:len(s)-1], strings.Repeat(s, 3))
	}
	texts = append(texts, oddTexts()...)
	for _, s := range texts {
		w, l := r.w(s), r.listWord(s)
		if got := r.wBits(s); got != w.bits() {
			t.Fatalf("wBits(%q) = %013b, w says %013b", s, got, w.bits())
		}
		if got := r.listBits(s); got != l.bits() {
			t.Fatalf("listBits(%q) = %013b, listWord says %013b", s, got, l.bits())
		}
		for b := wordBits(1); b <= bAdmin; b <<= 1 {
			want, wantListed := w, l
			if w.bits()&b == 0 {
				want = &unknown
			}
			if l.bits()&b == 0 {
				wantListed = &unknown
			}
			if got := r.wIf(s, b); got != want {
				t.Fatalf("wIf(%q, %013b) = %+v, want %+v", s, b, *got, *want)
			}
			if got := r.listIf(s, b); got != wantListed {
				t.Fatalf("listIf(%q, %013b) = %+v, want %+v", s, b, *got, *wantListed)
			}
		}
	}
}
