package entity

import (
	"strings"
	"unicode/utf8"
)

// Organisations end in a suffix (org_suffixes.txt) and start with a name: a place, a known or
// tagged organisation, a person, or characters that segmentation left single. Between them
// may stand nouns (江苏 大学 流体 机械 温岭 研究院), ordinals (杭州 第八 中学) and 驻
// (中国 驻 南非 大使馆). A local body's short form, an administrative level and one to three
// single characters before the suffix (市 经 信 局, 市妇联), is one too.

// adminChars are the administrative levels a local body's short form starts with.
const adminChars = "省市县区镇乡州"

func (r *Recognizer) organisations(s *sentence, add func(i, j int, kind, rule string, rank int, norm string)) {
	toks := s.toks
	for h := 0; s.shapes&shOrgEnd != 0 && h < len(toks); h++ {
		t := &toks[h]
		if t.shape&shOrgEnd == 0 {
			continue // not Han, or no suffix ends it: no organisation's head (orgHead)
		}
		if !r.orgHead(s, t) || r.facility(s.word(t)) {
			continue // a building or site is a place (中国美术馆, 体育中心)
		}
		// 中国交响乐团/n: a place and a name in one token.
		if t.n() >= 4 && t.Tag != tagNT && !t.is(bOrg) && r.strongEnd(s.word(t)) {
			for k := int(t.n()) - 2; k >= 2; k-- {
				if r.wBits(firstRunes(s.word(t), k))&bPlace != 0 {
					add(h, h+1, Organization, "org.suffix", rankCompose, "")
					break
				}
			}
		}
		// 市妇联: a level and a local body in one token.
		if t.n() >= 3 && inSet(t.first, setAdmin) && r.listIf(s.word(t)[utf8.RuneLen(t.first):], bOrgLocal).orgLocal {
			add(h, h+1, Organization, "org.local", rankCompose, "")
			continue
		}
		// A head that is an organisation already (外交部, 国务院) takes places and names
		// before it (中国国务院), not another organisation (党中央 国务院).
		complete := t.Tag == tagNT || t.is(bOrg)
		left, leftmost := h, -1
		chars := int(t.n())
		for k := h - 1; k >= 0 && h-k <= 7; k-- {
			u := &toks[k]
			if !s.adjacent(k, k+1) || !r.orgPart(s, u) || complete && (u.Tag == tagNT || u.is(bOrg)) {
				break
			}
			chars += int(u.n())
			if chars > 24 {
				break
			}
			left = k
			if r.proper(s, u) {
				leftmost = k
			}
		}
		// 国家 starts a name when a word stands between it and the suffix (国家 验收 委员会,
		// not 国家 银行).
		if leftmost < 0 {
			for k := left; k < h-1; k++ {
				if s.word(&toks[k]) == "国家" {
					leftmost = k
					break
				}
			}
		}
		// 第九届 全国人民代表大会: an ordinal before an organisation.
		if leftmost < 0 && complete && !t.is(bOrgNot) && h > 0 && s.adjacent(h-1, h) && toks[h-1].Tag == tagM && strings.HasPrefix(s.word(&toks[h-1]), "第") && ordinal(s.word(&toks[h-1])) {
			add(h-1, h+1, Organization, "org.suffix", rankCompose, "")
			continue
		}
		if leftmost >= 0 {
			start := leftmost
			// 利/n 欧/ns 股份: single characters before a one-character name.
			for toks[leftmost].n() == 1 && start-1 >= left && start > leftmost-2 && placeChar(&toks[start-1]) {
				start--
			}
			if r.listWord(r.suffixOf(s.word(t))).afterPlace && !r.placeWord(&toks[start]) {
				continue // 克林顿 政府 is no organisation's name
			}
			if r.listWord(r.suffixOf(s.word(t))).orgTrade && h-start == 1 && r.placeWord(&toks[start]) {
				continue // 温岭 泵业 is an industry
			}
			if r.facility(s.text(start, h+1)) {
				add(start, h+1, Location, "place.suffix", rankCompose, "") // 成都 体育 中心
			} else {
				add(start, h+1, Organization, "org.suffix", rankCompose, "")
			}
			continue
		}
		// 市 经 信 局, 市 第三 中学: a level, then an abbreviation or an ordinal, then the suffix.
		for a := left; a < h; a++ {
			if toks[a].n() != 1 || !strings.Contains(adminChars, s.word(&toks[a])) {
				continue
			}
			n := h - a - 1
			all := n >= 1 && n <= 3 || n == 0 && t.is(bOrgLocal) // 市 统计局
			for k := a + 1; k < h && all; k++ {
				all = placeChar(&toks[k]) || n == 1 && toks[k].Tag == tagM && ordinal(s.word(&toks[k]))
			}
			if all {
				add(a, h+1, Organization, "org.local", rankCompose, "")
			}
			break
		}
	}
}

// suffixOf returns the longest organisation suffix a word ends with.
func (r *Recognizer) suffixOf(w string) string {
	if !r.endsSuffix(w) {
		return ""
	}
	k := min(utf8.RuneCountInString(w), r.maxSuffix)
	if !r.endsSuffix2(w) {
		k = min(k, 1)
	}
	for ; k >= 1; k-- {
		if suf := lastRunes(w, k); r.listBits(suf)&bOrgSuffix != 0 {
			return suf
		}
	}
	return ""
}

// isOrgSuffix reports whether a word is an organisation suffix, strong or weak.
func isOrgSuffix(w *word) bool { return w.orgStrong || w.orgWeak }

// orgHead reports whether a token ends an organisation's name: it is or ends with a strong
// suffix (公司, 航空公司), is a weak one (局), or ends with one and is a noun of three
// characters or more (电管局).
func (r *Recognizer) orgHead(s *sentence, t *tok) bool {
	if t.is(bOrgNot) && !r.strongEnd(s.word(t)) {
		return false // 音乐会
	}
	if t.n() >= 3 && inSet(t.first, setDeterminer) {
		return false // 各级党委, 该市政府: a determiner and a suffix make no name
	}
	if t.is(bOrgSuffix) {
		return true
	}
	if !r.chars.has(t.last, charEndsSuffix) { // endsSuffix
		return false
	}
	if r.tokEndsSuffix2(s, t) {
		for k := min(int(t.n())-1, r.maxSuffix); k >= 2; k-- {
			if r.listIf(lastRunes(s.word(t), k), bOrgSuffix).orgStrong {
				return true
			}
		}
	}
	if t.n() >= 3 {
		switch t.Tag {
		case tagN, tagNT, tagNZ, tagJ, tagNR:
			for k := min(int(t.n())-1, 2); k >= 1; k-- {
				if r.listIf(lastRunes(s.word(t), k), bOrgSuffix).orgWeak {
					return true
				}
			}
		}
	}
	return false
}

// strongEnd reports whether a word is or ends with a strong suffix.
func (r *Recognizer) strongEnd(w string) bool {
	if !r.endsSuffix(w) || !r.endsSuffix2(w) {
		return false
	}
	n := utf8.RuneCountInString(w)
	for k := min(n, r.maxSuffix); k >= 2; k-- {
		if r.listIf(lastRunes(w, k), bOrgSuffix).orgStrong {
			return true
		}
	}
	return false
}

// orgPart reports whether a token may stand inside an organisation's name, before its
// suffix.
func (r *Recognizer) orgPart(s *sentence, t *tok) bool {
	if !t.han() || t.is(bNotEntity) || t.is(bBefore) || t.is(bAfter) {
		return false
	}
	// An event or other word that is no organisation ends the name (全运会, 博览会).
	if t.is(bOrgNot) && !r.strongEnd(s.word(t)) || t.n() >= 2 && strings.ContainsAny(lastRunes(s.word(t), 1), "会杯赛节展") && !r.strongEnd(s.word(t)) {
		return false
	}
	// Another organisation's name ends the name (辽宁沈飞客车队 客场 挑战 济南军区队).
	if t.n() >= 3 && t.Tag != tagNT && !t.is(bOrg) && r.orgHead(s, t) && !t.is(bOrgSuffix) {
		return false
	}
	if inSet(t.first, setNoOrgStart) {
		return false
	}
	if r.proper(s, t) || placeChar(t) || s.word(t) == "驻" {
		return true
	}
	switch t.Tag {
	case tagN, tagVN, tagNZ, tagL, tagB, tagAN, tagNG, tagJ, tagNR, tagNS, tagNT, tagNRT, tagNRFG:
		return !r.titleEnd(s.word(t))
	case tagM:
		return ordinal(s.word(t))
	case tagT:
		return strings.Contains("老年 青年 少年 中年 未来 现代 当代 古代 近代", s.word(t)) && t.n() == 2
	}
	return false
}

// ordinal reports whether a numeral names rather than counts: 第八 (中学), 五十五 (中学), 八一 (队).
func ordinal(s string) bool {
	if strings.ContainsAny(lastRunes(s, 1), "大家个名位批种项") {
		return false // 第二大 (银行), 第一家 (公司)
	}
	if strings.HasPrefix(s, "第") {
		return true
	}
	for _, c := range s {
		if !strings.ContainsRune("〇零一二三四五六七八九十", c) {
			return false
		}
	}
	return true
}
