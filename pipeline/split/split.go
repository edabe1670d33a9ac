// Package split cuts a cleaned page into articles (headline, byline, dateline, body) and
// sentences, so that every fact can say which article and sentence it came from.
//
// Two page shapes are recognised. Dense pages (one paragraph per line, a blank line between
// articles, as in the People's Daily archive) split at blank lines. Spaced pages (a blank line
// between every paragraph, as OCR output often is) start a new article at a block of short
// headline lines that a byline follows or that wide gaps set apart.
package split

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/rules/numeral"
)

// line is one line of the cleaned text, in code points.
type line struct {
	start, end int // code points, end excludes the newline
	text       string
	lead       int // code points of white space trimmed off the front of text
	gapBefore  int // blank lines before it
	gapAfter   int
	head       bool // a PDF page set it in a headline's font size
}

// markHeadlines marks the lines that hold a headline start the PDF reader found by font size
// (d.HeadlineStarts, raw offsets).
func markHeadlines(d *pipeline.Doc, ls []line) {
	if len(d.HeadlineStarts) == 0 {
		return
	}
	for i := range ls {
		rs, re := d.Map.Raw(ls[i].start+ls[i].lead, ls[i].end)
		k := sort.SearchInts(d.HeadlineStarts, rs)
		ls[i].head = k < len(d.HeadlineStarts) && d.HeadlineStarts[k] < max(re, rs+1)
	}
}

func lines(text string) []line {
	var out []line
	pos, blanks := 0, 0
	for _, l := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(l)
		if strings.TrimSpace(l) == "" {
			blanks++
		} else {
			if len(out) > 0 {
				out[len(out)-1].gapAfter = blanks
			}
			lead := utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeftFunc(l, unicode.IsSpace))])
			out = append(out, line{start: pos, end: pos + n, text: strings.TrimSpace(l), lead: lead, gapBefore: blanks})
			blanks = 0
		}
		pos += n + 1
	}
	if len(out) > 0 {
		out[len(out)-1].gapAfter = blanks
	}
	return out
}

// short reports whether a line looks like a headline, kicker or byline rather than body text.
func short(l line) bool {
	n := utf8.RuneCountInString(l.text)
	if n >= 40 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(l.text)
	return !(last == '。' || last == '！' || last == '”' || last == '；') || n < 12
}

// ownByline is a byline on a line of its own: 记者 赵碧莹, 本报记者 张三.
var ownByline = regexp.MustCompile(`^(?:本报|新华社|本报特约|特约)?记者`)

var bylineStart = regexp.MustCompile(`^(?:本报讯|据?本报[\p{Han}]{0,8}[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日电|据?新华社[\p{Han}]{0,8}[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日电|(?:本报|新华社|本报特约|特约)?记者\s*[\p{Han}]{2,4}(?:\s|$)|[（(]记者)`)

// isByline is bylineStart.MatchString, with a test of the first character before it: a match
// begins with one of 本 据 新 特 记 （ (, and most lines begin otherwise. The regexp engine
// clears a bit per instruction and byte of its input before it tries a match, so asking it
// about every paragraph cost more than splitting the rest of the text did.
func isByline(s string) bool {
	switch r, _ := utf8.DecodeRuneInString(s); r {
	case '本', '据', '新', '特', '记', '（', '(':
		return bylineStart.MatchString(s)
	}
	return false
}

// isCredit is credit.MatchString, with a test of the line's end before it: a match ends with
// 摄, 摄） or 摄).
func isCredit(s string) bool {
	end := strings.TrimSuffix(strings.TrimSuffix(s, "）"), ")")
	return strings.HasSuffix(end, "摄") && credit.MatchString(s)
}

// Articles finds the articles of d.Text and fills d.Articles. Pages where most paragraphs
// follow each other without a blank line are dense; others are spaced.
func Articles(d *pipeline.Doc) {
	ls := lines(d.Text)
	markHeadlines(d, ls)
	if len(ls) == 0 {
		d.Articles = []pipeline.Article{{Index: 0, RefDate: d.PubDate}}
		return
	}
	adjacent := 0
	for i := 1; i < len(ls); i++ {
		if ls[i].gapBefore == 0 {
			adjacent++
		}
	}
	dense := adjacent*2 >= len(ls)
	var starts []int // indexes into ls where an article begins
	starts = append(starts, 0)
	for i := 1; i < len(ls); i++ {
		if ls[i].head && !ls[i-1].head {
			starts = append(starts, i) // the PDF set it as a headline
			continue
		}
		if dense {
			if ls[i].gapBefore > 0 {
				starts = append(starts, i)
			}
			continue
		}
		// Spaced: a headline block begins after body text…
		if !short(ls[i]) || short(ls[i-1]) && !isByline(ls[i-1].text) && !isCredit(ls[i-1].text) {
			continue
		}
		if isByline(ls[i].text) || isCredit(ls[i].text) {
			continue
		}
		// …and is set apart by a wide gap, or a byline follows it within two lines.
		wide := ls[i].gapBefore >= 2 || ls[i].gapAfter >= 2
		byline := false
		for k := i + 1; k < len(ls) && k <= i+2; k++ {
			if isByline(ls[k].text) {
				byline = true
				break
			}
			if !short(ls[k]) {
				break
			}
		}
		if wide || byline {
			starts = append(starts, i)
		}
	}
	d.Articles = d.Articles[:0]
	heads := make([][]string, 0, len(starts))
	for a, s := range starts {
		e := len(ls)
		if a+1 < len(starts) {
			e = starts[a+1]
		}
		art, h := article(d, a, ls[s:e])
		d.Articles = append(d.Articles, art)
		heads = append(heads, h)
	}
	regroupHeadlines(d, heads)
	continuations(d)
	if len(d.PageStarts) > 0 {
		for i := range d.Articles {
			rs, _ := d.Map.Raw(d.Articles[i].Start, d.Articles[i].Start+1)
			d.Articles[i].Page = d.PageAt(rs)
		}
	}
}

// continuations finds the continuation markers cleaning removed (下转第三版) and records, on
// the article they closed, where it continues.
func continuations(d *pipeline.Doc) {
	for _, ed := range d.Edits {
		m := continuation.FindStringSubmatch(ed.Old)
		if ed.Op != "debris" || m == nil || !strings.Contains(ed.Old, "转") {
			continue
		}
		// The cleaned position where the marker was.
		pos := d.Map.CleanAt(ed.RawStart)
		for i := range d.Articles {
			a := &d.Articles[i]
			if pos >= a.Start && (pos <= a.End || i == len(d.Articles)-1) {
				a.ContinuesOn = "第" + m[1] + "版"
				break
			}
		}
	}
}

// regroupHeadlines gives headline lines back to the article they belong to. Page layouts put
// several articles' headlines together at the top (the seed page opens with the pump-industry
// headline and the live-streaming contest's), and reading order puts them all before the first
// article. A line of the first article's headline block moves to a later article whose body
// shares clearly more of its character pairs than the first article's body does.
func regroupHeadlines(d *pipeline.Doc, heads [][]string) {
	if len(heads) < 2 || len(heads[0]) < 3 {
		return
	}
	rs := []rune(d.Text)
	bodies := make([]map[uint64]bool, len(d.Articles))
	for i, a := range d.Articles {
		bodies[i] = bigrams(string(rs[a.BodyStart:min(a.End, len(rs))]))
	}
	var keep []string
	moved := make([][]string, len(heads))
	for li, line := range heads[0] {
		lb := bigrams(line)
		if len(lb) == 0 || li == 0 {
			keep = append(keep, line)
			continue
		}
		best, bestScore := 0, overlap(lb, bodies[0])
		for i := 1; i < len(bodies); i++ {
			if sc := overlap(lb, bodies[i]); sc > bestScore+0.15 {
				best, bestScore = i, sc
			}
		}
		if best == 0 || bestScore < 0.3 {
			keep = append(keep, line)
			continue
		}
		moved[best] = append(moved[best], line)
	}
	d.Articles[0].Headline = strings.Join(keep, " ")
	for i, m := range moved {
		if len(m) > 0 {
			d.Articles[i].Headline = strings.Join(append(heads[i], m...), " ")
		}
	}
}

// bigrams returns the pairs of Han characters that follow each other in s, each pair once,
// as the two code points in one number.
func bigrams(s string) map[uint64]bool {
	out := map[uint64]bool{}
	var prev rune
	for _, r := range s {
		if pipeline.IsHan(r) && pipeline.IsHan(prev) {
			out[uint64(prev)<<32|uint64(r)] = true
		}
		prev = r
	}
	return out
}

// overlap is the share of a's pairs found in b.
func overlap(a, b map[uint64]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

var (
	reporterParen = regexp.MustCompile(`[（(]([^（()）]*记者[^（()）]*)[）)]`)
	roleWord      = regexp.MustCompile(`记者|通讯员|实习生`)
	credit        = regexp.MustCompile(`^(?:[（(]?(?:新华社|本报)?记者\s*)?([\p{Han}]{2,4}(?:\s+[\p{Han}]{2,4})*)\s*摄[）)]?$`)
	dateline      = regexp.MustCompile(`^据?(?:本报|新华社)([\p{Han}]{0,8}?)([0-9]{1,2}|[一二三四五六七八九十]{1,3})月([0-9]{1,2}|[一二三四五六七八九十]{1,3})日电`)
	continuation  = regexp.MustCompile(`[（(]?下?转第([0-9一二三四五六七八九十]+)版[）)]?`)
)

var roles = map[string]string{"记者": "reporter", "通讯员": "correspondent", "实习生": "reporter"}

func article(d *pipeline.Doc, idx int, ls []line) (pipeline.Article, []string) {
	a := pipeline.Article{Index: idx, Start: ls[0].start, End: ls[len(ls)-1].end, RefDate: d.PubDate}
	a.BodyStart = a.Start
	var heads []string
	i := 0
	if ls[0].head { // the PDF's headline lines, whatever their length, and nothing more
		for ; i < len(ls) && ls[i].head; i++ {
			heads = append(heads, ls[i].text)
		}
	}
	for ; i < len(ls) && !ls[0].head && short(ls[i]) && !isByline(ls[i].text) && !isCredit(ls[i].text) && len(ls) > 1; i++ {
		heads = append(heads, ls[i].text)
	}
	a.Headline = strings.Join(heads, " ")
	if i < len(ls) {
		a.BodyStart = ls[i].start
	}
	// The byline is either its own line (记者 赵碧莹) or opens the first paragraph
	// (本报讯（记者叶琳 通讯员陈慧）).
	for k := i; k < len(ls) && k <= i+1; k++ {
		l := ls[k]
		if !isByline(l.text) {
			continue
		}
		if m := dateline.FindStringSubmatch(l.text); m != nil {
			a.Dateline = m[0]
			a.RefDate = datelineDate(d.PubDate, m[2], m[3])
		}
		if m := reporterParen.FindStringSubmatchIndex(l.text); m != nil {
			a.Byline = l.text[m[2]:m[3]]
			people(d, &a, l, m[2], m[3])
		} else if ownByline.MatchString(l.text) {
			a.Byline = l.text
			people(d, &a, l, 0, len(l.text))
			if a.BodyStart == l.start && k+1 < len(ls) {
				a.BodyStart = ls[k+1].start
			}
		}
		break
	}
	for _, l := range ls {
		// Both patterns hold a literal the line must have: a cheap test first, since they run
		// on every line and the continuation's can start anywhere.
		if strings.Contains(l.text, "摄") {
			if m := credit.FindStringSubmatchIndex(l.text); m != nil {
				if a.Byline == "" {
					a.Byline = l.text // a photo's credit is its byline
				}
				// Each name is where it stands in the credit, found on from the name before: a
				// name looked for from the line's start was the first of the line to bear it,
				// and a credit of 40,000 names took 6 s.
				rc := runeCounter{s: l.text}
				from := m[2]
				for _, name := range strings.Fields(l.text[m[2]:m[3]]) {
					at := from + strings.Index(l.text[from:], name)
					from = at + len(name)
					addPerson(d, &a, l, rc.at(at), name, "photographer", "byline.photo")
				}
			}
		}
		if strings.Contains(l.text, "转第") {
			if m := continuation.FindStringSubmatch(l.text); m != nil {
				a.ContinuesOn = "第" + m[1] + "版"
			}
		}
	}
	return a, heads
}

// people adds each name after 记者/通讯员 in l.text[from:to] (byte offsets) as a person.
func people(d *pipeline.Doc, a *pipeline.Article, l line, from, to int) {
	seg := l.text[from:to]
	rc := runeCounter{s: l.text}
	// Each role word governs the names after it, up to the next role word: 记者叶琳 通讯员陈慧.
	ms := roleWord.FindAllStringIndex(seg, -1)
	for k, m := range ms {
		role := roles[seg[m[0]:m[1]]]
		end := len(seg)
		if k+1 < len(ms) {
			end = ms[k+1][0]
		}
		names := seg[m[1]:end]
		off := from + m[1]
		searchFrom := 0
		isSep := func(r rune) bool { return unicode.IsSpace(r) || r == '、' || r == '，' }
		fields := strings.FieldsFunc(names, isSep)
		if last, _ := utf8.DecodeLastRuneInString(names); k+1 < len(ms) && len(fields) > 0 && !isSep(last) {
			// 记者刘振英、新华社记者张宿堂: what runs into the next role word is its
			// employer, not a name.
			fields = fields[:len(fields)-1]
		}
		for _, name := range fields {
			n := utf8.RuneCountInString(name)
			if strings.HasSuffix(name, "摄") || n < 2 || n > 4 || !isHan(name) {
				continue
			}
			at := searchFrom + strings.Index(names[searchFrom:], name)
			searchFrom = at + len(name)
			addPerson(d, a, l, rc.at(off+at), name, role, "byline."+role)
			a.Reporters = append(a.Reporters, name)
		}
	}
}

// addPerson adds name, found runeAt code points into l.text, as a person of the article.
func addPerson(d *pipeline.Doc, a *pipeline.Article, l line, runeAt int, name, role, rule string) {
	start := l.start + l.lead + runeAt
	d.Entities = append(d.Entities, pipeline.Entity{
		Kind: "person", Text: name, Role: role, Rule: rule, Article: a.Index, Sentence: -1,
		Start: start, End: start + utf8.RuneCountInString(name),
	})
}

// runeCounter counts the code points of s before byte offsets, going on from the last offset
// asked when the next is after it: a byline of thousands of names was counted from the line's
// start for each, and a 400 KB one took 10 s.
type runeCounter struct {
	s            string
	bytes, runes int // the last offset asked, and the code points before it
}

func (c *runeCounter) at(byteAt int) int {
	if byteAt < c.bytes {
		c.bytes, c.runes = 0, 0
	}
	c.runes += utf8.RuneCountInString(c.s[c.bytes:byteAt])
	c.bytes = byteAt
	return c.runes
}

func isHan(s string) bool {
	for _, r := range s {
		if !pipeline.IsHan(r) {
			return false
		}
	}
	return true
}

func datelineDate(pub, month, day string) string {
	if len(pub) < 4 {
		return pub
	}
	y, _ := strconv.Atoi(pub[:4])
	m, err1 := numeral.Parse(month)
	dd, err2 := numeral.Parse(day)
	if err1 != nil || err2 != nil || m < 1 || m > 12 || dd < 1 || dd > 31 {
		return pub
	}
	// A dateline is never after the paper came out: 12月31日电 in a January paper is last year's.
	if pm, _ := strconv.Atoi(pub[5:7]); len(pub) >= 7 && int(m) > pm {
		y--
	}
	return strconv.Itoa(y) + "-" + two(int(m)) + "-" + two(int(dd))
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Sentences cuts each article into sentences at 。！？；… and line ends, and fills
// d.Sentences (indexes run over the whole document). It reads the text once, by bytes,
// keeping each position as a code point (what a Sentence holds) and a byte.
func Sentences(d *pipeline.Doc) {
	text := d.Text
	d.Sentences = d.Sentences[:0]
	c := pipeline.Cursor{Text: text} // set where the last article ended
	for _, a := range d.Articles {
		start := mark{a.Start, c.At(a.Start)}
		flush := func(end mark) {
			s, e := start, end
			for s.cp < e.cp {
				r, n := utf8.DecodeRuneInString(text[s.b:])
				if !unicode.IsSpace(r) {
					break
				}
				s = mark{s.cp + 1, s.b + n}
			}
			for e.cp > s.cp {
				r, n := utf8.DecodeLastRuneInString(text[:e.b])
				if !unicode.IsSpace(r) {
					break
				}
				e = mark{e.cp - 1, e.b - n}
			}
			if e.cp > s.cp {
				d.Sentences = append(d.Sentences, pipeline.Sentence{Index: len(d.Sentences), Article: a.Index, Start: s.cp, End: e.cp})
			}
			start = end
		}
		i := start // the code point read next; the loop ends at the article's end or the text's
		for i.cp < a.End && i.b < len(text) {
			r, n := utf8.DecodeRuneInString(text[i.b:])
			next := mark{i.cp + 1, i.b + n}
			switch {
			case r == '\n':
				flush(next)
			case endsSentence(r):
				for next.cp < a.End && next.b < len(text) && next.cp-start.cp < MaxSentence {
					r, n := utf8.DecodeRuneInString(text[next.b:])
					if !closesSentence(r) {
						break
					}
					next = mark{next.cp + 1, next.b + n}
				}
				flush(next)
			case next.cp-start.cp >= MaxSentence:
				flush(cutLong(text, start, next))
			}
			i = next
		}
		flush(i)
		c.Set(i.cp, i.b)
	}
}

// A mark is a place in the text: a code point and the byte it begins at.
type mark struct{ cp, b int }

// MaxSentence is the most code points a sentence holds (its closing quotes and brackets too). Text without sentence punctuation (a
// line of figures, a table flattened into one line, a file with no 。) would otherwise be one
// sentence of millions of characters: each of its facts carries the whole sentence as its
// context, and what looks at a figure's neighbours would look at all of them. The longest
// sentence of the People's Daily pages, the news sample and the NER sets has 2,103.
const MaxSentence = 4096

// cutLong returns where to end a sentence that runs from start to end (exclusive) and has
// reached MaxSentence, so that a figure is not cut in two: after the last comma, enumeration
// comma, colon or space of its second half; else before the last figure that begins there (a
// digit after a character that is no part of a number: 545亿元|312亿元); else at end.
func cutLong(text string, start, end mark) mark {
	half := start.cp + (end.cp-start.cp)/2
	for k := end; k.cp > half; {
		r, n := utf8.DecodeLastRuneInString(text[:k.b])
		switch r {
		case '，', ',', '、', '：', ':', ' ', '\t', '\u3000':
			return k
		}
		k = mark{k.cp - 1, k.b - n}
	}
	// k is a code point, r the one it begins with; the figure starts at k when r is a digit
	// and the one before it is no part of a number.
	r, n := utf8.DecodeLastRuneInString(text[:end.b])
	for k := (mark{end.cp - 1, end.b - n}); k.cp > half; {
		prev, n := utf8.DecodeLastRuneInString(text[:k.b])
		if pipeline.IsDigit(r) && !inNumber(prev) {
			return k
		}
		r, k = prev, mark{k.cp - 1, k.b - n}
	}
	return end
}

// inNumber reports whether r can be part of a figure's number: 3.5, 1,200, 三十五, 2万.
func inNumber(r rune) bool {
	return pipeline.IsDigit(r) || strings.ContainsRune(".,．，%％-—~～〇零一二两三四五六七八九十百千万亿", r)
}

// endsSentence reports whether r ends a sentence: 。！？!?；;…
func endsSentence(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '；', ';', '…':
		return true
	}
	return false
}

// closesSentence reports whether r, after the end of a sentence, still belongs to it: a closing
// quote or bracket, or more of the ending punctuation (”’」』）)…。！？!?).
func closesSentence(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '…', '。', '！', '？', '!', '?':
		return true
	}
	return false
}
