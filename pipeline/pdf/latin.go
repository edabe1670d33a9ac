package pdf

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Chinese word processors of the 1990s and 2000s wrote GBK (or Big5) bytes through a
// single-byte TrueType font declared WinAnsi: the PDF says Latin-1 and every reader shows
// mojibake (¹ØÓÚºì¾ü). The bytes are intact, so reading them as GBK again is lossless. A
// font qualifies on a page when it has no ToUnicode, a fair share of its bytes are high, they
// pair up as GBK inside each show operation, and the characters they make are common ones.

type latinCodec struct {
	enc   encoding.Encoding
	trail func(byte) bool
	src   uint8
}

var latinCodecs = []latinCodec{
	{simplifiedchinese.GBK, func(b byte) bool { return b >= 0x40 && b <= 0xFE && b != 0x7F }, srcLatinGBK},
	{traditionalchinese.Big5, func(b byte) bool { return b >= 0x40 && b <= 0x7E || b >= 0xA1 && b <= 0xFE }, srcLatinB5},
}

// resolveLatinCJK re-reads the glyphs of qualifying fonts; the second byte of each pair is
// emptied and its advance added to the first.
func resolveLatinCJK(glyphs []glyph) {
	byFont := map[*font][]int{}
	for i := range glyphs {
		f := glyphs[i].font
		if f != nil && !f.composite && f.tu == nil {
			byFont[f] = append(byFont[f], i)
		}
	}
	for _, idx := range byFont {
		high := 0
		for _, i := range idx {
			if glyphs[i].code[0] >= 0x80 {
				high++
			}
		}
		if high < 4 || float64(high) < 0.2*float64(len(idx)) {
			continue
		}
		// GB 2312 characters, most of any GBK text, have trail bytes from 0xA1; Big5 puts
		// about two in five below 0x7F. Without low trail bytes the text is GBK, whatever a
		// Big5 reading scores.
		low, total := 0, 0
		pairs(glyphs, idx, func(i, j int) {
			if j >= 0 {
				total++
				if glyphs[j].code[0] < 0xA1 {
					low++
				}
			}
		})
		codecs := latinCodecs
		if float64(low) < 0.05*float64(total) {
			codecs = codecs[:1]
		}
		best, bestScore := -1, 0.0
		for c := range codecs {
			if s := latinScore(glyphs, idx, codecs[c]); s > bestScore {
				best, bestScore = c, s
			}
		}
		if best >= 0 && bestScore >= 0.5 {
			applyLatin(glyphs, idx, latinCodecs[best])
		}
	}
}

// pairs walks a font's glyphs and calls fn for each high byte with the glyph that follows it
// in the same show operation (-1 when there is none).
func pairs(glyphs []glyph, idx []int, fn func(i, j int)) {
	for k := 0; k < len(idx); k++ {
		i := idx[k]
		if glyphs[i].code[0] < 0x80 {
			continue
		}
		j := -1
		if k+1 < len(idx) && glyphs[idx[k+1]].show == glyphs[i].show {
			j = idx[k+1]
			k++
		}
		fn(i, j)
	}
}

func decodePair(c latinCodec, a, b byte) (rune, bool) {
	if a < 0x81 || a > 0xFE || !c.trail(b) {
		return 0, false
	}
	out, err := c.enc.NewDecoder().Bytes([]byte{a, b})
	if err != nil {
		return 0, false
	}
	r, n := utf8.DecodeRune(out)
	if r == utf8.RuneError || n != len(out) {
		return 0, false
	}
	return r, true
}

// latinScore is the share of pairs that decode to a common Han character or CJK punctuation,
// zero when more than a few do not decode at all.
func latinScore(glyphs []glyph, idx []int, c latinCodec) float64 {
	total, bad, good := 0, 0, 0
	pairs(glyphs, idx, func(i, j int) {
		total++
		if j < 0 {
			bad++
			return
		}
		r, ok := decodePair(c, glyphs[i].code[0], glyphs[j].code[0])
		switch {
		case !ok:
			bad++
		case unicode.Is(unicode.Han, r):
			if commonHan(r) {
				good++
			}
		case isCJK(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			good++
		}
	})
	if total == 0 || float64(bad) > 0.05*float64(total)+1 {
		return 0
	}
	return float64(good) / float64(total)
}

func applyLatin(glyphs []glyph, idx []int, c latinCodec) {
	for _, i := range idx {
		glyphs[i].src = c.src
	}
	pairs(glyphs, idx, func(i, j int) {
		if j < 0 {
			glyphs[i].text = "\uFFFD"
			return
		}
		r, ok := decodePair(c, glyphs[i].code[0], glyphs[j].code[0])
		if !ok {
			glyphs[i].text = "\uFFFD"
		} else {
			glyphs[i].text = string(r)
		}
		glyphs[i].adv += glyphs[j].adv
		glyphs[j].text = ""
	})
}
