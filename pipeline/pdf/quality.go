package pdf

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Quality thresholds: at or above good a page's text is used as it is; below usable it is
// not used at all (a wrong map gives plausible-looking but wrong Han, worse than nothing for
// a fact table).
const (
	good   = 0.6
	usable = 0.35
)

// common is the set of frequently used Han characters: GB 2312 level 1 (3,755), Big5 level 1
// (5,401) and JIS X 0208 level 1 (2,965), read out of golang.org/x/text's decoders once. Real
// Chinese text draws 90% or more of its Han from it; a wrong ToUnicode or CID map draws
// evenly from all 20,000+ unified ideographs and the extensions, mostly outside it.
var common struct {
	once sync.Once
	set  map[rune]bool
}

func commonHan(r rune) bool {
	common.once.Do(func() {
		common.set = make(map[rune]bool, 9000)
		add := func(enc encoding.Encoding, b1lo, b1hi byte, trail func(byte) bool) {
			dec := enc.NewDecoder()
			for b1 := int(b1lo); b1 <= int(b1hi); b1++ {
				for b2 := 0x40; b2 <= 0xFE; b2++ {
					if !trail(byte(b2)) {
						continue
					}
					out, err := dec.Bytes([]byte{byte(b1), byte(b2)})
					if err != nil {
						continue
					}
					for _, r := range string(out) {
						if unicode.Is(unicode.Han, r) {
							common.set[r] = true
						}
					}
				}
			}
		}
		euc := func(b byte) bool { return b >= 0xA1 && b <= 0xFE }
		add(simplifiedchinese.GBK, 0xB0, 0xD7, euc)
		add(traditionalchinese.Big5, 0xA4, 0xC6, func(b byte) bool { return b >= 0x40 && b <= 0x7E || b >= 0xA1 && b <= 0xFE })
		add(japanese.EUCJP, 0xB0, 0xCF, euc)
	})
	return common.set[r]
}

// judgement is what quality found in a text.
type judgement struct {
	q                               float64
	n, han, rare, bad, moji, exotic int
}

// judge scores how plausible a page's text is, 0..1: the share of its characters that are
// not replacement characters, controls, private-use code points, Latin-1 letters in bulk
// (GBK or Big5 bytes read as Latin-1), rare Han in bulk (a wrong CID or ToUnicode map) or
// scripts a Chinese paper does not print in bulk. sparse scales down a page that is mostly
// picture with almost no text, which may be a scan with a caption.
func judge(text string, sparse bool) judgement {
	var j judgement
	var latin, ascii int
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == 0xFFFD || r == 0xFFFF:
			j.bad++
		case r < 0x20 || r >= 0x7F && r < 0xA0:
			j.bad++
		case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
			j.bad++
		case unicode.Is(unicode.Han, r):
			j.han++
			if !commonHan(r) {
				j.rare++
			}
		case r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7:
			latin++
		case r < 0x80 && (unicode.IsLetter(r)):
			ascii++
		case exotic(r):
			j.exotic++
		}
		j.n++
	}
	if j.n == 0 {
		return j
	}
	bad := float64(j.bad)
	if latin > 0 && float64(latin) > 0.1*float64(latin+ascii) {
		j.moji = latin
		bad += float64(latin)
	}
	if j.han >= 6 {
		// real text: a few per cent rare; from 30% on, none of the Han is to be trusted
		frac := float64(j.rare) / float64(j.han)
		w := min(max((frac-0.15)/0.15, 0), 1)
		bad += w * float64(j.han)
	}
	if float64(j.exotic) > 0.05*float64(j.n) {
		bad += float64(j.exotic)
	}
	j.q = max(0, 1-bad/float64(j.n))
	if sparse && j.n < 50 {
		j.q *= float64(j.n) / 50
	}
	return j
}

// exotic: scripts and symbols a Chinese newspaper does not set in bulk, which wrong maps
// produce.
func exotic(r rune) bool {
	switch {
	case r >= 0x0370 && r <= 0x1FFF: // Greek … Cyrillic … Arabic … Thai … Georgian … Greek extended
		return true
	case r >= 0x2500 && r <= 0x2BFF && !(r >= 0x25A0 && r <= 0x25FF) && !(r >= 0x2600 && r <= 0x26FF):
		return true
	case r >= 0xA000 && r <= 0xABFF: // Yi, Vai, …
		return true
	case r >= 0x10000 && r < 0x20000:
		return true
	}
	return false
}

// why explains a low score.
func (j judgement) why() string {
	if j.n == 0 {
		return "no text"
	}
	var parts []string
	if j.bad > 0 {
		parts = append(parts, fmt.Sprintf("%d unreadable characters (U+FFFD, controls, private use)", j.bad))
	}
	if j.moji > 0 {
		parts = append(parts, fmt.Sprintf("%d Latin-1 letters (mojibake?)", j.moji))
	}
	if j.han >= 6 && float64(j.rare) > 0.15*float64(j.han) {
		parts = append(parts, fmt.Sprintf("%d of %d Han characters are rare (a wrong character map?)", j.rare, j.han))
	}
	if float64(j.exotic) > 0.05*float64(j.n) {
		parts = append(parts, fmt.Sprintf("%d characters of unexpected scripts", j.exotic))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("only %d characters", j.n)
	}
	return strings.Join(parts, ", ")
}
