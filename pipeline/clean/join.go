package clean

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

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

func isBody(line string) bool {
	if len(line) < minPunctuatedLine { // fewer bytes than that: fewer code points too
		return false
	}
	n := runeCountUpTo(line, minBodyLine)
	if n >= minBodyLine {
		return true
	}
	return n >= minPunctuatedLine && strings.ContainsAny(line, "，。、；")
}

// runeCountUpTo is utf8.RuneCountInString(s), or limit when s has more code points. A line
// joined to the next grows with every join, and counting it whole at each join was quadratic
// in the length of a paragraph: the month of the People's Daily in one file, whose tagged
// lines all join, took minutes to clean.
func runeCountUpTo(s string, limit int) int {
	n := 0
	for i := 0; i < len(s) && n < limit; n++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return n
}

// sentenceEnd reports whether r is a character after which a line break is a real paragraph end.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '：', '…', '”', '’', '」', '』', '）', '》', '!', '?', ';', ':', ')', '】', '.':
		return true
	}
	return false
}

// joinLines removes the line breaks (and the blank lines after them) that cut a sentence or
// a word in two: 工程师协同创新中 / 心 → 创新中心. A break is joined when the line before it is
// body text (long) and does not end a sentence, and the next non-blank line starts with a
// character that can continue one.
func joinLines(t *text, log *editLog, opt *Options) {
	s := t.s
	w := rewrite{t: t, log: log}
	count := runes{s: s}
	doubled := !opt.disabled("doubled")
	lineStart := 0
	// Two things are read once rather than at every break, which was quadratic: the end of a
	// run of blank characters (250,000 blank lines took 25 s), and whether the line being
	// joined began as a headline (a paragraph of a PDF, counted back to its start at every
	// join).
	blankFrom, blankEnd := -1, -1 // the last run of blank characters scanned: [blankFrom, blankEnd)
	headAt, head := -1, false     // head: whether the line starting at byte headAt is a headline
	startsHeadline := func() bool {
		if headAt != lineStart {
			headAt, head = lineStart, opt.headline(t, &count, lineStart)
		}
		return head
	}
	for from := 0; ; {
		i := strings.IndexByte(s[from:], '\n')
		if i < 0 {
			break
		}
		i += from
		// The line is s[lineStart:i]; find the next non-blank line.
		j := i
		if blankFrom <= i && i < blankEnd {
			j = blankEnd // inside a run already scanned: it ends where it ended
		} else {
			for j < len(s) {
				if c := s[j]; c == '\n' || c == ' ' || c == '\t' {
					j++
				} else if strings.HasPrefix(s[j:], "\u3000") {
					j += len("\u3000")
				} else {
					break
				}
			}
			blankFrom, blankEnd = i, j
		}
		line := strings.TrimRightFunc(s[lineStart:i], unicode.IsSpace)
		next, size := utf8.DecodeRuneInString(s[j:])
		if j < len(s) && joinable(line, next) && !startsHeadline() && !opt.headline(t, &count, j) {
			w.remove(i, j, count.at(i), count.at(j))
			if last, _ := utf8.DecodeLastRuneInString(line); doubled && doubledAcrossBreak(last, next) {
				log.op = "doubled"
				w.remove(j, j+size, count.at(j), count.at(j)+1)
				log.op = "join_lines"
			}
			// The joined line continues; its start stays where it was.
			from = j
			continue
		}
		lineStart = i + 1
		from = i + 1
	}
	w.finish()
}

func joinable(line string, next rune) bool {
	last, _ := utf8.DecodeLastRuneInString(line)
	if line == "" || sentenceEnd(last) {
		return false
	}
	if !(pipeline.IsHan(last) || unicode.IsLetter(last) || unicode.IsDigit(last) || last == '，' || last == '、') {
		return false
	}
	if !(pipeline.IsHan(next) || unicode.IsDigit(next) || next == '，' || next == '。' || next == '、') {
		return false
	}
	return isBody(line)
}

// sortEdits puts the edits in raw order; edits of one place stay in the order they were made.
func sortEdits(e []pipeline.Edit) {
	byStart := func(a, b pipeline.Edit) int { return cmp.Compare(a.RawStart, b.RawStart) }
	if !slices.IsSortedFunc(e, byStart) {
		slices.SortStableFunc(e, byStart)
	}
}

// headline reports whether the line starting at byte p of the text was set as a headline.
func (o *Options) headline(t *text, count *runes, p int) bool {
	if len(o.Headlines) == 0 {
		return false
	}
	raw := int(t.rawAt(count.at(p)))
	k := sort.SearchInts(o.Headlines, raw)
	return k < len(o.Headlines) && o.Headlines[k] == raw
}
