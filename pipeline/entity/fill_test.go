package entity

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/newsfacts/newsfacts/pipeline"
)

// lastRune answers as a forward reading of the string, whatever the bytes.
func TestLastRune(t *testing.T) {
	for _, s := range oddTexts() {
		want := rune(-1)
		for _, c := range s {
			want = c
		}
		if got := lastRune(s); got != want {
			t.Errorf("lastRune(%q) = %U, a forward reading ends with %U", s, got, want)
		}
	}
}

// oddTexts are token texts that are not all well-formed Han: empty, Latin, U+FFFD itself,
// bytes that are no UTF-8 before, inside and after characters.
func oddTexts() []string {
	return []string{"", "a", "ab", "王", "王刚", "欧阳修", "·", "\uFFFD", "王\uFFFD", "\uFFFD王",
		"\xff", "王\xff", "\xff王", "\xe7\x8e", "王\xe7\x8e", "\xe7\x8e\x8b\x8b", "\x8b", "\xe7王",
		"\xef\xbf", "\xef\xbf\xbd", "a\xed\xa0\x80", "\xed\xa0\x80", "\xe0\x80\x80", "的", "帕", "列希",
		"大", "市", "公司", "中国银行", "𠀀", "王𠀀"}
}

// fill computes, in one reading of each token, what the rules used to ask of its text
// again and again; every field agrees with the function it stands for.
func TestFillAgrees(t *testing.T) {
	r := recognizer(t)
	var texts []string
	if raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt")); err == nil {
		d := process(t, r, string(raw))
		for _, s := range d.Sentences {
			for _, tk := range s.Tokens {
				texts = append(texts, tk.Word(d.Text))
			}
		}
	} else {
		t.Fatal(err)
	}
	texts = append(texts, oddTexts()...)
	for c := range strings.SplitSeq(functionChars+abbreviations+placePrefixes, "") {
		texts = append(texts, c)
	}
	texts = append(texts, "·", "・", "•", "‧", ".", "-", "－", "··", ".a", "（", "(", "（（", "(a", "）", "、", "、、", "、a", "大", "小", "大小")
	toks := make([]pipeline.Token, len(texts))
	from, cp := 0, 0 // the words one after the other make the text
	for i, x := range texts {
		n := utf8.RuneCountInString(x)
		toks[i] = pipeline.Token{Start: int32(cp), End: int32(cp + n), From: int32(from), To: int32(from + len(x))}
		from, cp = from+len(x), cp+n
	}
	s := new(scratch).sentences([]pipeline.Sentence{{Tokens: toks}})[0]
	s.fill(r, strings.Join(texts, ""))
	invalid := false
	for i, x := range texts {
		k := s.toks[i]
		invalid = invalid || !utf8.ValidString(x)
		han := x != ""
		for _, c := range x {
			han = han && (pipeline.IsHan(c) || c == '·')
		}
		if int(k.n()) != utf8.RuneCountInString(x) || k.han() != han || k.first != firstRune(x) || k.last != lastRuneForward(x) ||
			int(k.sl) != r.surnameLen(x) || k.translit() != r.transliterated(x) || r.word(k.wi) != r.w(x) || k.wb != r.w(x).bits() {
			t.Errorf("token %q: n %d han %v first %U last %U sl %d translit %v bits %b; its text says %d %v %U %U %d %v %b",
				x, k.n(), k.han(), k.first, k.last, k.sl, k.translit(), k.wb,
				utf8.RuneCountInString(x), han, firstRune(x), lastRuneForward(x), r.surnameLen(x), r.transliterated(x), r.w(x).bits())
		}
		if got, want := isFunctionChar(&k), han && k.n() == 1 && strings.Contains(functionChars, x); got != want {
			t.Errorf("isFunctionChar(%q) = %v, want %v", x, got, want)
		}
		if got, want := listSep(&k), x == "、"; got != want {
			t.Errorf("listSep(%q) = %v, want %v", x, got, want)
		}
		if got, want := s.word(&k), x; got != want {
			t.Errorf("token %d: word %q, want %q", i, got, want)
		}
		// What placeChar and lastChar ask of a Han token of one character, from its first.
		if han && k.n() == 1 {
			if got, want := k.first == '大' || k.first == '小', x == "大" || x == "小"; got != want {
				t.Errorf("token %q: 大 or 小 by its character %v, by its text %v", x, got, want)
			}
			if got, want := inSet(k.first, setStrictFunction), strings.Contains(strictFunction, x); got != want {
				t.Errorf("token %q: a strict function character by its character %v, by its text %v", x, got, want)
			}
		}
		// The questions asked of one character from the token's fields, not its text.
		if got, want := k.n() == 1 && isDotRune(k.first), isDot(x); got != want {
			t.Errorf("token %q: a dot by its character %v, by its text %v", x, got, want)
		}
		if got, want := k.n() == 1 && (k.first == '（' || k.first == '('), x == "（" || x == "("; got != want {
			t.Errorf("token %q: a bracket by its character %v, by its text %v", x, got, want)
		}
	}
	if s.invalid != invalid {
		t.Errorf("sentence.invalid = %v, want %v", s.invalid, invalid)
	}
}

func lastRuneForward(s string) rune {
	last := rune(-1)
	for _, c := range s {
		last = c
	}
	return last
}

// inSet answers as strings.ContainsRune on the set's string, for every character.
func TestInSet(t *testing.T) {
	for f, set := range map[charSet]string{
		setFunction: functionChars, setPlacePrefix: placePrefixes, setAdmin: adminChars,
		setDeterminer: determiners, setNoOrgStart: noOrgStart,
	} {
		n := 0
		for c := rune(-1); c <= 0x10FFFF+1; c++ {
			if got, want := inSet(c, f), strings.ContainsRune(set, c); got != want {
				t.Fatalf("inSet(%U, %q) = %v, want %v", c, set, got, want)
			}
			if inSet(c, f) {
				n++
			}
		}
		if n != utf8.RuneCountInString(set) {
			t.Errorf("%d characters in set %q, want %d", n, set, utf8.RuneCountInString(set))
		}
	}
}

// lines counts characters and finds line breaks as a reading of the whole text does, also
// beside bytes that are no UTF-8.
func TestLines(t *testing.T) {
	texts := []string{"", "\n", "\n\n", "a\nb", "王\n刚\n", "\xe7\x8e\n\x8b", "\xe7\n", "\n\xff\n", "新华社北京1月5日电\n国务院总理李鹏\n\n记者"}
	for _, s := range oddTexts() {
		texts = append(texts, s+"\n"+s, "\n"+s, s+"\n")
	}
	for _, s := range texts {
		n := 0
		var want breaks
		for _, c := range s {
			if c == '\n' {
				want = append(want, n)
			}
			n++
		}
		gotN, got := lines(s, nil)
		if gotN != n || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("lines(%q) = %d %v, want %d %v", s, gotN, got, n, want)
		}
	}
}

// firstRunes and lastRunes cut as the plain readings of the characters they replaced do,
// whatever the bytes and whatever n.
func TestRunes(t *testing.T) {
	// The readings they replaced.
	first := func(s string, n int) string {
		i := 0
		for k := range s {
			if i == n {
				return s[:k]
			}
			i++
		}
		return s
	}
	last := func(s string, n int) string {
		c := utf8.RuneCountInString(s)
		if n >= c {
			return s
		}
		return s[len(first(s, c-n)):]
	}
	long := []string{strings.Join(oddTexts(), ""), strings.Repeat("新华社北京1月5日电·", 7), strings.Repeat("ab王", 9)}
	for _, s := range append(append(oddTexts(), long...), "王\xff刚", "\xff王刚", "王刚\xff", "王\xe7\x8e刚", "abc王", "王abc") {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
		for n := -2; n <= utf8.RuneCountInString(s)+1; n++ {
			if got, want := firstRunes(s, n), first(s, n); got != want {
				t.Errorf("firstRunes(%q, %d) = %q, want %q", s, n, got, want)
			}
			if got, want := lastRunes(s, n), last(s, n); got != want {
				t.Errorf("lastRunes(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

// A sentence's text from token a to token b is the document's text between them, across
// spaces (none: they part the tokens) and beside bytes that are no UTF-8; a token's length
// (n, its code points in the document) is that of its word.
func TestTokensText(t *testing.T) {
	r := recognizer(t)
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		string(raw),
		"记者李良 报道：IBM 公司 的 John Smith 说，中国 银行 今年 盈利。\n王 刚  刘\t德华 在 北京。",
		"王\xff刚说，李良 在 上海。\n新华社北京电",
	} {
		d := process(t, r, text)
		sents := new(scratch).sentences(d.Sentences)
		spans := 0
		for k := range sents {
			s := &sents[k]
			s.fill(r, d.Text)
			for a := range s.toks {
				if got, want := s.word(&s.toks[a]), s.Tokens[a].Word(d.Text); got != want {
					t.Errorf("sentence %d, token %d: %q, its word %q", k, a, got, want)
				}
				if got, want := int(s.toks[a].n()), utf8.RuneCountInString(s.word(&s.toks[a])); got != want {
					t.Errorf("sentence %d, token %d %q: %d code points, its word %d", k, a, s.word(&s.toks[a]), got, want)
				}
				if got, want := s.toks[a].Pos(), s.Tokens[a].Pos(); got != want {
					t.Errorf("sentence %d, token %d: tag %q, the token's %q", k, a, got, want)
				}
				for b := a + 1; b <= len(s.toks); b++ {
					want := d.Text[s.toks[a].From:s.toks[b-1].To]
					if s.toks[b-1].gaps != s.toks[a].gaps {
						want = ""
					} else {
						spans++
					}
					if got := s.text(a, b); got != want {
						t.Errorf("sentence %d, tokens [%d, %d): %q, the document's text %q", k, a, b, got, want)
					}
				}
			}
		}
		if spans == 0 {
			t.Errorf("%.20q: no spans of tokens", text)
		}
	}
}

// A tok is 40 bytes and holds no pointer (its comment says why it matters).
func TestTokSize(t *testing.T) {
	if got := unsafe.Sizeof(tok{}); got != 40 {
		t.Errorf("a tok takes %d bytes, want 40", got)
	}
	typ := reflect.TypeFor[tok]()
	for i := range typ.NumField() {
		switch f := typ.Field(i); f.Type.Kind() {
		case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		default:
			t.Errorf("tok.%s is a %s: a tok holds numbers alone", f.Name, f.Type)
		}
	}
}

// linesByTokens finds the sentences that are whole lines as the text's line breaks (lines)
// say, from the bytes beside their tokens, or declines when a sentence's tokens do not reach
// its edges.
func TestLinesByTokens(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lineCount, other, declined := 0, 0, 0
	for _, text := range []string{
		string(raw),
		"记者李良报道：IBM公司说，中国银行今年盈利。\n王刚刘德华在北京。\n\n新华社北京电\n（赵亚光摄）",
		"王\xff刚说，李良在上海。\n新华社\xe7\x8e北京电\n\xff\n李鹏",
		"  王刚说。  \n李良在上海。\n",
	} {
		d := segmented(text)
		sents := new(scratch).sentences(d.Sentences)
		if !linesByTokens(d.Text, sents) {
			declined++
			continue
		}
		n, newlines := lines(d.Text, nil)
		for k := range sents {
			s := &sents[k]
			want := (s.Start == 0 || newlines.has(s.Start-1)) && (s.End >= n || newlines.has(s.End))
			if s.place.line != want {
				t.Errorf("%.20q, sentence %d %q: a whole line %v, the text's lines say %v", text, k, s.Tokens[0].Word(d.Text), s.place.line, want)
			}
			if want {
				lineCount++
			} else {
				other++
			}
		}
	}
	if lineCount < 10 || other < 10 || declined > 1 {
		t.Errorf("%d sentences that are lines, %d that are not, %d texts declined: too few to test", lineCount, other, declined)
	}
	// A sentence whose tokens do not reach its end (a space after them).
	s := []sentence{{Sentence: &pipeline.Sentence{Start: 0, End: 3, Tokens: []pipeline.Token{{Start: 0, End: 2, From: 0, To: 6}}}}}
	if linesByTokens("王刚 ", s) {
		t.Error("linesByTokens read a sentence whose last token does not end it")
	}
}
