package numeral

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Parse parses one number as written, with its 万/亿 multipliers: "1,256", "3,450万", "12.86亿",
// "１２３" (full-width), "二十三万", "一千二百", "两千", "二〇二三", "零", "3万4000", "1.52万",
// "13万2" (=132000), "25万6千", "十二点五", "三百零五", "一万", "1.5亿", "两", "廿", "卅".
// "万" or "亿" alone is not a number. It returns an error for anything that is not wholly one
// number, and never panics, whatever the input. The package documentation gives the grammar.
func Parse(s string) (float64, error) {
	v, f := parse(s)
	if f.bad() {
		return 0, newError(s, f)
	}
	return v, nil
}

// parse is Parse without building an error.
func parse(s string) (float64, fail) {
	neg, body := cutSign(s)
	if body == "" {
		if neg {
			return 0, failf("sign without a number")
		}
		return 0, failf("empty")
	}
	if v, ok := smallInt(body); ok {
		if neg {
			v = -v
		}
		return v, fail{}
	}
	p := getParser()
	defer putParser(p)
	if f := p.tokenize(body); f.bad() {
		return 0, f
	}
	if f := p.build(p.toks, true); f.bad() {
		return 0, f
	}
	v, f := p.eval()
	if f.bad() {
		return 0, f
	}
	if neg {
		v = -v
	}
	return v, fail{}
}

// smallInt is the fast path for the commonest input: up to 15 ASCII digits, exact in float64.
func smallInt(s string) (float64, bool) {
	if len(s) > 15 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + uint64(d)
	}
	return float64(v), true
}

// newError returns the error of s's failure f. Its text is built only when read: callers such
// as the normalisers of the rules try Parse on figures it refuses (十几万, 40多) and then read
// them another way, thousands of times a run, without reading why.
func newError(s string, f fail) error { return &parseError{s, f} }

type parseError struct {
	s string
	f fail
}

func (e *parseError) Error() string {
	if e.f.r != 0 {
		return fmt.Sprintf("numeral: %q: %s %q", e.s, e.f.msg, e.f.r)
	}
	return fmt.Sprintf("numeral: %q: %s", e.s, e.f.msg)
}

// cutSign removes a leading sign.
func cutSign(s string) (neg bool, rest string) {
	if s == "" {
		return false, s
	}
	switch s[0] {
	case '-':
		return true, s[1:]
	case '+':
		return false, s[1:]
	}
	for _, m := range [...]string{"负", "負", "－", "−"} {
		if strings.HasPrefix(s, m) {
			return true, s[len(m):]
		}
	}
	if strings.HasPrefix(s, "＋") {
		return false, s[len("＋"):]
	}
	return false, s
}

// Mult returns the multiplier of a unit prefix written after a number: "" → 1, "十" → 10,
// "百" → 100, "千" → 1000, "万" → 1e4, "十万" → 1e5, "百万" → 1e6, "千万" → 1e7, "亿" → 1e8,
// "十亿" → 1e9, "百亿" → 1e10, "千亿" → 1e11, "万亿" → 1e12, "十万亿" → 1e13 …: at most one
// of 十百千, then optionally 万, then optionally 亿. Formal and traditional forms (拾佰仟萬億)
// count too. ok is false for anything else.
func Mult(s string) (float64, bool) {
	pow, stage := 0, 0
	for _, r := range s {
		k, v, _ := classify(r)
		switch {
		case k == kUnit && stage == 0:
			stage = 1
		case k == kBig && v == 4 && stage < 2:
			stage = 2
		case k == kBig && v == 8 && stage < 3:
			stage = 3
		default:
			return 0, false
		}
		pow += int(v)
	}
	return pow10f[pow], true
}

// Percent parses a percentage, returning the number of percent: "94", "12.5", "94%", "９４％",
// "-3.5%", "百分之十二点五" → 12.5, "百分之百" → 100, "四成" → 40, "两成" → 20, "三成五" → 35,
// "十成" → 100. 成 takes a whole number 0-10 before it and at most one digit after it.
// Qualifiers are the caller's: "五成以上" is an error, and so is "百分之五十%".
func Percent(s string) (float64, error) {
	v, f := percent(s)
	if f.bad() {
		return 0, newError(s, f)
	}
	return v, nil
}

func percent(s string) (float64, fail) {
	body, sign := strings.CutSuffix(s, "%")
	if !sign {
		body, sign = strings.CutSuffix(s, "％")
	}
	if rest, ok := strings.CutPrefix(body, "百分之"); ok {
		if sign {
			return 0, failf("both 百分之 and %")
		}
		if rest == "百" || rest == "佰" {
			return 100, fail{}
		}
		return parse(rest)
	}
	if x, y, ok := strings.Cut(body, "成"); ok && !sign {
		return cheng(x, y)
	}
	return parse(body)
}

// cheng parses X成Y, tenths written in 成: 三成五 = 35%.
func cheng(x, y string) (float64, fail) {
	if x == "" {
		return 0, failf("成 without a number")
	}
	n, f := parse(x)
	if f.bad() {
		return 0, f
	}
	if n != math.Trunc(n) || n < 0 || n > 10 || math.Signbit(n) {
		return 0, failf("成 needs a whole number from 0 to 10 before it")
	}
	if y == "" {
		return n * 10, fail{}
	}
	if utf8.RuneCountInString(y) != 1 || n == 10 {
		return 0, failf("成 takes at most one digit after it")
	}
	d, f := parse(y)
	if f.bad() || d != math.Trunc(d) || d < 0 || d > 9 || y == "两" || y == "兩" {
		return 0, failf("成 takes at most one digit after it")
	}
	return n*10 + d, fail{}
}

// Fraction parses the fraction X分之Y and returns Y/X: "三分之一" → 0.3333…, "四分之三" → 0.75,
// "百分之五十" → 0.5, "千分之五" → 0.005, "百万分之一" → 1e-6, "百分之百" → 1. X may be a bare
// multiplier (百, 千, 万, 百万); Y may be one only when it repeats X (百分之百). Other
// notations, such as "2/3", are errors, as is a zero denominator.
func Fraction(s string) (float64, error) {
	den, num, ok := strings.Cut(s, "分之")
	if !ok {
		return 0, newError(s, failf("not an X分之Y fraction"))
	}
	d, f := parse(den)
	if f.bad() {
		m, ok := Mult(den)
		if !ok || den == "" {
			return 0, newError(s, f)
		}
		d = m
	}
	n, f := parse(num)
	if f.bad() {
		if num != den || num == "" {
			return 0, newError(s, f)
		}
		n = d
	}
	if d == 0 {
		return 0, newError(s, failf("zero denominator"))
	}
	return n / d, nil
}

// Vague parses a vague amount into the range [lo, hi] it stands for; ok is false when s is not
// vague (an exact number, or not a number at all). The bounds are these choices:
//
//   - 几 or 数 leading, before units: 2 to 9 of them. "几十", "数十" → [20, 90]; "几百", "数百"
//     → [200, 900]; "几万" → [20000, 90000]; "数十万" → [200000, 900000]; "几" → [2, 9]. 数
//     needs a unit after it.
//   - 几 anywhere else stands for 1 to 9 in its place: "十几" → [11, 19], "十几万" → [110000,
//     190000], "二十几" → [21, 29], "一百零几" → [101, 109], "三百几" → [310, 390] (the
//     abbreviated tail rule, as in 三百五).
//   - Two consecutive rising digits, n and n+1: "两三" → [2, 3], "一两" → [1, 2], "五六" → [5, 6],
//     "五六百" → [500, 600], "三四十" → [30, 40], "十五六" → [15, 16], "三十五六万" →
//     [350000, 360000].
//   - 上 and a multiplier of 百 or more, "reaching that order": [m, 10m−1]. "上百" → [100, 999],
//     "上千" → [1000, 9999], "上万" → [10000, 99999], "上亿" → [1e8, 999999999], "上百万" →
//     [1e6, 9999999].
//   - N多 or N余, with N a whole number ending in k ≥ 1 zeros, then optionally 万/亿: more than N,
//     less than N plus one unit of its last place: [N+1, N+10^k−1] times the multiplier.
//     "十多" → [11, 19], "三十多" → [31, 39], "100多" → [101, 199], "十多万" → [110000, 190000],
//     "3万多" → [30001, 39999], "二十余" → [21, 29].
//
// One vague part per amount: "几十几" is not ok. Other qualifiers (近, 约, 左右, 以上, 来) are
// the caller's.
func Vague(s string) (lo, hi float64, ok bool) {
	p := getParser()
	defer putParser(p)
	if p.tokenize(s).bad() {
		return 0, 0, false
	}
	toks := p.toks
	mark, marks := -1, 0
	for i, t := range toks {
		if t.kind >= kJi {
			mark = i
			marks++
		}
	}
	pair := -1
	for i := 0; i+1 < len(toks); i++ {
		if isRisingPair(toks[i], toks[i+1]) &&
			(i == 0 || !isNumber(toks[i-1])) && (i+2 == len(toks) || !isNumber(toks[i+2])) {
			pair = i
			marks++
		}
	}
	if marks != 1 {
		return 0, 0, false
	}
	switch {
	case pair >= 0:
		// lo keeps the first digit, hi the second.
		p.alt = append(append(p.alt[:0], toks[:pair+1]...), toks[pair+2:]...)
		lo, ok = p.value(p.alt)
		if ok {
			p.alt = append(append(p.alt[:0], toks[:pair]...), toks[pair+1:]...)
			hi, ok = p.value(p.alt)
		}

	case toks[mark].kind == kJi || toks[mark].kind == kShu:
		if toks[mark].kind == kShu && (mark != 0 || len(toks) == 1 || toks[1].kind != kUnit && toks[1].kind != kBig) {
			return 0, 0, false
		}
		var d int8 = 1
		if mark == 0 {
			d = 2
		}
		p.alt = append(p.alt[:0], toks...)
		t := p.alt
		t[mark] = p.digitToken(d, 0)
		if isDigitString(t) {
			return 0, 0, false
		}
		lo, ok = p.value(t)
		if ok {
			t[mark] = p.digitToken(9, 0)
			hi, ok = p.value(t)
		}

	case toks[mark].kind == kShang:
		k, _, mok := multPow(toks[1:])
		if mark != 0 || !mok || k < 2 {
			return 0, 0, false
		}
		lo, hi, ok = pow10f[k], pow10f[k+1]-1, true

	default: // 多, 余
		if mark == 0 || mark+1 < len(toks) && toks[mark+1].kind != kBig {
			return 0, 0, false
		}
		k, _, mok := multPow(toks[mark+1:])
		n, nok := p.value(toks[:mark])
		if !mok || !nok || n < 1 || n > 1<<53 || n != math.Trunc(n) {
			return 0, 0, false
		}
		place := 1.0
		for u := uint64(n); u%10 == 0; u /= 10 {
			place *= 10
		}
		if place == 1 {
			return 0, 0, false
		}
		lo, hi, ok = (n+1)*pow10f[k], (n+place-1)*pow10f[k], true
	}
	if !ok || !(lo < hi) {
		return 0, 0, false
	}
	return lo, hi, true
}

// isNumber reports whether t is a digit or an Arabic number.
func isNumber(t token) bool { return t.kind == kDigit || t.kind == kArabic }

// value builds and evaluates toks as a whole number.
func (p *parser) value(toks []token) (float64, bool) {
	if p.build(toks, true).bad() {
		return 0, false
	}
	v, f := p.eval()
	return v, !f.bad()
}

// maxOrdinal bounds Ordinal's result: exact in float64 and within int.
const maxOrdinal = min(1<<53, math.MaxInt)

// Ordinal parses an ordinal written with 第: "第三" → 3, "第12" → 12, "第一百零一" → 101,
// "第两百" → 200. The number must be a whole number of at least 1.
func Ordinal(s string) (int, error) {
	rest, ok := strings.CutPrefix(s, "第")
	if !ok {
		return 0, newError(s, failf("ordinal without 第"))
	}
	if neg, r := cutSign(rest); neg || r != rest {
		return 0, newError(s, failf("signed ordinal"))
	}
	if rest == "两" || rest == "兩" {
		return 0, newError(s, failf("两 is not an ordinal"))
	}
	v, f := parse(rest)
	if f.bad() {
		return 0, newError(s, f)
	}
	if v != math.Trunc(v) || v < 1 || v > maxOrdinal {
		return 0, newError(s, failf("ordinal must be a whole number from 1"))
	}
	return int(v), nil
}
