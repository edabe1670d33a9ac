package rules

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsfacts/newsfacts/rules/numeral"
)

// A figure is a number as a rule captured it, read by the normalisers: its value, and for
// vague amounts (十几万, 数百, 五六百, 上万) and bounded qualifiers (40余, 3万多) the upper
// bound the words set.
type figure struct {
	v      float64
	max    float64
	hasMax bool
	qual   string // "" (exact), over or range: what the numeral itself says
}

// squeeze removes the spaces OCR and layout leave inside a number (七 万 5 千, 1000  万) and
// folds the variant characters numeral does not read: 倆 (两), 万万 (亿, as in 四万万).
var squeezer = strings.NewReplacer(" ", "", "\u3000", "", "\t", "", "\u00a0", "", "倆", "两", "萬萬", "亿", "万万", "亿", "萬", "万", "億", "亿")

func squeeze(s string) string {
	// Most figures hold none of squeezer's old strings: skip the Replacer's scan then (one
	// pass over the runes; strings.ContainsAny with a non-ASCII set costs a search per rune).
	for _, r := range s {
		switch r {
		case ' ', '\u3000', '\t', '\u00a0', '倆', '萬', '億':
			return squeezer.Replace(s)
		}
	}
	if strings.Contains(s, "万万") {
		return squeezer.Replace(s)
	}
	return s
}

var (
	// 2e5, 1.5E-3, 2.7890e-1: scientific notation.
	sciRe = regexp.MustCompile(`^([-+−－]?)([0-9]+(?:\.[0-9]+)?)[eE]([-+−－]?)([0-9]{1,3})$`)
	// 2^5, 2.5^-1, -1.1^+23: a power; a minus before the base negates the result.
	powRe = regexp.MustCompile(`^([-−－]?)([0-9]+(?:\.[0-9]+)?)\^([-+−－]{0,2})([0-9]{1,3})$`)
	// 3/5, -3/2, 1 3/5 (a whole number, a space, a fraction), 16／5.
	slashRe = regexp.MustCompile(`^([-−－]?)(?:([0-9]+)\s+)?([0-9]+(?:\.[0-9]+)?)\s*[/／]\s*([0-9]+(?:\.[0-9]+)?)$`)
)

// parseFigure reads every way a rule's num group may write a number: plain (3,450万,
// 一千二百, 1.52万), signed (负三十二, -10000), scientific (2e5), fractions (三分之一, 3/5,
// 三百五又三分之一), and vague amounts (十几万 → 10万 to 19万, over; 五六百 → 500 to 600,
// range; 上万 → 10000 to 99999, over; 40余万 → 40万 to 49万, over).
func parseFigure(raw string) (figure, error) {
	f, err := readFigure(raw)
	if err == nil && (math.IsInf(f.v, 0) || math.IsNaN(f.v) || math.IsInf(f.max, 0) || math.IsNaN(f.max)) {
		return figure{}, fmt.Errorf("%q is out of range", raw)
	}
	return f, err
}

func readFigure(raw string) (figure, error) {
	// Each of the three patterns needs a character most figures lack (/ or ／, ^, e or E):
	// they run only when it is there.
	if strings.ContainsAny(raw, "/／") {
		if m := slashRe.FindStringSubmatch(strings.TrimSpace(raw)); m != nil {
			return slashFraction(m)
		}
	}
	s := squeeze(raw)
	switch s {
	case "":
		return figure{}, fmt.Errorf("empty number")
	case "半":
		return figure{v: 0.5}, nil // 半小时, 半个月
	}
	if m := matchIf(powRe, s, "^"); m != nil {
		base, _ := strconv.ParseFloat(m[2], 64)
		exp, _ := strconv.Atoi(m[4])
		if strings.Count(m[3], "-")+strings.Count(m[3], "－")+strings.Count(m[3], "−") == 1 {
			exp = -exp
		}
		v := math.Pow(base, float64(exp))
		if m[1] != "" {
			v = -v
		}
		return figure{v: v}, nil
	}
	if m := matchIf(sciRe, s, "eE"); m != nil {
		mant, _ := strconv.ParseFloat(m[2], 64)
		exp, _ := strconv.Atoi(m[4])
		if m[3] != "" && m[3] != "+" {
			exp = -exp
		}
		v := mant * math.Pow(10, float64(exp))
		if m[1] != "" && m[1] != "+" {
			v = -v
		}
		return figure{v: v}, nil
	}
	if strings.Contains(s, "分之") {
		return chineseFraction(s)
	}
	if v, err := parseNum(s); err == nil {
		return figure{v: v}, nil
	}
	if neg, body := cutNeg(s); strings.HasPrefix(body, ".") {
		// .5 and -.5: a decimal with its leading zero left out.
		if v, err := numeral.Parse("0" + body); err == nil {
			if neg {
				v = -v
			}
			return figure{v: v}, nil
		}
	}
	neg, body := cutNeg(s)
	f, err := vague(body)
	if err != nil {
		return figure{}, err
	}
	if neg {
		f.v, f.max = -f.max, -f.v
	}
	return f, nil
}

// matchIf is re.FindStringSubmatch(s) when s holds one of chars, which every match of re
// holds; nil otherwise.
func matchIf(re *regexp.Regexp, s, chars string) []string {
	if !strings.ContainsAny(s, chars) {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// cutNeg removes a leading minus sign or 负.
func cutNeg(s string) (bool, string) {
	for _, m := range []string{"-", "负", "負", "－", "−"} {
		if rest, ok := strings.CutPrefix(s, m); ok {
			return true, rest
		}
	}
	return false, s
}

// vagueMore and vagueSome remove the words of a vague amount (built once: a Replacer is costly
// to build).
var (
	vagueMore = strings.NewReplacer("多", "", "余", "")
	vagueSome = strings.NewReplacer("零几", "", "零幾", "", "几", "", "幾", "")
)

// vague reads a vague amount. 多, 余 and a 几 after a digit say "more than the number
// written": the value is the number as written without them (十几万 → 100000, 500余万 →
// 5000000), qualifier over, and value_max the bound the words set: for 几 what numeral.Vague
// says it reaches (十几万 → 190000), for 多 and 余 the next step of the last digit written
// (500余万 → 6000000, 40多 → 50). A leading 几 or 数 and two rising digits (五六百) give a
// range; 上万 and 上百 give "that order or more".
func vague(s string) (figure, error) {
	lo, hi, ok := numeral.Vague(s)
	var base string
	switch {
	case strings.ContainsAny(s, "多余"):
		base = vagueMore.Replace(s)
	case strings.ContainsAny(s, "几幾") && !strings.HasPrefix(s, "几") && !strings.HasPrefix(s, "幾"):
		base = vagueSome.Replace(s)
	}
	if base != "" {
		v, err := parseNum(base)
		if err != nil {
			return figure{}, err
		}
		f := figure{v: v, qual: "over"}
		switch {
		case strings.ContainsAny(s, "多余"):
			// 多 and 余 stop short of the next step of the last digit written: 40多 is below
			// 50, 4700余 below 4800, 1万多 below 2万, 110.8亿多 below 110.9亿.
			if step := lastPlace(v); step > 0 {
				f.max, f.hasMax = v+step, true
			}
		case ok && hi > v:
			// 几 stands for one digit: 十几万 reaches 十九万.
			f.max, f.hasMax = hi, true
		}
		return f, nil
	}
	if !ok {
		_, err := numeral.Parse(s)
		if err == nil {
			err = fmt.Errorf("%q is not a vague amount", s)
		}
		return figure{}, err
	}
	q := "range"
	if strings.HasPrefix(s, "上") {
		q = "over"
	}
	return figure{v: lo, max: hi, hasMax: true, qual: q}, nil
}

// chineseFraction reads X分之Y, with an optional whole part before 又: 三分之一,
// 三百五又三分之一, 负一又二分之一.
func chineseFraction(s string) (figure, error) {
	whole, frac, mixed := strings.Cut(s, "又")
	if !mixed {
		frac, whole = whole, ""
	}
	v, err := numeral.Fraction(frac)
	if err != nil {
		return figure{}, err
	}
	if whole != "" {
		w, err := numeral.Parse(whole)
		if err != nil {
			return figure{}, err
		}
		if w < 0 || math.Signbit(w) {
			v = w - v
		} else {
			v = w + v
		}
	}
	return figure{v: v}, nil
}

func slashFraction(m []string) (figure, error) {
	num, _ := strconv.ParseFloat(m[3], 64)
	den, _ := strconv.ParseFloat(m[4], 64)
	if den == 0 {
		return figure{}, fmt.Errorf("zero denominator")
	}
	v := num / den
	if m[2] != "" {
		w, _ := strconv.ParseFloat(m[2], 64)
		v += w
	}
	if m[1] != "" {
		v = -v
	}
	return figure{v: v}, nil
}

// lastPlace is the place value of the last non-zero digit of v: 4700 → 100, 40 → 10,
// 110.8 → 0.1, 10000 → 10000; 0 for 0 and for values float64 cannot print exactly.
func lastPlace(v float64) float64 {
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		if len(frac) > 15 {
			return 0
		}
		return math.Pow(10, -float64(len(frac)))
	}
	t := strings.TrimRight(intPart, "0")
	if t == "" {
		return 0
	}
	return math.Pow(10, float64(len(intPart)-len(t)))
}
