package clean

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// compat folds CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) and Kangxi and
// supplementary radicals (U+2E80–U+2FDF) to the unified ideographs they stand for (⼈ → 人),
// leaving everything else alone: NFKC over the whole text would also fold the full-width
// punctuation Chinese prose uses.
func compat(t *text, log *editLog, _ *Options) {
	rs := t.r
	rewrite(t, log, func(i int) rune {
		r := rs[i]
		if !(r >= 0x2E80 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F) {
			return r
		}
		f := []rune(norm.NFKC.String(string(r)))
		if len(f) == 1 && pipeline.IsHan(f[0]) {
			return f[0]
		}
		return r
	})
}

// ocrDigits mends letters OCR reads for digits inside a number: l and I for 1, O and o for 0
// (全镇共有党员2l6名 → 216名, 3O.5亿元 → 30.5亿元). A letter is mended only with a digit on one
// side and a digit or decimal point on the other.
func ocrDigits(t *text, log *editLog, _ *Options) {
	rs := t.r
	num := func(r rune) bool { return r >= '0' && r <= '9' }
	rewrite(t, log, func(i int) rune {
		r := rs[i]
		var to rune
		switch r {
		case 'l', 'I':
			to = '1'
		case 'O', 'o':
			to = '0'
		default:
			return r
		}
		if i == 0 || i+1 >= len(rs) {
			return r
		}
		p, n := rs[i-1], rs[i+1]
		if num(p) && (num(n) || n == '.') || n >= '0' && n <= '9' && (num(p) || p == '.') {
			// Not inside a Latin word: the letters around must not be letters.
			if i >= 2 && unicode.IsLetter(rs[i-2]) && rs[i-2] < 0x80 {
				return r
			}
			return to
		}
		return r
	})
}

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
	// Every continuation marker holds 转第 or 接第: most pages have neither.
	s := string(t.r)
	if strings.Contains(s, "转第") || strings.Contains(s, "接第") {
		if locs := continuationRe.FindAllStringIndex(s, -1); len(locs) > 0 {
			removeLocs(t, log, s, locs)
			s = string(t.r)
		}
	}
	var locs [][]int
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		if pageNumberRe.MatchString(s[start:end]) {
			locs = append(locs, []int{start, end})
		}
		start = end + 1
	}
	removeLocs(t, log, s, locs)
}

// removeLocs deletes the byte ranges locs of s (which is string(t.r)) from t, logging each.
func removeLocs(t *text, log *editLog, s string, locs [][]int) {
	if len(locs) == 0 {
		return
	}
	// Byte offsets to rune indexes.
	drop := make([]bool, len(t.r))
	bi := 0
	ri := 0
	for _, loc := range locs {
		for bi < loc[0] {
			_, size := decodeRune(s[bi:])
			bi += size
			ri++
		}
		start := ri
		for bi < loc[1] {
			_, size := decodeRune(s[bi:])
			bi += size
			ri++
		}
		if ri > start {
			log.add(t, start, ri, "")
			for k := start; k < ri; k++ {
				drop[k] = true
			}
		}
	}
	keep(t, drop)
}

func keep(t *text, drop []bool) {
	w := 0
	for i := range t.r {
		if drop[i] {
			continue
		}
		t.r[w], t.s[w], t.e[w] = t.r[i], t.s[i], t.e[i]
		w++
	}
	t.r, t.s, t.e = t.r[:w], t.s[:w], t.e[:w]
}

func decodeRune(s string) (rune, int) {
	for i, r := range s {
		if i == 0 {
			return r, len(string(r))
		}
	}
	return 0, 1
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
	rs := t.r
	drop := make([]bool, len(rs))
	any := false
	for i := 0; i < len(rs); {
		// Find a run: H (sp H)+ where every H is a single Han character.
		if !spaced(rs[i]) || (i > 0 && spaced(rs[i-1])) {
			i++
			continue
		}
		j, singles := i, 1
		var spaces []int
		for {
			k := j + 1
			for k < len(rs) && (rs[k] == ' ' || rs[k] == '　') {
				k++
			}
			if k == j+1 || k >= len(rs) || !spaced(rs[k]) || (k+1 < len(rs) && spaced(rs[k+1])) {
				break
			}
			for s := j + 1; s < k; s++ {
				spaces = append(spaces, s)
			}
			j = k
			singles++
		}
		if singles >= 3 {
			for _, s := range spaces {
				drop[s] = true
			}
			any = true
		}
		i = j + 1
	}
	if !any {
		return
	}
	for i := 0; i < len(rs); i++ {
		if drop[i] {
			j := i
			for j < len(rs) && drop[j] {
				j++
			}
			log.add(t, i, j, "")
			i = j - 1
		}
	}
	keep(t, drop)
}

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
