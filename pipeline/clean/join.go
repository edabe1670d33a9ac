package clean

import (
	"sort"
	"unicode"

	"github.com/newsfacts/newsfacts/pipeline"
)

// A line is body text, rather than a headline, kicker or byline, when it is long
// (minBodyLine code points) or is of some length and has clause punctuation inside it, as
// headlines rarely do (专班人员扎根库 / 区 has a comma; 首届 巾媒 悦享沙龙启动 has none).
// Only body lines are ever joined to what follows.
const (
	minBodyLine       = 40
	minPunctuatedLine = 16
)

func isBody(line []rune) bool {
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

// sentenceEnd holds the characters after which a line break is a real paragraph end.
var sentenceEnd = map[rune]bool{
	'。': true, '！': true, '？': true, '；': true, '：': true, '…': true, '”': true, '’': true,
	'」': true, '』': true, '）': true, '》': true, '!': true, '?': true, ';': true, ':': true,
	')': true, '】': true, '.': true,
}

// joinLines removes the line breaks (and the blank lines after them) that cut a sentence or
// a word in two: 工程师协同创新中 / 心 → 创新中心. A break is joined when the line before it is
// body text (long) and does not end a sentence, and the next non-blank line starts with a
// character that can continue one.
func joinLines(t *text, log *editLog, opt *Options) {
	rs := t.r
	n := len(rs)
	// Each kept index; a removed break run is skipped.
	keep := make([]bool, n)
	for i := range keep {
		keep[i] = true
	}
	lineStart := 0
	for i := 0; i < n; i++ {
		if rs[i] != '\n' {
			continue
		}
		// The line is rs[lineStart:i]; find the next non-blank line.
		j := i
		for j < n && (rs[j] == '\n' || rs[j] == ' ' || rs[j] == '\t' || rs[j] == '\u3000') {
			j++
		}
		line := trimRight(rs[lineStart:i])
		if j < n && joinable(line, rs[j]) && !opt.headline(t.s[lineStart]) && !opt.headline(t.s[j]) {
			for k := i; k < j; k++ {
				keep[k] = false
			}
			log.add(t, i, j, "")
			if !opt.disabled("doubled") && doubledAcrossBreak(line[len(line)-1], rs[j]) {
				keep[j] = false
				log.op = "doubled"
				log.add(t, j, j+1, "")
				log.op = "join_lines"
			}
			// The joined line continues; its start stays where it was.
			i = j - 1
			continue
		}
		lineStart = i + 1
	}
	w := 0
	for i := 0; i < n; i++ {
		if !keep[i] {
			continue
		}
		t.r[w], t.s[w], t.e[w] = t.r[i], t.s[i], t.e[i]
		w++
	}
	t.r, t.s, t.e = t.r[:w], t.s[:w], t.e[:w]
}

func trimRight(rs []rune) []rune {
	for len(rs) > 0 && unicode.IsSpace(rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	return rs
}

func joinable(line []rune, next rune) bool {
	if !isBody(line) {
		return false
	}
	last := line[len(line)-1]
	if sentenceEnd[last] {
		return false
	}
	if !(pipeline.IsHan(last) || unicode.IsLetter(last) || unicode.IsDigit(last) || last == '，' || last == '、') {
		return false
	}
	return pipeline.IsHan(next) || unicode.IsDigit(next) || next == '，' || next == '。' || next == '、'
}

func sortEdits(e []pipeline.Edit) {
	sort.SliceStable(e, func(i, j int) bool { return e[i].RawStart < e[j].RawStart })
}

// headline reports whether a line starting at raw offset raw was set as a headline.
func (o *Options) headline(raw int32) bool {
	k := sort.SearchInts(o.Headlines, int(raw))
	return k < len(o.Headlines) && o.Headlines[k] == int(raw)
}
