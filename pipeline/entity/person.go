package entity

import (
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// People are read from the segmenter's person tags (nr, nrfg, nrt), from a surname followed
// by a one- or two-character given name that segmentation left in pieces (赵/碧/莹), and from
// transliterated names joined by · (穆罕默德·拉斐克·塔拉尔). A name of three characters or
// more that starts with a surname, or a transliteration of three or more, stands by itself;
// a shorter or built name needs a cue beside it (记者, a title, 说, 同志, 等) or a name beside
// it in a list (江泽民、李鹏、乔石), or the document naming it so elsewhere.

// How much a person candidate needs before it is accepted.
const (
	needCue    = iota // a cue beside it, or a name beside it in a list
	needSecond        // that, or a second mention in the document
	standalone        // nothing
)

type personCand struct {
	i, j int // tokens
	need int
	rule string
	ok   bool // accepted on the sentence's evidence
}

// personCands appends to pcs the person candidates of a sentence, accepting those its own
// evidence supports; Stage counts the others across the document before sentence accepts
// them.
func (r *Recognizer) personCands(s *sentence, pcs []personCand) []personCand {
	toks := s.toks
	// Transliterated names joined by · (or -, as some sites write them: 沙奎尔-奥尼尔), in
	// sentences that hold a dot.
	for i := 0; s.dots && i < len(toks); i++ {
		if !r.foreignPart(&toks[i]) {
			continue
		}
		j := i + 1
		for j+1 < len(toks) && isDot(s.word(&toks[j])) && s.adjacent(j-1, j) && s.adjacent(j, j+1) && r.foreignPart(&toks[j+1]) {
			j += 2
		}
		if j > i+1 {
			pcs = append(pcs, personCand{i: i, j: j, need: standalone, rule: "person.dot"})
			i = j - 1
		}
	}
	// Tokens that are names by their tags, or beside a cue.
	for i := 0; s.shapes&shNamed != 0 && i < len(toks); i++ {
		if toks[i].shape&shNamed == 0 { // mayBeNamed
			continue
		}
		if p, ok := r.tokenCand(s, i); ok {
			pcs = append(pcs, p)
		}
	}
	// A surname token followed by a given name in one or two pieces.
	for i := 0; s.shapes&shSurname != 0 && i < len(toks); i++ {
		t := &toks[i]
		if t.shape&shSurname == 0 {
			continue // not a Han surname of one or two characters alone
		}
		sl := int(t.sl)
		// A surname that is also a word (高, 于) builds a name only where the segmenter
		// tagged it one, or beside a cue (史大桢、高/a 严/a、石秀诗).
		weak := sl < 0 && t.Tag != tagNR
		if t.n() == 1 && !(t.Tag == tagNR || nameChar(t) || t.Tag == tagQ || t.Tag == tagR) {
			continue
		}
		j := i + 1
		if j >= len(toks) || !s.adjacent(i, j) {
			continue
		}
		g := &toks[j]
		switch {
		case g.n() == 1 && r.givenChar(g):
			k := j + 1
			if k < len(toks) && s.adjacent(j, k) && r.givenChar(&toks[k]) && t.n() == 1 {
				need := needSecond
				if g.Tag == tagNR && toks[k].Tag == tagNR {
					need = standalone
				}
				if weak {
					need = needCue
				}
				pcs = append(pcs, personCand{i: i, j: k + 1, need: need, rule: "person.surname"})
			} else if k < len(toks) && s.adjacent(j, k) && t.n() == 1 && r.lastChar(&toks[k]) && (k+1 == len(toks) || !toks[k+1].han()) {
				// 副部长吴/nr 建/v 常/d ，: before punctuation the last character may be any.
				pcs = append(pcs, personCand{i: i, j: k + 1, need: needCue, rule: "person.surname"})
			}
			// Two single characters are a name only where the segmenter read one in them
			// (孔/nr 玲/nr) or a cue says so; 冷/链 twice is no name.
			need := needSecond
			if weak || t.Tag != tagNR && g.Tag != tagNR {
				need = needCue
			}
			pcs = append(pcs, personCand{i: i, j: j + 1, need: need, rule: "person.surname"})
		case g.n() == 2 && g.han() && t.n() == 1 && !g.is(bNotEntity) && !g.is(bAfter) && !g.is(bTitle) && !g.is(bPlace):
			switch g.Tag {
			case tagNR:
				need := needSecond
				if weak {
					need = needCue
				}
				pcs = append(pcs, personCand{i: i, j: j + 1, need: need, rule: "person.surname"})
			case tagN, tagNG, tagNZ, tagA, tagV, tagVN, tagNS, tagNRT, tagJ:
				pcs = append(pcs, personCand{i: i, j: j + 1, need: needCue, rule: "person.surname"})
			}
		}
	}
	// A surname and a character the segmenter read as one word, then the last character of
	// the given name (曹金/nr 良/a, 刘子/nr 富/nr).
	for i := 0; s.shapes&shSurnameWord != 0 && i+1 < len(toks); i++ {
		if toks[i].shape&shSurnameWord == 0 {
			continue // tested again below
		}
		t, g := &toks[i], &toks[i+1]
		// (The token's own fields first: its tag is one more visit to memory.)
		if t.n() != 2 || !t.han() || t.sl != 1 || g.n() != 1 || !g.han() || t.Tag != tagNR || !s.adjacent(i, i+1) || t.is(bNotEntity) {
			continue
		}
		switch {
		case r.givenChar(g):
			pcs = append(pcs, personCand{i: i, j: i + 2, need: needSecond, rule: "person.surname"})
		case r.lastChar(g) && (i+2 == len(toks) || !toks[i+2].han()):
			// 记者张玉/nr 来/v at the end of the line: the last character may be any.
			pcs = append(pcs, personCand{i: i, j: i + 2, need: needCue, rule: "person.surname"})
		case g.Tag == tagD || g.Tag == tagV || g.Tag == tagA:
			pcs = append(pcs, personCand{i: i, j: i + 2, need: needCue, rule: "person.surname"}) // 副部长 吴建/nr 常/d
		}
	}
	// Foreign names the segmenter cut into single characters: tagged nr (帕/nr 蓬/nr), or
	// transliterating characters beside a cue (主席 列/v 希/v).
	for i := 0; s.shapes&shForeign != 0 && i < len(toks); i++ {
		if toks[i].shape&shForeign == 0 {
			continue // (the run below would be empty)
		}
		j, nr := i, true
		// Han characters that transliterate, one a token, none a function character.
		for j < len(toks) && toks[j].shape&shForeign != 0 && (j == i || s.adjacent(j-1, j)) {
			nr = nr && toks[j].Tag == tagNR
			j++
		}
		if j-i >= 2 && j-i <= 4 && toks[i].sl == 0 {
			need := needCue
			if nr {
				need = needSecond
			}
			pcs = append(pcs, personCand{i: i, j: j, need: need, rule: "person.foreign"})
		}
		if j > i {
			i = j - 1
		}
	}
	// Cues, then lists: a name beside an accepted one across 、 is accepted.
	for k := range pcs {
		// 等 after a word the segmenter did not tag as a name ends lists of anything
		// (梭子蟹、金枪鱼等).
		p := pcs[k]
		pcs[k].ok = p.need == standalone || r.cued(s, p.i, p.j, p.rule != "person.cue")
	}
	acceptListed(pcs, toks)
	return pcs
}

// mayBeNamed reports whether tokenCand may find a candidate in a token, from the token's
// fields alone: a Han token of two characters or more that the files do not name otherwise,
// tagged as a person or, when not, starting with a surname or transliterating (the cases of
// tokenCand for the other tags). Most tokens are turned away here, before nameLike's look at
// their characters and words.
func mayBeNamed(t *tok) bool {
	sl := int32(t.sl)
	if sl < 0 {
		sl = -sl
	}
	given := t.n() - sl
	return t.han() && t.n() >= 2 && t.wb&(bNotEntity|bPlace|bOrg) == 0 &&
		(sl != 0 && given >= 1 && given <= 2 || t.n() <= 4 && t.translit() || isPersonTag(t.Tag))
}

// tokenCand returns the candidate token i of a sentence is, alone or with a bound character
// beside it, when it is one: a word the segmenter tagged as a person (nr, nrfg, nrt), or one
// it tagged otherwise that starts with a surname or transliterates (何方/r, 邱娥国/ns,
// 外长 利维/n).
func (r *Recognizer) tokenCand(s *sentence, i int) (personCand, bool) {
	toks := s.toks
	t := &toks[i]
	if !t.han() || t.n() < 2 || t.is(bNotEntity|bPlace|bOrg) || !r.nameLike(s, t) {
		return personCand{}, false
	}
	sl := int(t.sl)
	given := int(t.n()) - abs(sl)
	switch {
	case isPersonTag(t.Tag):
		switch {
		case sl != 0 && given >= 1 && given <= 2:
			// A two-character word tagged nr is as often a word (田野, 高峰) as a name.
			need := needCue
			if given == 2 {
				need = standalone
			}
			return personCand{i: i, j: i + 1, need: need, rule: "person.pos"}, true
		case t.translit():
			// 里/zg 弗斯/nrt: a bound character the segmenter left beside the name.
			a, b := i, i+1
			if a > 0 && s.adjacent(a-1, a) && r.boundTranslit(&toks[a-1]) {
				a--
			}
			if b < len(toks) && s.adjacent(b-1, b) && r.boundTranslit(&toks[b]) {
				b++
			}
			need := needCue
			if t.n() >= 3 || b-a > 1 {
				need = standalone
			}
			return personCand{i: a, j: b, need: need, rule: "person.foreign"}, true
		case t.Tag == tagNRT && t.n() >= 3:
			return personCand{i: i, j: i + 1, need: standalone, rule: "person.foreign"}, true
		case t.n() == 2 && strings.ContainsRune("小老", t.first) && r.surnameLen(lastRunes(s.word(t), 1)) != 0:
			return personCand{i: i, j: i + 1, need: needSecond, rule: "person.pos"}, true // 小王, 老闫
		case t.n() <= 4:
			return personCand{i: i, j: i + 1, need: needCue, rule: "person.pos"}, true
		}
	default:
		// A name the segmenter tagged otherwise (何方/r, 邱娥国/ns, 刘澜涛/n) is one
		// when a cue says so.
		switch {
		case sl != 0 && given >= 1 && given <= 2 && t.n() >= 3 && (t.Tag == tagN || t.Tag == tagNS || t.Tag == tagNZ || t.Tag == tagV),
			sl > 0 && given == 1 && (t.Tag == tagNS || t.Tag == tagNZ || t.Tag == tagR):
			return personCand{i: i, j: i + 1, need: needCue, rule: "person.cue"}, true
		case t.n() <= 4 && t.translit() && (t.Tag == tagN || t.Tag == tagNZ || t.Tag == tagNS || t.Tag == tagJ) &&
			i > 0 && s.adjacent(i-1, i) && r.titleEnd(s.word(&toks[i-1])):
			return personCand{i: i, j: i + 1, need: standalone, rule: "person.cue"}, true // 外长 利维/n
		}
	}
	return personCand{}, false
}

// listScan is the most candidates acceptListed compares with each other; past it, it looks
// up the few that can stand beside a candidate.
const listScan = 64

// acceptListed accepts, in two passes, a candidate that stands beside an accepted one across
// a 、 (either side). Comparing every candidate with every other was quadratic: a sentence of
// a hundred thousand candidates (a 6 MB file without punctuation) took a minute; a long
// sentence's neighbours are looked up by where candidates start and end instead, with the
// same result.
func acceptListed(pcs []personCand, toks []tok) {
	if len(pcs) <= listScan {
		acceptListedScan(pcs, toks)
	} else {
		acceptListedIndexed(pcs, toks)
	}
}

// acceptListedScan is acceptListed comparing every candidate with every other.
func acceptListedScan(pcs []personCand, toks []tok) {
	for pass := 0; pass < 2; pass++ {
		for k, p := range pcs {
			if p.ok {
				continue
			}
			for m, q := range pcs {
				if q.ok && m != k && (q.j+1 == p.i && listSep(&toks[q.j]) || p.j+1 == q.i && listSep(&toks[p.j])) {
					pcs[k].ok = true
					break
				}
			}
		}
	}
}

// acceptListedIndexed is acceptListed looking up the candidates that end or start at the
// separator beside each one.
func acceptListedIndexed(pcs []personCand, toks []tok) {
	byStart := make(map[int][]int, len(pcs))
	byEnd := make(map[int][]int, len(pcs))
	for m, q := range pcs {
		byStart[q.i] = append(byStart[q.i], m)
		byEnd[q.j] = append(byEnd[q.j], m)
	}
	accepted := func(k int, ms []int) bool {
		for _, m := range ms {
			if m != k && pcs[m].ok {
				return true
			}
		}
		return false
	}
	for pass := 0; pass < 2; pass++ {
		for k, p := range pcs {
			if p.ok {
				continue
			}
			// One that ends at the separator before p, or starts after the one after p.
			if p.i >= 1 && listSep(&toks[p.i-1]) && accepted(k, byEnd[p.i-1]) ||
				p.j < len(toks) && listSep(&toks[p.j]) && accepted(k, byStart[p.j+1]) {
				pcs[k].ok = true
			}
		}
	}
}

// persons offers the accepted person candidates of a sentence: those its own evidence
// supports, and those the document mentions twice (seen counts, over every candidate, the
// texts of those that need a second mention).
func (r *Recognizer) persons(s *sentence, seen map[string]int, add func(i, j int, kind, rule string, rank int, norm string)) {
	for _, p := range s.persons {
		if p.ok || p.need == needSecond && seen[s.text(p.i, p.j)] >= 2 {
			add(p.i, p.j, Person, p.rule, rankPerson, "")
		}
	}
}

// isPersonTag reports whether a part of speech is one of the segmenter's person tags.
func isPersonTag(g pipeline.Tag) bool { return g == tagNR || g == tagNRFG || g == tagNRT }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// firstRune returns the first character of s, as []rune(s)[0] does.
func firstRune(s string) rune {
	c, _ := utf8.DecodeRuneInString(s)
	return c
}

// nameLike reports whether a word the segmenter tags as a name may be one: it does not end
// with a character names do not end with (李宁牌, 印尼盾), is not a surname and a title
// or form of address (孙先生, 朱师傅, 华大使), nor a people (科威特人). t is a Han token.
func (r *Recognizer) nameLike(s *sentence, t *tok) bool {
	// t is Han, so its text is UTF-8 and its last character (t.last) is the last decoded.
	if r.chars.has(t.last, charNotLast) {
		return false
	}
	if sl := abs(int(t.sl)); sl > 0 && sl < int(t.n()) {
		rest := s.word(t)[len(firstRunes(s.word(t), sl)):]
		if r.listBits(rest)&(bTitle|bAfter|bBefore) != 0 {
			return false
		}
	}
	return true
}

// lastChar reports whether a one-character token may end a name that punctuation or the end
// of the line closes. (A Han token of one character is its first, which is looked up.)
func (r *Recognizer) lastChar(t *tok) bool {
	return t.n() == 1 && t.han() && !inSet(t.first, setStrictFunction) && !t.is(bAfter) && !t.is(bTitle)
}

// strictFunction are the characters that never end a name, even at the end of a line.
const strictFunction = "的了在是和与及或等也都就又还而从向对把被给让由为以于之其这那此着过吗呢吧啊"

// listSep reports whether a token separates the names of a list (江泽民、李鹏): its word is
// 、, the three bytes fill read it from.
func listSep(t *tok) bool { return t.first == '、' && t.To-t.From == len32("、") }

// len32 is len(s) as an int32, for comparing with a token's offsets.
func len32(s string) int32 { return int32(len(s)) }

func isDot(s string) bool {
	return s == "·" || s == "・" || s == "•" || s == "‧" || s == "." || s == "-" || s == "－"
}

// isDotRune is isDot for a token of one character c, read by fill: a text that is one
// character is a dot exactly when the character is (U+FFFD, for bytes that are no UTF-8, is
// none).
func isDotRune(c rune) bool {
	switch c {
	case '·', '・', '•', '‧', '.', '-', '－':
		return true
	}
	return false
}

// boundTranslit reports whether a one-character token is a transliterating character the
// segmenter could not read as a word of its own (里/zg).
func (r *Recognizer) boundTranslit(t *tok) bool {
	return t.n() == 1 && t.han() && (t.Tag == tagZG || t.Tag == tagNG || t.Tag == tagG) && r.chars.has(t.first, charTranslit)
}

// foreignPart reports whether a token may be one part of a name joined by ·.
func (r *Recognizer) foreignPart(t *tok) bool {
	if !t.han() || t.n() < 1 {
		return false
	}
	switch t.Tag {
	case tagNR, tagNRT, tagNRFG:
		return true
	}
	return t.n() >= 2 && t.translit()
}

// surnameLen returns the length of the surname a name starts with: 1 or 2 (欧阳), negative
// when the surname is also an everyday word (高, 于), 0 when it starts with none.
func (r *Recognizer) surnameLen(name string) int {
	c, size := utf8.DecodeRuneInString(name)
	return r.surnameLenAt(name, c, size)
}

// surnameLenAt is surnameLen for a name whose first character, c of size bytes, is read.
func (r *Recognizer) surnameLenAt(name string, c rune, size int) int {
	if size == 0 || c == utf8.RuneError && size == 1 {
		return r.surnameLenBytes(name) // as firstChar: no character
	}
	f := r.chars.flags(c)
	if rest := name[size:]; rest != "" && f&charSurname2 != 0 {
		if two := firstRunes(name, 2); len(two) < len(name) && r.listWord(two).surname {
			return 2
		}
	}
	switch {
	case f&charAmbiguous != 0:
		return -1
	case f&charSurname != 0:
		return 1
	}
	return 0
}

// surnameLenBytes is surnameLen for a name that does not start with a character (bytes
// that are no UTF-8, or nothing), which only the files' own strings can match.
func (r *Recognizer) surnameLenBytes(name string) int {
	if two := firstRunes(name, 2); len(two) < len(name) && r.listWord(two).surname {
		return 2
	}
	one := firstRunes(name, 1)
	switch {
	case r.listWord(one).ambiguous:
		return -1
	case r.listWord(one).surname:
		return 1
	}
	return 0
}

// transliterated reports whether every character of s is one that transliterates foreign
// names.
func (r *Recognizer) transliterated(s string) bool {
	for _, c := range s {
		if !r.chars.has(c, charTranslit) {
			return false
		}
	}
	return true
}

// givenChar reports whether a one-character token may be (part of) a given name.
func (r *Recognizer) givenChar(t *tok) bool {
	return nameChar(t) && !t.is(bAfter) && !t.is(bTitle) && !r.chars.has(t.first, charNotLast)
}

// cued reports whether tokens [i, j) have a person cue beside them: a word before (记者,
// 总理, 国家主席) or after (说, 同志, 总理, and 等 when deng is true).
func (r *Recognizer) cued(s *sentence, i, j int, deng bool) bool {
	if i > 0 {
		p := &s.toks[i-1]
		if p.is(bBefore) || r.titleEnd(s.word(p)) || p.n() >= 2 && p.Tag == tagN && r.chars.has(p.last, charBeforeLast) {
			return true
		}
	}
	if j < len(s.toks) {
		n := s.word(&s.toks[j])
		if r.listBits(n)&(bAfter|bTitle) != 0 && (deng || !strings.HasPrefix(n, "等")) {
			return true
		}
		// 王鸿举 副 市长
		if j+1 < len(s.toks) && strings.Contains("副代前原", n) && r.titleEnd(s.word(&s.toks[j+1])) {
			return true
		}
		// 姜雁（左）: a photograph's caption.
		if j+2 < len(s.toks) && (n == "（" || n == "(") && strings.Contains("左右中", s.word(&s.toks[j+1])) {
			return true
		}
	}
	return false
}

// titleEnd reports whether a word is or ends with a title (副总理, 国家主席, 外交部长).
func (r *Recognizer) titleEnd(w string) bool {
	if r.listBits(w)&bTitle != 0 {
		return true
	}
	n := len([]rune(w))
	for k := 2; k < n && k <= 4; k++ {
		if r.listBits(lastRunes(w, k))&bTitle != 0 {
			return true
		}
	}
	return false
}

// Where a sentence stands, for credit lines.
type place struct {
	line     bool // the sentence is a whole line of the page
	index    int  // its position in its article
	lastLine bool // it is the article's last sentence
}

// credits reads the names of credit lines, which name their authors without a cue: names in
// brackets ((赵亚光摄), (江涛、曹斌), 世纪之声（中国画）（张彦）) and lines of names alone at
// the end or under the headline of an article (潘跃王萍, 李瑛). Names are cut where each
// starts with a surname, preferring common surnames and the segmenter's word boundaries;
// spaces and 、 always cut.
func (r *Recognizer) credits(s *sentence, at place) []cand {
	toks := s.toks
	var out []cand
	whole := false
	for i := 0; s.shapes&shBracket != 0 && i < len(toks); i++ {
		if toks[i].shape&shBracket == 0 { // the text is （ or (
			continue
		}
		j := i + 1
		for j < len(toks) && s.word(&toks[j]) != "）" && s.word(&toks[j]) != ")" && s.word(&toks[j]) != "（" {
			j++
		}
		if j == len(toks) || s.word(&toks[j]) == "（" {
			continue
		}
		all := i == 0 && j == len(toks)-1
		whole = whole || all
		out = append(out, r.names(s, i+1, j, !all)...)
		i = j
	}
	if whole || !at.line {
		return out
	}
	// A line of names alone: several names anywhere, one name under the headline or at
	// the end of the article.
	names := r.names(s, 0, len(toks), true)
	if len(names) >= 2 || len(names) == 1 && (at.lastLine || at.index >= 1 && at.index <= 2) {
		out = append(out, names...)
	}
	return out
}

// names cuts tokens [i, j) into names, or returns none when they are not names alone. With
// strict, every name must start with a surname that is not also a word.
func (r *Recognizer) names(s *sentence, i, j int, strict bool) []cand {
	toks := s.toks
	if j > i && s.word(&toks[j-1]) == "摄" {
		j--
	}
	type char struct {
		r          rune
		pos        int
		start, end bool         // a token starts before it, ends after it
		gap        bool         // a space or 、 before it
		tag        pipeline.Tag // its token's part of speech
	}
	// Names alone are at most 16 characters: more end the search, so the characters fit in
	// an array (on the stack) however long the sentence.
	const most = 16
	var buf [most + 1]char
	cs := buf[:0]
	gap := false
	for k := i; k < j; k++ {
		t := &toks[k]
		if s.word(t) == "、" || s.word(t) == "，" {
			gap = true
			continue
		}
		if !t.han() || strings.ContainsRune(s.word(t), '·') {
			return nil
		}
		if strict && t.n() >= 2 && (t.is(bPlace) || t.is(bOrg) || t.is(bNotEntity)) {
			return nil
		}
		if len(cs)+int(t.n()) > most {
			return nil
		}
		x := 0
		for _, c := range s.word(t) {
			cs = append(cs, char{r: c, pos: int(t.Start) + x, start: x == 0, end: x == int(t.n())-1, gap: x == 0 && (gap || k > i && !s.adjacent(k-1, k)), tag: t.Tag})
			x++
		}
		gap = false
	}
	n := len(cs)
	if n < 2 {
		return nil
	}
	// best[k]: the best score of cutting cs[:k] into names; from[k]: where the last began.
	const none = -1 << 30
	var bestBuf, fromBuf [most + 1]int
	best, from := bestBuf[:n+1], fromBuf[:n+1]
	for k := 1; k <= n; k++ {
		best[k] = none
	}
	for k := 0; k < n; k++ {
		if best[k] == none {
			continue
		}
		for l := 2; l <= 4 && k+l <= n; l++ {
			var nameBuf [4]rune
			name := nameBuf[:l]
			cut := false
			for x := 0; x < l; x++ {
				name[x] = cs[k+x].r
				cut = cut || x > 0 && cs[k+x].gap
			}
			if cut {
				break
			}
			sl := r.surnameLen(string(name))
			if sl == 0 || l-abs(sl) < 1 || l-abs(sl) > 2 || r.chars.has(name[l-1], charNotLast) {
				continue
			}
			sc := 3
			word := cs[k].start && cs[k+l-1].end // the segmenter's own word
			if sl < 0 {
				// 江涛/nr: a surname that is also a word, where the segmenter read a name.
				if strict && !(word && cs[k].tag == tagNR) {
					continue
				}
				sc = 1
			}
			if word {
				sc++
			}
			if best[k]+sc > best[k+l] {
				best[k+l], from[k+l] = best[k]+sc, k
			}
		}
	}
	if best[n] == none {
		return nil
	}
	var out []cand
	for k := n; k > 0; k = from[k] {
		f := from[k]
		if cs[k-1].pos-cs[f].pos != k-f-1 {
			return nil // the characters of one name are not side by side
		}
		name := make([]rune, 0, k-f)
		for x := f; x < k; x++ {
			name = append(name, cs[x].r)
		}
		text := string(name)
		out = append(out, cand{start: cs[f].pos, end: cs[k-1].pos + 1, kind: Person, text: text, norm: text, rule: "person.credit", rank: rankPerson})
	}
	return out
}
