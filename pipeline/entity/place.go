package entity

import (
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// Places end in a suffix (place_suffixes.txt) after a name: a place or other name word
// (石塘 镇, 科威特 市, 哈尔滨市 儿童公园), or characters that segmentation left single
// (横 溪 村, 湖 漫 水库). A building or site may follow two names (天津 滨江 商厦). The
// suffix may share its token with the end of the name (彭 家村, 北京 京西宾馆).

func (r *Recognizer) placesBySuffix(s *sentence, add func(i, j int, kind, rule string, rank int, norm string)) {
	toks := s.toks
	for h := 0; s.shapes&shPlaceEnd != 0 && h < len(toks); h++ {
		t := &toks[h]
		if t.shape&shPlaceEnd == 0 {
			continue // not Han, notEntity, or no suffix ends it: placeHead finds none
		}
		class, own := r.placeHead(s, t)
		if class == "" || own && class == "admin" && (t.Tag == tagNS || t.is(bPlace)) {
			continue // 新乡, 合肥市 are places of their own
		}
		// 边境地区, 示范园区: a word before an administrative suffix makes no name.
		if own && class == "admin" && t.n() >= 3 && segment.IsWord(firstRunes(s.word(t), int(t.n())-1)) {
			continue
		}
		k := h - 1
		if k < 0 || !s.adjacent(k, h) {
			continue
		}
		if p := &toks[k]; r.proper(s, p) && !p.is(bOrg) && !(class == "admin" && !own && r.endsAdmin(s.word(p))) && lastRunes(s.word(p), 1) != lastRunes(s.word(t), 1) {
			start := k
			if class != "admin" && k-1 >= 0 && s.adjacent(k-1, k) && r.placeWord(&toks[k-1]) {
				start = k - 1
			}
			add(start, h+1, Location, "place.suffix", rankCompose, "")
			continue
		}
		// 双泾村/n: a village or town whose name the segmenter knows no word in.
		if own && class == "admin" && t.n() >= 3 && t.n() <= 4 && strings.ContainsAny(lastRunes(s.word(t), 1), "村镇乡庄屯寨") &&
			!t.is(bNotEntity) && !strings.ContainsAny(s.word(t), functionChars) {
			add(h, h+1, Location, "place.suffix", rankCompose, "")
		}
		start, m := h, 0
		for k := h - 1; k >= 0 && m < 3 && s.adjacent(k, k+1) && placeChar(&toks[k]) && !toks[k].is(bAdmin); k-- {
			start, m = k, m+1
		}
		need := 2
		if own {
			need = 1
		}
		// 市, 县 and 省 after single characters are too often the end of a phrase (强工兴市).
		if class == "admin" && !own && strings.Contains("市县省区州", s.word(t)) {
			continue
		}
		if m >= need || m == 1 && class == "admin" && (toks[start].Tag == tagNS || toks[start].Tag == tagNR || toks[start].Tag == tagJ) {
			add(start, h+1, Location, "place.suffix", rankCompose, "")
		}
	}
}

// placeHead reports whether a token ends a place name and with which kind of suffix; own
// is true when the token also holds part of the name (家村, 京西宾馆).
func (r *Recognizer) placeHead(s *sentence, t *tok) (class string, own bool) {
	if t.is(bPlaceSuffix) {
		return r.word(t.wi).placeSuffix, false
	}
	if !r.chars.has(t.last, charEndsSuffix) { // endsSuffix
		return "", false
	}
	k := min(int(t.n())-1, r.maxSuffix)
	if !r.tokEndsSuffix2(s, t) {
		k = min(k, 1)
	}
	for ; k >= 1; k-- {
		suf := lastRunes(s.word(t), k)
		c := r.listIf(suf, bPlaceSuffix).placeSuffix
		if c == "" {
			continue
		}
		// One-character suffixes other than villages and towns end too many everyday words
		// (出路, 江山, 进城) to be trusted inside a token.
		if k == 1 && c != "admin" {
			return "", false
		}
		return c, true
	}
	return "", false
}

// endsAdmin reports whether a name already ends in an administrative suffix (哈尔滨市), so
// that 市 after it is not a second one.
func (r *Recognizer) endsAdmin(s string) bool {
	last := lastRunes(s, 1)
	return utf8.RuneCountInString(s) > 1 && r.listBits(last)&bAdmin != 0
}

// placeWord reports whether a token is a known or tagged place.
func (r *Recognizer) placeWord(t *tok) bool {
	return t.han() && !t.is(bNotEntity) && (t.is(bPlace) || t.Tag == tagNS)
}
