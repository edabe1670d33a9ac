package clean

// The implementation of Clean as it was before cleaning worked on UTF-8 bytes (runes that each
// carry their raw span, every operation a pass over them): slow, but plain. The tests hold the
// fast implementation to exactly its Text, Map and Edits (TestMatchesReference, FuzzReference):
// a change to what cleaning does is made here as well as in the operations. Which characters
// are invisible or letter-spaced (isInvisible, spaced) it asks the operations' own tests: only
// how the text is walked changed.

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/segment"
)

var refOps = []struct {
	name string
	fn   func(t *refText, log *refEditLog, opt *Options)
}{
	{"compat", refCompat}, {"width", refWidth}, {"invisible", refInvisible}, {"ocr_digits", refOcrDigits},
	{"debris", refDebris}, {"han_spaces", refHanSpaces}, {"join_lines", refJoinLines}, {"doubled", nil},
	{"lexicon", refLexicon},
}

var (
	refContinuationRe = regexp.MustCompile(`[（(]?\s*(?:下转|上接|转|接)第\s*[0-9一二三四五六七八九十]+\s*版\s*[）)]?`)
	refPageNumberRe   = regexp.MustCompile(`^[ \t　]*(?:[-—–]\s*[0-9]{1,3}\s*[-—–]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[0-9]{1,3})[ \t　]*$`)
)

var refSentenceEnd = map[rune]bool{
	'。': true, '！': true, '？': true, '；': true, '：': true, '…': true, '”': true, '’': true,
	'」': true, '』': true, '）': true, '》': true, '!': true, '?': true, ';': true, ':': true,
	')': true, '】': true, '.': true,
}

func refIsDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func refIsFullDigit(r rune) bool { return r >= '０' && r <= '９' }

func refDoubledAcrossBreak(last, next rune) bool {
	if last != next || !pipeline.IsHan(last) {
		return false
	}
	return !segment.IsWord(strings.Repeat(string(last), 2))
}

func refHeadline(o *Options, raw int32) bool {
	k := sort.SearchInts(o.Headlines, int(raw))
	return k < len(o.Headlines) && o.Headlines[k] == int(raw)
}

type refText struct {
	r    []rune
	s, e []int32
}

type refEditLog struct {
	op    string
	edits []pipeline.Edit
	raw   []rune
}

func (l *refEditLog) add(t *refText, i, j int, repl string) {
	var rs, re int32
	if i < j {
		rs, re = t.s[i], t.e[j-1]
	} else if i < len(t.r) {
		rs, re = t.s[i], t.s[i]
	} else if len(t.r) > 0 {
		rs, re = t.e[len(t.e)-1], t.e[len(t.e)-1]
	}
	l.edits = append(l.edits, pipeline.Edit{Op: l.op, RawStart: int(rs), RawEnd: int(re), Old: string(t.r[i:j]), New: repl})
}

func refClean(raw string, opt Options) (string, pipeline.OffsetMap, []pipeline.Edit) {
	off := map[string]bool{}
	for _, n := range opt.Disable {
		off[n] = true
	}
	rs := []rune(raw)
	t := &refText{r: rs, s: make([]int32, len(rs)), e: make([]int32, len(rs))}
	for i := range rs {
		t.s[i], t.e[i] = int32(i), int32(i+1)
	}
	log := &refEditLog{raw: rs}
	for _, op := range refOps {
		if off[op.name] || op.fn == nil {
			continue
		}
		log.op = op.name
		op.fn(t, log, &opt)
	}
	sort.SliceStable(log.edits, func(i, j int) bool { return log.edits[i].RawStart < log.edits[j].RawStart })
	return string(t.r), pipeline.NewOffsetMap(t.s, t.e), log.edits
}

func refRewrite(t *refText, log *refEditLog, f func(i int) rune) {
	w := 0
	for i, r := range t.r {
		n := f(i)
		if n != r {
			if n < 0 {
				log.add(t, i, i+1, "")
			} else {
				log.add(t, i, i+1, string(n))
			}
		}
		if n < 0 {
			continue
		}
		if w == i { // nothing removed yet: the spans are where they were
			t.r[w] = n
		} else {
			t.r[w], t.s[w], t.e[w] = n, t.s[i], t.e[i]
		}
		w++
	}
	t.r, t.s, t.e = t.r[:w], t.s[:w], t.e[:w]
}

func refWidth(t *refText, log *refEditLog, _ *Options) {
	rs := t.r
	refRewrite(t, log, func(i int) rune {
		r := rs[i]
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '％':
			return r - 0xFEE0
		case r == '，':
			if i > 0 && i+3 < len(rs) && refIsDigit(rs[i-1]) && refIsFullDigit(rs[i+1]) && refIsFullDigit(rs[i+2]) &&
				refIsFullDigit(rs[i+3]) && (i+4 == len(rs) || !refIsDigit(rs[i+4])) {
				return ','
			}
		case r == '．' || r == '：' || r == '－':
			if i > 0 && i+1 < len(rs) && refIsDigit(rs[i-1]) && refIsDigit(rs[i+1]) {
				return r - 0xFEE0
			}
		case r == '·' || r == '・':
			if i > 0 && i+1 < len(rs) && refIsDigit(rs[i-1]) && refIsDigit(rs[i+1]) {
				return '.'
			}
		}
		return r
	})
}

func refInvisible(t *refText, log *refEditLog, _ *Options) {
	rs := t.r
	refRewrite(t, log, func(i int) rune {
		if isInvisible(rs[i]) {
			return -1
		}
		return rs[i]
	})
}

func refCompat(t *refText, log *refEditLog, _ *Options) {
	rs := t.r
	refRewrite(t, log, func(i int) rune {
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

func refOcrDigits(t *refText, log *refEditLog, _ *Options) {
	rs := t.r
	num := func(r rune) bool { return r >= '0' && r <= '9' }
	refRewrite(t, log, func(i int) rune {
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
			if i >= 2 && unicode.IsLetter(rs[i-2]) && rs[i-2] < 0x80 {
				return r
			}
			return to
		}
		return r
	})
}

func refDebris(t *refText, log *refEditLog, _ *Options) {
	s := string(t.r)
	if strings.Contains(s, "转第") || strings.Contains(s, "接第") {
		if locs := refContinuationRe.FindAllStringIndex(s, -1); len(locs) > 0 {
			refRemoveLocs(t, log, s, locs)
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
		if refPageNumberRe.MatchString(s[start:end]) {
			locs = append(locs, []int{start, end})
		}
		start = end + 1
	}
	refRemoveLocs(t, log, s, locs)
}

func refRemoveLocs(t *refText, log *refEditLog, s string, locs [][]int) {
	if len(locs) == 0 {
		return
	}
	drop := make([]bool, len(t.r))
	bi := 0
	ri := 0
	for _, loc := range locs {
		for bi < loc[0] {
			_, size := refDecodeRune(s[bi:])
			bi += size
			ri++
		}
		start := ri
		for bi < loc[1] {
			_, size := refDecodeRune(s[bi:])
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
	refKeep(t, drop)
}

func refKeep(t *refText, drop []bool) {
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

func refDecodeRune(s string) (rune, int) {
	for i, r := range s {
		if i == 0 {
			return r, len(string(r))
		}
	}
	return 0, 1
}

func refHanSpaces(t *refText, log *refEditLog, _ *Options) {
	rs := t.r
	drop := make([]bool, len(rs))
	any := false
	for i := 0; i < len(rs); {
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
	refKeep(t, drop)
}

func refLexicon(t *refText, log *refEditLog, opt *Options) {
	lx := opt.Lexicon
	if lx == nil {
		lx = DefaultLexicon()
	}
	lx.refCorrect(t, log)
}

func refIsBody(line []rune) bool {
	if len(line) >= minBodyLine {
		return true
	}
	if len(line) < minPunctuatedLine {
		return false
	}
	for _, r := range line {
		if r == '，' || r == '。' || r == '、' || r == '；' {
			return true
		}
	}
	return false
}

func refJoinLines(t *refText, log *refEditLog, opt *Options) {
	rs := t.r
	n := len(rs)
	kept := make([]bool, n)
	for i := range kept {
		kept[i] = true
	}
	lineStart := 0
	for i := 0; i < n; i++ {
		if rs[i] != '\n' {
			continue
		}
		j := i
		for j < n && (rs[j] == '\n' || rs[j] == ' ' || rs[j] == '\t' || rs[j] == '\u3000') {
			j++
		}
		line := refTrimRight(rs[lineStart:i])
		if j < n && refJoinable(line, rs[j]) && !refHeadline(opt, t.s[lineStart]) && !refHeadline(opt, t.s[j]) {
			for k := i; k < j; k++ {
				kept[k] = false
			}
			log.add(t, i, j, "")
			if !slices.Contains(opt.Disable, "doubled") && refDoubledAcrossBreak(line[len(line)-1], rs[j]) {
				kept[j] = false
				log.op = "doubled"
				log.add(t, j, j+1, "")
				log.op = "join_lines"
			}
			i = j - 1
			continue
		}
		lineStart = i + 1
	}
	w := 0
	for i := 0; i < n; i++ {
		if !kept[i] {
			continue
		}
		t.r[w], t.s[w], t.e[w] = t.r[i], t.s[i], t.e[i]
		w++
	}
	t.r, t.s, t.e = t.r[:w], t.s[:w], t.e[:w]
}

func refTrimRight(rs []rune) []rune {
	for len(rs) > 0 && unicode.IsSpace(rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	return rs
}

func refJoinable(line []rune, next rune) bool {
	if !refIsBody(line) {
		return false
	}
	last := line[len(line)-1]
	if refSentenceEnd[last] {
		return false
	}
	if !(pipeline.IsHan(last) || unicode.IsLetter(last) || unicode.IsDigit(last) || last == '，' || last == '、') {
		return false
	}
	return pipeline.IsHan(next) || unicode.IsDigit(next) || next == '，' || next == '。' || next == '、'
}

func (lx *Lexicon) refCorrect(t *refText, log *refEditLog) {
	if lx == nil || len(lx.fix) == 0 {
		return
	}
	rs := t.r
	for i := 0; i < len(rs); i++ {
		for n := min(lx.maxLen, len(rs)-i); n >= lx.minLen; n-- {
			w, ok := lx.fix[string(rs[i:i+n])]
			if !ok {
				continue
			}
			wr := []rune(w)
			for k := 0; k < n; k++ {
				if rs[i+k] != wr[k] {
					log.add(t, i+k, i+k+1, string(wr[k]))
					rs[i+k] = wr[k] // same length: spans are unchanged
				}
			}
			i += n - 1
			break
		}
	}
}
