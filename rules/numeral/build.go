package numeral

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// term is one addend of a number: the decimal integer written by the digits buf[lo:hi], times
// 10^pow. A number is the sum of its terms, which keeps it exact until the final conversion.
type term struct {
	lo, hi, pow int32
}

// noUnit is the "last unit" of a section that has none yet: every unit is below it.
const noUnit = 99

// build turns toks into p.terms. final reports whether toks end the input, which the
// abbreviated tail rule (一万五) needs.
func (p *parser) build(toks []token, final bool) fail {
	p.terms = p.terms[:0]
	if len(toks) == 0 {
		return failf("no digits")
	}
	for _, t := range toks {
		if t.kind >= kJi {
			return failf("vague amount (see Vague)")
		}
	}
	for i, t := range toks {
		if t.kind == kPoint || t.kind == kArabic && t.mid < t.hi {
			return p.decimal(toks, i)
		}
	}
	if isDigitString(toks) {
		if len(toks) == 2 && isRisingPair(toks[0], toks[1]) {
			return failf("two consecutive digits are a vague range (see Vague)")
		}
		lo := int32(len(p.buf))
		for _, t := range toks {
			p.buf = append(p.buf, '0'+byte(t.val))
		}
		p.terms = append(p.terms, term{lo, int32(len(p.buf)), 0})
		return fail{}
	}
	return p.positional(toks, final)
}

// isDigitString reports whether toks are two or more Chinese digits with no unit: 二〇二三.
func isDigitString(toks []token) bool {
	if len(toks) < 2 {
		return false
	}
	for _, t := range toks {
		if t.kind != kDigit || t.flag&fLiang != 0 {
			return false
		}
	}
	return true
}

// isRisingPair reports whether a and b are Chinese digits n and n+1 (五六, 一两, 两三), which
// newspapers write for "n or n+1".
func isRisingPair(a, b token) bool {
	return a.kind == kDigit && b.kind == kDigit && a.val >= 1 && b.val == a.val+1 &&
		(a.flag|b.flag)&fYao == 0
}

// multPow reads toks as a multiplier ([十百千][万][亿], possibly empty) and returns its power
// of ten and whether it has 万 or 亿.
func multPow(toks []token) (pow int, big, ok bool) {
	stage := 0
	for _, t := range toks {
		switch {
		case t.kind == kUnit && stage == 0:
			stage = 1
		case t.kind == kBig && t.val == 4 && stage < 2:
			stage = 2
		case t.kind == kBig && t.val == 8 && stage < 3:
			stage = 3
		default:
			return 0, false, false
		}
		pow += int(t.val)
	}
	return pow, stage >= 2, true
}

// decimal builds a number with a fraction: an Arabic decimal (1.52万) or a Chinese one with 点
// (十二点五万). toks[i] is the Arabic decimal or the 点.
func (p *parser) decimal(toks []token, i int) fail {
	t := toks[i]
	if t.kind == kArabic {
		if i != 0 {
			return failf("a decimal must come first in a composite number")
		}
		k, _, ok := multPow(toks[1:])
		if !ok {
			return failf("only a multiplier may follow a decimal")
		}
		p.terms = append(p.terms, term{t.lo, t.hi, int32(k) - (t.hi - t.mid)})
		return fail{}
	}
	ints := toks[:i]
	if len(ints) == 0 {
		return failf("点 without an integer part")
	}
	hasBig := false
	for _, t := range ints {
		switch t.kind {
		case kArabic:
			return failf("点 after Arabic digits")
		case kBig:
			hasBig = true
		}
	}
	j := i + 1
	lo := int32(len(p.buf))
	for ; j < len(toks) && toks[j].kind == kDigit; j++ {
		if toks[j].flag != 0 {
			return failf("两 or 幺 after 点")
		}
		p.buf = append(p.buf, '0'+byte(toks[j].val))
	}
	hi := int32(len(p.buf))
	if hi == lo {
		return failf("点 without digits after it")
	}
	k, withBig, ok := multPow(toks[j:])
	switch {
	case !ok:
		return failf("only a multiplier may follow a decimal")
	case k > 0 && !withBig:
		return failf("十, 百 or 千 alone after a decimal with 点")
	case k > 0 && hasBig:
		return failf("a multiplier after a decimal whose integer part has 万 or 亿")
	}
	if f := p.positional(ints, false); f.bad() {
		return f
	}
	for n := range p.terms {
		p.terms[n].pow += int32(k)
	}
	p.terms = append(p.terms, term{lo, hi, int32(k) - (hi - lo)})
	return fail{}
}

// positional builds an integer written with units: 一亿二千三百四十五万六千七百八十九, 3万4000,
// 25万6千, 两百五. See the package documentation for the grammar.
func (p *parser) positional(toks []token, final bool) fail {
	if len(toks) == 1 && toks[0].kind == kDigit && toks[0].val == 0 {
		p.terms = append(p.terms, term{toks[0].lo, toks[0].hi, 0})
		return fail{}
	}
	st := posState{
		p: p, toks: toks, final: final,
		pend: -1, pendAfter: -1, prevUnit: -1,
		lastSmall: noUnit, capPow: noUnit,
		base: len(p.terms), secStart: len(p.terms),
	}
	for i, t := range toks {
		switch t.kind {
		case kDigit, kArabic:
			if t.kind == kDigit && t.val == 0 {
				if st.prevUnit < 0 {
					return failf("零 must follow a unit")
				}
				st.zero, st.prevUnit, st.run = true, -1, 0
				continue
			}
			if st.pend >= 0 {
				if i == st.pend+1 && isRisingPair(toks[st.pend], t) {
					return failf("two consecutive digits are a vague range (see Vague)")
				}
				return failf("two numbers without a unit between them")
			}
			if t.flag&fYao != 0 {
				return failf("幺 outside a digit string")
			}
			st.pend = i
			if st.zero {
				st.pendAfter, st.pendRun = -1, 0
			} else {
				st.pendAfter, st.pendRun = st.prevUnit, st.run
			}
			st.zero, st.prevUnit, st.run = false, -1, 0

		case kUnit:
			u := int(t.val)
			if u >= st.lastSmall {
				return failf("units out of order")
			}
			if st.pend < 0 {
				if u != 1 || !(i == 0 || st.zero) {
					return failf("unit without a digit before it")
				}
				// A leading 十 stands for 一十.
				p.buf = append(p.buf, '1')
				n := int32(len(p.buf))
				p.terms = append(p.terms, term{n - 1, n, 1})
			} else {
				c := toks[st.pend]
				if sigDigits(p.buf, c) > min(st.lastSmall, st.capPow)-u {
					return failf("too many digits before a unit")
				}
				st.add(c, u)
				st.pend = -1
			}
			st.zero, st.secHas, st.lastSmall = false, true, u
			st.unit(u)

		case kBig:
			u := int(t.val)
			if st.zero {
				return failf("零 before 万 or 亿")
			}
			if st.pend >= 0 {
				if f := st.flush(u); f.bad() {
					return f
				}
			}
			if u == 4 {
				if st.wan {
					return failf("万 twice in one section")
				}
				if !st.secHas {
					return failf("万 without a number before it")
				}
				st.shift(st.secStart, 4)
				st.wan, st.groupHas = true, true
			} else if u == 12 {
				// 兆 is 万亿 in the traditional reckoning (五兆六十二亿 = 5006200000000);
				// an 亿 group may follow it, so the 亿 below shifts only what comes after.
				if st.zhao || st.yi {
					return failf("兆 twice, or after 亿")
				}
				if !st.secHas && !st.groupHas {
					return failf("兆 without a number before it")
				}
				st.shift(st.base, 12)
				st.zhao, st.wan, st.groupHas = true, false, false
				st.base = len(p.terms)
			} else {
				if st.yi {
					return failf("亿 twice")
				}
				if !st.secHas && !st.groupHas {
					return failf("亿 without a number before it")
				}
				st.shift(st.base, 8)
				st.yi, st.wan, st.groupHas = true, false, false
			}
			st.capPow, st.lastSmall, st.secHas = 4, noUnit, false
			st.secStart = len(p.terms)
			st.unit(u)

		default:
			return failf("misplaced 点")
		}
	}
	if st.zero {
		return failf("number ends in 零")
	}
	if st.pend >= 0 {
		return st.flush(-1)
	}
	return fail{}
}

// posState is the state of positional.
type posState struct {
	p     *parser
	toks  []token
	final bool

	pend      int // index of the digit or Arabic number waiting for its unit, or -1
	pendAfter int // power of the unit right before it, or -1 (start, or after 零)
	pendRun   int // how many units in a row came right before it
	prevUnit  int // power of the previous token when that was a unit, else -1
	run       int // length of the current run of units
	zero      bool

	lastSmall int // the smallest unit so far in the section; units must fall
	capPow    int // a section after 万 or 亿 must stay below 10^capPow
	base      int // first term of this number in p.terms (after its 兆 group, if any)
	secStart  int // first term of the current section

	secHas, groupHas, wan, yi, zhao bool
}

func (st *posState) unit(u int) {
	if st.prevUnit >= 0 {
		st.run++
	} else {
		st.run = 1
	}
	st.prevUnit = u
}

func (st *posState) add(c token, pow int) {
	hi := c.hi
	if c.kind == kArabic {
		hi = c.mid
	}
	st.p.terms = append(st.p.terms, term{c.lo, hi, int32(pow)})
}

func (st *posState) shift(from, by int) {
	for i := from; i < len(st.p.terms); i++ {
		st.p.terms[i].pow += int32(by)
	}
}

// flush places the pending coefficient, which no small unit follows: next is the big unit
// that follows (4 or 8) or -1 at the end of toks.
func (st *posState) flush(next int) fail {
	c := st.toks[st.pend]
	st.pend = -1
	st.secHas = true
	if c.flag&fLiang != 0 && next < 0 && !(st.final && len(st.toks) == 1) {
		return failf("两 must be followed by a unit")
	}
	single := c.kind == kDigit || c.mid-c.lo == 1
	if single && st.pendAfter >= 2 {
		if next < 0 {
			// Before 点 too: 两千三点一 = 2300.1, 一百二点五 = 120.5 (102.5 would be written
			// 一百零二点五).
			if st.pendRun > 1 {
				return failf("ambiguous abbreviation after a compound unit")
			}
			st.add(c, st.pendAfter-1) // 一万五 = 一万五千
			return fail{}
		}
		if next > st.pendAfter {
			return failf("ambiguous abbreviated number before a larger unit")
		}
	}
	if sigDigits(st.p.buf, c) > min(st.lastSmall, st.capPow) {
		return failf("too many digits for their place")
	}
	st.add(c, 0)
	return fail{}
}

// sigDigits counts the digits of a coefficient's integer part after leading zeros.
func sigDigits(buf []byte, c token) int {
	hi := c.hi
	if c.kind == kArabic {
		hi = c.mid
	}
	lo := c.lo
	for lo < hi && buf[lo] == '0' {
		lo++
	}
	return int(hi - lo)
}

var pow10u = [...]uint64{
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// pow10f holds the powers of ten that float64 represents exactly.
var pow10f = [...]float64{
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// eval sums p.terms exactly and converts the sum to float64, correctly rounded.
func (p *parser) eval() (float64, fail) {
	ts := p.terms
	if len(ts) == 0 {
		return 0, failf("no digits")
	}
	e := ts[0].pow
	for _, t := range ts[1:] {
		e = min(e, t.pow)
	}
	var m uint64
	for _, t := range ts {
		c, ok := digitsUint(p.buf[t.lo:t.hi])
		if !ok {
			return p.evalBig(e)
		}
		if c == 0 {
			continue
		}
		sh := t.pow - e
		if int(sh) >= len(pow10u) {
			return p.evalBig(e)
		}
		hi, lo := bits.Mul64(c, pow10u[sh])
		var carry uint64
		m, carry = bits.Add64(m, lo, 0)
		if hi != 0 || carry != 0 {
			return p.evalBig(e)
		}
	}
	return toFloat(m, int(e))
}

// digitsUint converts ASCII digits to a uint64; ok is false beyond 19 significant digits.
func digitsUint(d []byte) (uint64, bool) {
	i := 0
	for i < len(d) && d[i] == '0' {
		i++
	}
	if len(d)-i > 19 {
		return 0, false
	}
	var v uint64
	for ; i < len(d); i++ {
		v = v*10 + uint64(d[i]-'0')
	}
	return v, true
}

// toFloat returns m·10^e correctly rounded.
func toFloat(m uint64, e int) (float64, fail) {
	if m == 0 {
		return 0, fail{}
	}
	if m <= 1<<53 {
		// m and 10^|e| are exact, so one multiplication or division rounds correctly.
		switch {
		case e == 0:
			return float64(m), fail{}
		case e > 0 && e < len(pow10f):
			return float64(m) * pow10f[e], fail{}
		case e < 0 && -e < len(pow10f):
			return float64(m) / pow10f[-e], fail{}
		}
	}
	var b [48]byte
	s := strconv.AppendUint(b[:0], m, 10)
	s = append(s, 'e')
	s = strconv.AppendInt(s, int64(e), 10)
	return parseDecimal(string(s))
}

// evalBig is eval for sums beyond uint64: rare, and allowed to allocate.
func (p *parser) evalBig(e int32) (float64, fail) {
	var sum, c, scale, ten big.Int
	ten.SetInt64(10)
	for _, t := range p.terms {
		if _, ok := c.SetString(string(p.buf[t.lo:t.hi]), 10); !ok {
			return 0, failf("no digits")
		}
		scale.Exp(&ten, big.NewInt(int64(t.pow-e)), nil)
		c.Mul(&c, &scale)
		sum.Add(&sum, &c)
	}
	d := sum.String()
	if d == "0" {
		return 0, fail{}
	}
	// Scientific notation keeps the written exponent near the value's magnitude: strconv
	// stops reading exponents past a few digits, so 10^-200000-scaled mantissas must not be
	// written as such.
	return parseDecimal(d[:1] + "." + d[1:] + "e" + strconv.Itoa(int(e)+len(d)-1))
}

// parseDecimal converts digits with an exponent, as formatted by toFloat and evalBig.
func parseDecimal(s string) (float64, fail) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, failf("out of range")
	}
	return f, fail{}
}
