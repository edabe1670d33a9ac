package entity

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// Candidate ranks: between two candidates of the same length, the higher rank wins.
const (
	rankDict    = 90 // a name of the data files
	rankCompose = 70 // a name and a suffix
	rankPerson  = 65
	rankPosNT   = 60 // the segmenter's tags
	rankPosNS   = 55
)

// sentence finds the entities of one sentence that do not overlap taken spans, marks them
// taken and appends them to out. cs is a buffer for the candidates and order one for their
// keys (resolve), which it returns for the next sentence.
func (r *Recognizer) sentence(s *sentence, taken *spans, seen map[string]int, cs []cand, out []found, order []candKey) ([]cand, []found, []candKey) {
	cs = cs[:0]
	add := func(i, j int, kind, rule string, rank int, norm string) {
		text := s.text(i, j)
		if text == "" || r.listBits(text)&bNotEntity != 0 {
			return
		}
		// 新乡/ns 贤: a listed word that the next token completes is no name either.
		if j < len(s.toks) && s.adjacent(j-1, j) && r.listBits(s.str[s.at(i):s.end(j)])&bNotEntity != 0 {
			return
		}
		if norm == "" {
			norm = text
		}
		cs = append(cs, cand{start: int(s.toks[i].Start), end: int(s.toks[j-1].End), kind: kind, text: text, norm: norm, rule: rule, rank: rank})
	}
	cs = append(cs, s.credits...)
	r.dictionary(s, &cs, add)
	r.tagged(s, &cs, add)
	r.persons(s, seen, add)
	r.organisations(s, add)
	r.placesBySuffix(s, add)
	out, order = resolve(s, cs, taken, out, order)
	return cs, out, order
}

// resolve keeps the longest candidates that overlap neither each other nor taken spans, and
// appends them to out.
//
// The candidates are taken in the order of a stable sort: longest first, then highest rank,
// then first in the sentence, then first offered. What is sorted is a key of each (order, a
// buffer for them), not the candidates of 88 bytes.
func resolve(s *sentence, cs []cand, taken *spans, out []found, order []candKey) ([]found, []candKey) {
	order = order[:0]
	for i := range cs {
		c := &cs[i]
		order = append(order, candKey{length: c.end - c.start, rank: c.rank, start: c.start, i: i})
	}
	slices.SortFunc(order, func(a, b candKey) int {
		if a.length != b.length {
			return cmp.Compare(b.length, a.length) // longest first
		}
		if a.rank != b.rank {
			return cmp.Compare(b.rank, a.rank) // then highest rank
		}
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(a.i, b.i) // as a stable sort leaves them
	})
	for _, k := range order {
		c := &cs[k.i]
		if taken.overlaps(c.start, c.end) {
			continue
		}
		taken.add(c.start, c.end)
		out = append(out, found{cand: *c, sent: s.Sentence})
	}
	return out, order
}

// candKey is what resolve sorts a candidate (cs[i]) by.
type candKey struct{ length, rank, start, i int }

// dictionary finds the names of the data files: on token boundaries, or at the start of a
// token whose rest is a word that often follows a place (日本首相, 台湾同胞).
// locatives follow a place and may share its last token: 东海上, 南海中, 太湖边.
const locatives = "上中里边内外畔"

func (r *Recognizer) dictionary(s *sentence, cs *[]cand, add func(i, j int, kind, rule string, rank int, norm string)) {
	for i := 0; s.shapes&shDict != 0 && i < len(s.toks); i++ {
		if s.toks[i].shape&shDict == 0 {
			// A token that is no name nor the start of one and, when Han, no place prefix
			// and more, and starts no word of three characters or more: every search below
			// ends at its first test.
			continue
		}
		n := 0
		for j := i + 1; j <= len(s.toks); j++ {
			if j > i+1 && !s.adjacent(j-2, j-1) {
				break
			}
			n += int(s.toks[j-1].n())
			if n > r.maxName {
				break
			}
			h := hit{i: s.toks[i].wi, b: s.toks[i].wb} // the text of token i alone
			if j > i+1 {
				// Where two tokens meet, no word holds their characters side by side:
				// the text is no word (nor the start of one).
				if !r.mayJoin(s, j-2, j-1) {
					break
				}
				h = r.find(s.text(i, j), &r.table, &r.pairs, charStartsWord, charWord)
			}
			// The bits answer known and prefix: the word itself is read only for a name.
			if h.b&bKnown == 0 {
				if h.b&bPrefix == 0 {
					break // no known name starts with text, so none with a longer one
				}
				continue
			}
			w := &r.list[h.i]
			if w.org != "" {
				add(i, j, Organization, "dict.org", rankDict, w.org)
			}
			if w.place != "" {
				add(i, j, Location, "gazetteer", rankDict, w.place)
			}
			if w.person != "" {
				add(i, j, Person, "dict.person", rankDict, w.person)
			}
		}
		t := &s.toks[i]
		// 东/ns 海上/s: a known place that ends one character inside the next token, whose
		// rest is a locative (东海上, 南海中).
		// (Only when a name starts with the token; it is Han, so it ends on a character.)
		// (In a UTF-8 sentence, the rest is the token's last character, which fill read.)
		if u := i + 1; u < len(s.toks) && t.han() && t.is(bPrefix) && s.adjacent(i, u) && s.toks[u].n() == 2 &&
			(s.invalid || strings.ContainsRune(locatives, s.toks[u].last)) {
			head, rest := firstRunes(s.word(&s.toks[u]), 1), lastRunes(s.word(&s.toks[u]), 1)
			// The token's text and head, as a piece of the joined text rather than a new string.
			name := s.str[s.at(i) : s.at(u)+len(head)]
			if strings.Contains(locatives, rest) && r.mayJoin(s, i, u) {
				if full := r.wIf(name, bPlace).place; full != "" {
					*cs = append(*cs, cand{start: int(t.Start), end: int(s.toks[u].Start) + 1, kind: Location, text: name, norm: full, rule: "gazetteer", rank: rankDict})
				}
			}
		}
		if t.n() < 2 || !t.han() {
			continue
		}
		// 原苏联/ns, 在意/v 大利/n: a place after a preposition or a prefix the segmenter
		// joined to it.
		if first := t.first; inSet(first, setPlacePrefix) {
			for j := i + 1; j <= len(s.toks) && j <= i+3; j++ {
				if j > i+1 && !s.adjacent(j-2, j-1) {
					break
				}
				// The token without its first character, and the tokens after it.
				rest := s.str[s.at(i)+utf8.RuneLen(first) : s.end(j-1)]
				if full := r.wIf(rest, bPlace).place; full != "" && (j == i+1 || utf8.RuneCountInString(rest) >= 3) {
					*cs = append(*cs, cand{start: int(t.Start) + 1, end: int(s.toks[j-1].End), kind: Location, text: rest, norm: full, rule: "gazetteer", rank: rankDict})
				}
			}
		}
		// 中共/j 中央政治局常委/nt: a known organisation that ends inside a token whose rest
		// is a word that is none (常委, 大会).
		for j := i + 1; j < len(s.toks) && j <= i+2; j++ {
			if !s.adjacent(j-1, j) {
				break
			}
			// No organisation starts with tokens i to j-1, so none ends inside token j. (They
			// end on a character's boundary when they are Han, as the dictionary's prefixes do.)
			if pre := &s.toks[j-1]; pre.han() {
				if j == i+1 && !t.is(bPrefix) || j > i+1 && (!r.mayJoin(s, j-2, j-1) || r.wBits(s.text(i, j))&bPrefix == 0) {
					break // (token i alone: its bits say)
				}
			}
			u := &s.toks[j]
			if !r.mayJoin(s, j-1, j) {
				continue // no name ends inside u
			}
			for k := int(u.n()) - 1; k >= 1; k-- {
				head := firstRunes(s.word(u), k)
				// Tokens i to j-1 and the head of token j.
				name := s.str[s.at(i) : s.at(j)+len(head)]
				if full := r.wIf(name, bOrg).org; full != "" && r.notName(s.word(u)[len(head):]) {
					*cs = append(*cs, cand{start: int(t.Start), end: int(u.Start) + k, kind: Organization, text: name, norm: full, rule: "dict.org", rank: rankDict})
					break
				}
			}
		}
		// The heads tried below share the token's first two characters: when no word
		// starts with those, none is a word.
		if t.n() < 3 || !r.startsWord2(s.word(t)) {
			continue
		}
		for k := int(t.n()) - 1; k >= 2; k-- {
			head := firstRunes(s.word(t), k)
			hw := r.wIf(head, bOrg|bPlace)
			if full := hw.org; full != "" && r.notName(s.word(t)[len(head):]) {
				// 联合国大会: the organisation, then a word that is none (大会).
				*cs = append(*cs, cand{start: int(t.Start), end: int(t.Start) + k, kind: Organization, text: head, norm: full, rule: "dict.org", rank: rankDict})
				break
			}
			full := hw.place
			if full == "" {
				continue
			}
			rest := s.word(t)[len(head):]
			if strings.HasSuffix(rest, "区") || r.listBits(lastRunes(s.word(t), 1))&bAdmin != 0 {
				continue
			}
			if r.placeTail(rest) || r.wBits(rest)&bPlace != 0 {
				*cs = append(*cs, cand{start: int(t.Start), end: int(t.Start) + k, kind: Location, text: head, norm: full, rule: "gazetteer", rank: rankDict})
				if rfull := r.wIf(rest, bPlace).place; rfull != "" {
					*cs = append(*cs, cand{start: int(t.Start) + k, end: int(t.End), kind: Location, text: rest, norm: rfull, rule: "gazetteer", rank: rankDict})
				}
				break
			}
		}
	}
}

// mayJoin reports whether tokens a and b, side by side, may be pieces of one word of the
// files: when the last character of a and the first of b stand side by side in no word
// (joins), no text that holds both is a word, nor the start of one. Bytes that are no UTF-8
// or an empty token (whose characters a reading of the joined text may cut otherwise) say
// nothing.
func (r *Recognizer) mayJoin(s *sentence, a, b int) bool {
	x, y := &s.toks[a], &s.toks[b]
	return s.invalid || x.n() == 0 || y.n() == 0 || r.joins.has(x.last, y.first)
}

// notName reports whether the rest of a token after an organisation's name is a word that
// is none (大会, 常委).
func (r *Recognizer) notName(rest string) bool {
	return r.listBits(rest)&(bOrgNot|bTitle) != 0
}

// placePrefixes are the characters the segmenter joins to a place name that follows them
// (原苏联, 在意大利).
const placePrefixes = "原前在赴访从到至往抵经于离驻"

// placeTail reports whether rest, left after a place name at the start of a token, is a
// word of its own, as the People's Daily annotation cuts them: 日本 首相, 香港 回归,
// 中国 人, 天津 日报.
func (r *Recognizer) placeTail(rest string) bool {
	if r.listBits(rest)&bTitle != 0 {
		return true
	}
	switch rest {
	case "人", "铢", "籍", "方":
		return true
	}
	return utf8.RuneCountInString(rest) >= 2 && segment.IsWord(rest)
}

// tagged turns the segmenter's place and organisation tags into candidates.
func (r *Recognizer) tagged(s *sentence, cs *[]cand, add func(i, j int, kind, rule string, rank int, norm string)) {
	for i := 0; s.shapes&shTagged != 0 && i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.shape&shTagged == 0 {
			continue // Han, two characters or more, not notEntity, tagged ns or nt
		}
		switch t.Tag {
		case tagNS:
			if !t.is(bOrg) && r.placeLike(s, t) && !r.splitPlace(s, t) {
				add(i, i+1, Location, "pos.ns", rankPosNS, "")
			}
		case tagNT:
			if t.is(bOrgNot) || t.is(bPlace) {
				continue
			}
			if r.facility(s.word(t)) {
				add(i, i+1, Location, "pos.nt", rankPosNT, "")
				continue
			}
			// 克林顿政府/nt: a government named after its head is no organisation's name;
			// the person is one.
			if suf := r.suffixOf(s.word(t)); r.listWord(suf).afterPlace && int(t.n()) > utf8.RuneCountInString(suf) {
				p := firstRunes(s.word(t), int(t.n())-utf8.RuneCountInString(suf))
				if pw := r.w(p); pw.place == "" {
					if pw.person != "" || utf8.RuneCountInString(p) >= 2 && r.transliterated(p) {
						*cs = append(*cs, cand{start: int(t.Start), end: int(t.Start) + utf8.RuneCountInString(p), kind: Person, text: p, norm: p, rule: "person.pos", rank: rankPerson})
					}
					continue
				}
			}
			if !r.orgHead(s, t) && !t.is(bOrg) && !r.placePrefix(s.word(t)) {
				continue // 中美关系, 全党全国
			}
			add(i, i+1, Organization, "pos.nt", rankPosNT, "")
		}
	}
}

// abbreviations are the one-character names of countries that join into words the segmenter
// tags as places (中俄, 中日韩, 美英) but that name no place.
const abbreviations = "中美英法德日俄韩朝巴印越泰苏欧亚非澳加意西葡荷比瑞挪芬丹波捷匈罗保南蒙老柬缅菲马新以埃伊叙黎约沙土希"

// placeLike reports whether a word the segmenter tagged as a place looks like one: known
// to the gazetteer, ending in a character places end with (城, 岭, 港), or transliterated
// and three characters long or more (马那瓜); not a run of country abbreviations (中俄), not
// starting with a numeral or a determiner (两湖, 各国).
func (r *Recognizer) placeLike(s *sentence, t *tok) bool {
	if t.is(bPlace) { // (the token's word: r.w(s.word(t)))
		return true
	}
	w := s.word(t)
	rs := []rune(w)
	if strings.ContainsRune("两各全本该每我贵诸这那此其一二三四五六七八九十几多", rs[0]) {
		return false
	}
	abbr := true
	for _, c := range rs {
		abbr = abbr && strings.ContainsRune(abbreviations, c)
	}
	if abbr {
		return false
	}
	if len(rs) == 2 && (strings.ContainsRune(genericFirst, rs[0]) || r.chars.has(rs[0], charPlaceFinal) && r.chars.has(rs[1], charPlaceFinal)) {
		return false // 上门, 大港, 海峡, 池塘
	}
	return r.chars.has(rs[len(rs)-1], charPlaceFinal) || len(rs) >= 3 && r.transliterated(w)
}

// genericFirst are characters that start everyday two-character words the segmenter tags
// as places (上岛, 新村, 南国, 旧城) more often than names.
const genericFirst = "上下大小新旧东西南北前后内外老千如之开落治高深长远近"

// splitPlace reports whether a word the segmenter tagged as one place is a known place and
// a word the annotation cuts off (中国香港, 天安门城楼, 西欧各国).
func (r *Recognizer) splitPlace(s *sentence, t *tok) bool {
	if t.is(bPlace) {
		return false
	}
	w := s.word(t)
	n := utf8.RuneCountInString(w)
	for k := n - 1; k >= 2; k-- {
		head := firstRunes(w, k)
		if r.wBits(head)&bPlace == 0 {
			continue
		}
		rest := w[len(head):]
		if strings.HasSuffix(rest, "区") || r.listBits(lastRunes(w, 1))&bAdmin != 0 {
			continue // 吕梁山区, 马里兰州
		}
		if r.wBits(rest)&bPlace != 0 || r.placeTail(rest) {
			return true
		}
	}
	return false
}

// placePrefix reports whether a word starts with a place of the gazetteer (中国民航).
func (r *Recognizer) placePrefix(w string) bool {
	n := utf8.RuneCountInString(w)
	for k := n - 1; k >= 2; k-- {
		if r.wBits(firstRunes(w, k))&bPlace != 0 {
			return true
		}
	}
	return false
}

// facility reports whether a name ends in a building or site suffix (北京音乐厅).
func (r *Recognizer) facility(text string) bool {
	if !r.endsSuffix(text) || !r.endsPair(text, &r.facilityPairs) {
		return false
	}
	n := utf8.RuneCountInString(text)
	for k := min(n, r.maxSuffix); k >= 2; k-- {
		if r.listIf(lastRunes(text, k), bPlaceSuffix).placeSuffix == "facility" {
			return true
		}
	}
	return false
}

// functionChars never start or continue a name built from single characters.
const functionChars = "的了在是和与及或等也都就又还而从向对把被给让由为以于之其这那此各每该本我你他她它们个只位名说讲问曰年月日时分秒天人里上下中内外前后来去到将要会能可已不没无很最更太再并且但却则如若因所着过吗呢吧啊第一二三四五六七八九十百千万亿零两几多余全某诸摄副原新老"

// isFunctionChar reports whether a Han token is one of functionChars: its one character is
// looked up in a table. (Its callers ask of Han tokens alone; of any other it says no.)
func isFunctionChar(t *tok) bool {
	return t.n() == 1 && t.han() && inSet(t.first, setFunction)
}

// nameChar reports whether a one-character token may be part of a name built from single
// characters (横/溪/村, 赵/碧/莹).
func nameChar(t *tok) bool {
	if t.n() != 1 || !t.han() || isFunctionChar(t) {
		return false
	}
	switch t.Tag {
	case tagP, tagC, tagU, tagUJ, tagUL, tagUZ, tagUG, tagUV, tagUD, tagR, tagD, tagM, tagQ, tagX, tagY, tagE, tagO, tagF:
		return false
	}
	return true
}

// placeChar is nameChar for the pieces of place and organisation names, which are not verbs
// (占 全区, 新华社 发 美联社). (A Han token of one character is its first.)
func placeChar(t *tok) bool {
	return nameChar(t) && t.Tag != tagV && t.Tag != tagVN && t.Tag != tagVD && t.first != '大' && t.first != '小'
}

// proper reports whether a token is a name by its tag or by the data files.
func (r *Recognizer) proper(s *sentence, t *tok) bool {
	if !t.han() || t.is(bNotEntity) {
		return false
	}
	if t.is(bPlace) || t.is(bOrg) {
		return true
	}
	switch t.Tag {
	case tagNS:
		return t.n() == 1 || r.placeLike(s, t)
	case tagNT, tagNR, tagNRT, tagNRFG, tagNZ:
		return t.n() >= 2
	case tagJ:
		return t.n() == 1
	}
	return false
}
