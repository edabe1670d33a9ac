package clean

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// compat folds CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) and Kangxi and
// supplementary radicals (U+2E80–U+2FDF) to the unified ideographs they stand for (⼈ → 人),
// leaving everything else alone: NFKC over the whole text would also fold the full-width
// punctuation Chinese prose uses.
func compat(t *text, log *editLog, _ *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	for p := compatLeads.next(s, 0); p < len(s); p = compatLeads.next(s, p) {
		r, size := runeAt(s, p)
		if r >= 0x2E80 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F {
			f := []rune(norm.NFKC.String(string(r)))
			if len(f) == 1 && pipeline.IsHan(f[0]) && f[0] != r {
				w.replace(p, p+size, count.at(p), string(f[0]))
			}
		}
		p += size
	}
	w.finish()
}

// compatLeads are the first bytes of U+2E80–U+2FDF (E2), U+F900–U+FAFF (EF) and
// U+2F800–U+2FA1F (F0).
var compatLeads = leadSet(false, 0xE2, 0xEF, 0xF0)

// ocrDigits mends letters OCR reads for digits inside a number: l and I for 1, O and o for 0
// (全镇共有党员2l6名 → 216名, 3O.5亿元 → 30.5亿元). A letter is mended only with a digit on one
// side and a digit or decimal point on the other.
func ocrDigits(t *text, log *editLog, _ *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	// Every letter and the characters its mending looks at are ASCII, so the bytes around it
	// are the characters around it: a byte of a longer character is neither digit nor letter.
	// mended holds the last two letters mended: they count as the digits they became.
	mended := [2]int{-1, -1}
	at := func(q int) byte {
		if q == mended[0] || q == mended[1] {
			return ocrDigit(s[q])
		}
		return s[q]
	}
	num := func(c byte) bool { return c >= '0' && c <= '9' }
	for p := 0; p < len(s); p++ {
		p = ocrLeads.next(s, p)
		if p >= len(s) {
			break
		}
		if p == 0 || p+1 >= len(s) {
			continue
		}
		prev, next := at(p-1), s[p+1]
		if num(prev) && (num(next) || next == '.') || num(next) && (num(prev) || prev == '.') {
			// Not inside a Latin word: the letters around must not be letters.
			if p >= 2 && isASCIILetter(at(p-2)) {
				continue
			}
			w.replace(p, p+1, count.at(p), asciiChars[ocrDigit(s[p]):][:1])
			mended[0], mended[1] = mended[1], p
		}
	}
	w.finish()
}

var ocrLeads = leadSet(false, 'l', 'I', 'O', 'o')

// ocrDigit is the digit OCR misread as the letter c.
func ocrDigit(c byte) byte {
	if c == 'l' || c == 'I' {
		return '1'
	}
	return '0'
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var (
	// Continuation markers: （下转第三版） （上接第1版） 转第2版.
	continuationRe = regexp.MustCompile(`[（(]?\s*(?:下转|上接|转|接)第\s*[0-9一二三四五六七八九十]+\s*版\s*[）)]?`)
	// A line that is only a page number: 3 · - 3 - · 第3版 · 第三版.
	// It is tried line by line (anchored), which fails at the first character of a body line
	// instead of stepping through the whole page.
	pageNumberRe = regexp.MustCompile(`^[ \t　]*(?:[-—–]\s*[0-9]{1,3}\s*[-—–]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[0-9]{1,3})[ \t　]*$`)
)

// debris removes layout debris: continuation markers (the article keeps where it continues,
// from the edit log) and lines that are only a page number.
func debris(t *text, log *editLog, _ *Options) {
	if mayContinue(t.s) {
		if locs := continuationRe.FindAllStringIndex(t.s, -1); len(locs) > 0 {
			removeLocs(t, log, locs)
		}
	}
	var locs [][]int
	s := t.s
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		if maybePageNumber(s[start:end]) && pageNumberRe.MatchString(s[start:end]) {
			locs = append(locs, []int{start, end})
		}
		start = end + 1
	}
	removeLocs(t, log, locs)
}

// mayContinue reports whether s holds 转第 or 接第, as every continuation marker does (most
// pages have neither): one search for 第 instead of one for each.
func mayContinue(s string) bool {
	for p := 0; ; p += len("第") {
		i := strings.Index(s[p:], "第")
		if i < 0 {
			return false
		}
		p += i
		if strings.HasSuffix(s[:p], "转") || strings.HasSuffix(s[:p], "接") {
			return true
		}
	}
}

// maybePageNumber is false for a line pageNumberRe cannot match: one that does not begin, after
// blanks, with a dash, 第 or a digit, or does not end, before blanks, with a dash, 版 or a digit.
func maybePageNumber(line string) bool {
	line = strings.Trim(line, " \t　")
	if line == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(line)
	last, _ := utf8.DecodeLastRuneInString(line)
	dash := func(r rune) bool { return r == '-' || r == '—' || r == '–' }
	return (dash(first) || first == '第' || first >= '0' && first <= '9') &&
		(dash(last) || last == '版' || last >= '0' && last <= '9')
}

// removeLocs deletes the byte ranges locs of t.s, logging each.
func removeLocs(t *text, log *editLog, locs [][]int) {
	if len(locs) == 0 {
		return
	}
	w := rewrite{t: t, log: log}
	count := runes{s: t.s}
	for _, loc := range locs {
		if loc[1] > loc[0] {
			w.remove(loc[0], loc[1], count.at(loc[0]), count.at(loc[1]))
		}
	}
	w.finish()
}

// spaced is a character that letter-spaced text puts spaces around: a Han character or
// Chinese punctuation (交 易 金 額 。 倘 若).
func spaced(r rune) bool {
	if pipeline.IsHan(r) {
		return true
	}
	switch r {
	case '，', '。', '、', '；', '：', '！', '？', '（', '）', '「', '」', '『', '』', '《', '》', '“', '”':
		return true
	}
	return false
}

// hanSpaces removes the spaces OCR and justified PDF text put between single Han characters
// (本 集 團 現 金 → 本集團現金). Only runs of three or more single characters are letter-spaced
// text; a space between phrases (奋进 工业强市, a headline's separator) stays.
func hanSpaces(t *text, log *editLog, _ *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	// A run starts at a character that is spaced, not after one, and has a space right after
	// it: each run is found from the space after its first character. done is where the last
	// run ended: no run starts inside another.
	done := 0
	var gaps []int // the byte ranges of a run's spaces, as pairs
	for q := spaceLeads.next(s, 0); q < len(s); q = spaceLeads.next(s, q+1) {
		if s[q] != ' ' && !strings.HasPrefix(s[q:], "　") {
			continue
		}
		first, size := utf8.DecodeLastRuneInString(s[:q])
		i := q - size
		if i < done || !spaced(first) {
			continue
		}
		if before, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && spaced(before) {
			continue
		}
		// The run: a character, then as long as one follows, spaces and a single character
		// (spaced, with no spaced character right after it).
		gaps = gaps[:0]
		j := q // the end of the run's last character
		for {
			k := j
			for k < len(s) {
				if s[k] == ' ' {
					k++
				} else if strings.HasPrefix(s[k:], "　") {
					k += len("　")
				} else {
					break
				}
			}
			if k == j || k >= len(s) {
				break
			}
			h, hsize := utf8.DecodeRuneInString(s[k:])
			if !spaced(h) {
				break
			}
			if after, _ := utf8.DecodeRuneInString(s[k+hsize:]); k+hsize < len(s) && spaced(after) {
				break
			}
			gaps = append(gaps, j, k)
			j = k + hsize
		}
		if len(gaps) >= 4 { // three single characters or more
			for g := 0; g < len(gaps); g += 2 {
				w.remove(gaps[g], gaps[g+1], count.at(gaps[g]), count.at(gaps[g+1]))
			}
		}
		done = j
	}
	w.finish()
}

// spaceLeads are the first bytes of a space and an ideographic space (E3).
var spaceLeads = leadSet(false, ' ', 0xE3)

// lexicon corrects look-alike confusions with the configured lexicon.
func lexicon(t *text, log *editLog, opt *Options) {
	lx := opt.Lexicon
	if lx == nil {
		lx = DefaultLexicon()
	}
	lx.correct(t, log)
}

// doubledAcrossBreak reports whether the character before a line break and the one after it
// are the same and the doubled form is not a word (在乡村振兴 / 兴中大显身手): a column break
// repeated it. 人人, 天天 and 常常 are words and stay.
func doubledAcrossBreak(last, next rune) bool {
	if last != next || !pipeline.IsHan(last) {
		return false
	}
	return !segment.IsWord(strings.Repeat(string(last), 2))
}
