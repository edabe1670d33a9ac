package numeral

import (
	"sync"
	"unicode/utf8"
)

// kind is the kind of a token.
type kind uint8

const (
	kDigit  kind = iota + 1 // a Chinese digit; val is 0-9; its digit is buf[lo:hi]
	kArabic                 // an Arabic literal: integer digits buf[lo:mid], fraction buf[mid:hi]
	kUnit                   // 十百千: val is the power of ten, 1-3
	kBig                    // 万亿兆: val is 4, 8 or 12
	kPoint                  // 点
	kJi                     // 几: one unknown digit (Vague only)
	kShu                    // 数: "several", leading (Vague only)
	kShang                  // 上: "reaching", leading (Vague only)
	kDuo                    // 多/余: "and more" (Vague only)
)

// token flags.
const (
	fLiang uint8 = 1 << iota // 两: 2, before a unit
	fYao                     // 幺: 1, in digit strings
)

// token is one lexical unit of a number. Digits are copied, as ASCII, into the parser's buf;
// lo, mid and hi index it, so tokens stay valid when buf grows.
type token struct {
	kind        kind
	val         int8
	flag        uint8
	lo, mid, hi int32
}

// fail describes why an input is not a number; the zero value means success. Messages are
// constants so that failing costs nothing until an error is built for the caller.
type fail struct {
	msg string
	r   rune // the offending character, if any
}

func (f fail) bad() bool { return f.msg != "" }

func failf(msg string) fail { return fail{msg: msg} }

// classify maps a Chinese character to its token kind and value; kind 0 means unknown.
// 廿卅卌 are handled by the tokenizer.
func classify(r rune) (kind, int8, uint8) {
	switch r {
	case '零', '〇', '○':
		return kDigit, 0, 0
	case '一', '壹':
		return kDigit, 1, 0
	case '幺':
		return kDigit, 1, fYao
	case '二', '贰', '貳':
		return kDigit, 2, 0
	case '两', '兩':
		return kDigit, 2, fLiang
	case '三', '叁', '參':
		return kDigit, 3, 0
	case '四', '肆':
		return kDigit, 4, 0
	case '五', '伍':
		return kDigit, 5, 0
	case '六', '陆', '陸':
		return kDigit, 6, 0
	case '七', '柒':
		return kDigit, 7, 0
	case '八', '捌':
		return kDigit, 8, 0
	case '九', '玖':
		return kDigit, 9, 0
	case '十', '拾':
		return kUnit, 1, 0
	case '百', '佰':
		return kUnit, 2, 0
	case '千', '仟':
		return kUnit, 3, 0
	case '万', '萬':
		return kBig, 4, 0
	case '亿', '億':
		return kBig, 8, 0
	case '兆':
		return kBig, 12, 0
	case '点', '點':
		return kPoint, 0, 0
	case '几', '幾':
		return kJi, 0, 0
	case '数', '數':
		return kShu, 0, 0
	case '上':
		return kShang, 0, 0
	case '多', '余', '餘':
		return kDuo, 0, 0
	}
	return 0, 0, 0
}

// arabicDigit reports the Arabic digit (ASCII or full-width) at s[i] and its length in bytes,
// or length 0.
func arabicDigit(s string, i int) (byte, int) {
	if i >= len(s) {
		return 0, 0
	}
	if d := s[i] - '0'; d <= 9 {
		return d, 1
	}
	// ０-９ are U+FF10-U+FF19: EF BC 90-99.
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC {
		if d := s[i+2] - 0x90; d <= 9 {
			return d, 3
		}
	}
	return 0, 0
}

// fullWidthAt reports whether s[i:] starts with the full-width form U+FF00+b-0x80 (EF BC b).
func fullWidthAt(s string, i int, b byte) bool {
	return i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] == b
}

// separatorAt returns the length of a thousands separator "," or "，" at s[i], or 0.
func separatorAt(s string, i int) int {
	switch {
	case i < len(s) && s[i] == ',':
		return 1
	case fullWidthAt(s, i, 0x8C): // ，U+FF0C
		return 3
	}
	return 0
}

// pointAt returns the length of a decimal point "." or "．" at s[i], or 0.
func pointAt(s string, i int) int {
	switch {
	case i < len(s) && s[i] == '.':
		return 1
	case fullWidthAt(s, i, 0x8E): // ．U+FF0E
		return 3
	}
	return 0
}

// parser holds the scratch space of one parse. Parsers are pooled so that parsing allocates
// nothing in the steady state.
type parser struct {
	toks  []token
	buf   []byte // ASCII digits of every token
	terms []term
	alt   []token // Vague's rewritten copy of toks
}

var parsers = sync.Pool{New: func() any {
	return &parser{toks: make([]token, 0, 32), buf: make([]byte, 0, 64), terms: make([]term, 0, 32), alt: make([]token, 0, 32)}
}}

func getParser() *parser {
	p := parsers.Get().(*parser)
	p.toks, p.buf, p.terms, p.alt = p.toks[:0], p.buf[:0], p.terms[:0], p.alt[:0]
	return p
}

// putParser returns p to the pool unless a freak input grew it.
func putParser(p *parser) {
	if cap(p.toks) <= 256 && cap(p.buf) <= 1024 && cap(p.terms) <= 256 && cap(p.alt) <= 256 {
		parsers.Put(p)
	}
}

// digitToken appends digit d to buf and returns a Chinese-digit token for it.
func (p *parser) digitToken(d int8, flag uint8) token {
	lo := int32(len(p.buf))
	p.buf = append(p.buf, '0'+byte(d))
	return token{kind: kDigit, val: d, flag: flag, lo: lo, mid: lo + 1, hi: lo + 1}
}

// tokenize splits s into p.toks.
func (p *parser) tokenize(s string) fail {
	for i := 0; i < len(s); {
		if _, n := arabicDigit(s, i); n > 0 {
			j, f := p.arabic(s, i)
			if f.bad() {
				return f
			}
			i = j
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			switch c {
			case ',':
				return failf("thousands separator not between digits")
			case '.':
				return failf("misplaced decimal point")
			}
			return fail{msg: "unexpected character", r: rune(c)}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return failf("invalid UTF-8")
		}
		i += n
		switch r {
		case '廿', '卅', '卌':
			p.toks = append(p.toks, p.digitToken(int8(r2tens(r)), 0), token{kind: kUnit, val: 1})
			continue
		case '，':
			return failf("thousands separator not between digits")
		case '．':
			return failf("misplaced decimal point")
		}
		k, v, fl := classify(r)
		switch k {
		case 0:
			return fail{msg: "unexpected character", r: r}
		case kDigit:
			p.toks = append(p.toks, p.digitToken(v, fl))
		default:
			p.toks = append(p.toks, token{kind: k, val: v})
		}
	}
	return fail{}
}

// r2tens returns the tens digit of 廿 (20), 卅 (30) or 卌 (40).
func r2tens(r rune) int {
	switch r {
	case '廿':
		return 2
	case '卅':
		return 3
	}
	return 4
}

// arabic scans the Arabic literal starting at s[i] (which is a digit) and appends its token.
// It returns the index after the literal.
func (p *parser) arabic(s string, i int) (int, fail) {
	t := token{kind: kArabic, lo: int32(len(p.buf))}
	group, seps := 0, 0
	for {
		if d, n := arabicDigit(s, i); n > 0 {
			p.buf = append(p.buf, '0'+d)
			group++
			i += n
			continue
		}
		if n := separatorAt(s, i); n > 0 {
			if seps == 0 && group > 3 || seps > 0 && group != 3 {
				return i, failf("thousands separator not between groups of three digits")
			}
			seps++
			group = 0
			i += n
			continue
		}
		break
	}
	if seps > 0 && (group != 3 || p.buf[t.lo] == '0') {
		return i, failf("thousands separator not between groups of three digits")
	}
	t.mid = int32(len(p.buf))
	if n := pointAt(s, i); n > 0 {
		if _, m := arabicDigit(s, i+n); m == 0 {
			return i, failf("decimal point without a digit after it")
		}
		i += n
		for {
			d, m := arabicDigit(s, i)
			if m == 0 {
				break
			}
			p.buf = append(p.buf, '0'+d)
			i += m
		}
	}
	t.hi = int32(len(p.buf))
	p.toks = append(p.toks, t)
	return i, fail{}
}
