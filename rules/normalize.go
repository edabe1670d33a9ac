package rules

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/rules/numeral"
)

// Context is what a normaliser knows beyond the match: the date relative dates resolve
// against (the article's dateline, else the publication date), as YYYY-MM-DD, or "".
type Context struct {
	RefDate string
}

// Result is a normalised figure or date.
type Result struct {
	Value     *float64
	ValueMax  *float64
	Unit      string
	Qualifier string
	Date      string
	DateEnd   string
}

// normalizer turns a match's named groups into a Result. groups lists the group names it
// reads (besides q… qualifier groups), required those a pattern must have.
type normalizer struct {
	groups   []string
	required []string
	fn       func(r *Rule, g *groups, ctx Context) (Result, error)
	// context: fn reads ctx. The others' results depend on the groups alone, which lets a
	// Matcher remember them across contexts; set it for any normaliser that starts to.
	context bool
}

func (n normalizer) uses(group string) bool {
	if strings.HasPrefix(group, "q") {
		return true
	}
	for _, g := range n.groups {
		if g == group {
			return true
		}
	}
	return false
}

// normalizers is the one table of normalisers a rule can name.
var normalizers = map[string]normalizer{
	"amount":   {groups: []string{"num", "mult", "num2", "unit", "half", "neg", "jiao", "fen"}, required: []string{"num"}, fn: normAmount},
	"number":   {groups: []string{"num", "mult", "num2", "neg"}, required: []string{"num"}, fn: normNumber},
	"percent":  {groups: []string{"num", "num2", "neg"}, required: []string{"num"}, fn: normPercent},
	"duration": {groups: []string{"num", "mult", "num2", "unit", "half"}, required: []string{"num"}, fn: normDuration},
	"ordinal":  {groups: []string{"num", "num2"}, required: []string{"num"}, fn: normOrdinal},
	"discount": {groups: []string{"num"}, required: []string{"num"}, fn: normDiscount},
	"date":     {groups: dateGroups, fn: normDate, context: true},
}

func normalizerList() string {
	var ks []string
	for k := range normalizers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func (r *Rule) qualifier(g *groups) string {
	q := "exact"
	// g holds groups of the rule's pattern only (matchInto), so its second ends are among
	// r.rangeGroups; its qualifier groups are in name order.
	r.qualifierGroups()
	for _, id := range r.rangeGroups {
		if g.v[id] != "" {
			return "range"
		}
	}
	quals := r.set.Maps["qualifiers"]
	for _, s := range g.quals {
		if s == "" {
			continue
		}
		if v, ok := quals[qualKey(s)]; ok && v != "exact" {
			return v
		}
	}
	return q
}

// qualifierGroups returns the names of the rule's groups that hold qualifier words (they start
// with q), sorted, each once; worked out on first use, with r.rangeGroups.
func (r *Rule) qualifierGroups() []string {
	r.qGroupsOnce.Do(func() {
		for _, name := range r.names {
			if strings.HasPrefix(name, "q") && !slices.Contains(r.qGroups, name) {
				r.qGroups = append(r.qGroups, name)
			}
		}
		for _, id := range []groupID{gNum2, gMonth2, gDay2, gYear2} {
			if slices.Contains(r.names, groupNames[id]) {
				r.rangeGroups = append(r.rangeGroups, id)
			}
		}
		sort.Strings(r.qGroups)
		r.resolveSlots()
	})
	return r.qGroups
}

// qualJoins are what qualKey removes; a Replacer is built once, not per call.
var qualJoins = strings.NewReplacer(" ", "", "\u3000", "", "或者", "", "或", "", "及", "")

// qualKey is the form a qualifier is looked up by: without spaces, 或者/或/及 (大于或等于,
// 及以上) and a trailing 有/是/为/了 (至少有, 超过了).
func qualKey(s string) string {
	if strings.ContainsAny(s, " \u3000或及") { // what qualJoins replaces begins with one of them
		s = qualJoins.Replace(s)
	}
	if k := strings.TrimRight(s, "有是为了"); k != "" {
		return k
	}
	return s
}

func (r *Rule) unit(g *groups) string {
	if r.Unit != "" {
		return r.Unit
	}
	u := g.v[gUnit]
	if m := r.set.Maps[r.UnitMap]; m != nil {
		if v, ok := m[u]; ok {
			return v
		}
	}
	return u
}

// trailingMult returns the 万/亿 multiplier a number ends with ("10亿" → 1e8), or 1.
func trailingMult(s string) float64 {
	for _, suf := range []string{"万亿", "亿", "万"} {
		if strings.HasSuffix(s, suf) {
			m, _ := numeral.Mult(suf)
			return m
		}
	}
	return 1
}

// parseNum parses a number as a rule captured it. A bare 百, 千 or 万 is one of it: 超千单 is
// more than 1000 orders.
func parseNum(s string) (float64, error) {
	v, err := numeral.Parse(s)
	if err != nil && (strings.HasPrefix(s, "百") || strings.HasPrefix(s, "千") || strings.HasPrefix(s, "万")) {
		if v2, err2 := numeral.Parse("一" + s); err2 == nil {
			return v2, nil
		}
	}
	return v, err
}

// preferLongUnit gives a unit that begins with 千 or 百 back to the unit: in 12千米 and
// 70万千瓦 the pattern may read 12千 and 70万千 as the number, but 千米 and 千瓦 are units
// (and 五十兆字节 is 50 兆字节).
func preferLongUnit(r *Rule, g *groups) *groups {
	u := g.v[gUnit]
	if u == "" {
		return g
	}
	m := r.set.Maps[r.UnitMap]
	if m == nil || g.v[gMult] != "" || g.v[gQ2] != "" || g.v[gNum2] != "" {
		return g
	}
	num := strings.TrimRight(g.v[gNum], " \u3000")
	for _, p := range []string{"千", "百", "仟", "佰", "兆"} {
		if rest, ok := strings.CutSuffix(num, p); ok && rest != "" {
			if _, known := m[p+u]; known {
				h := *g // quals are shared: nobody writes them
				h.v[gNum], h.v[gUnit] = rest, p+u
				return &h
			}
		}
	}
	return g
}

func normAmount(r *Rule, g *groups, _ Context) (Result, error) {
	g = preferLongUnit(r, g)
	num := squeeze(g.v[gNum])
	if strings.HasPrefix(num, "千") || strings.HasPrefix(num, "百") {
		// 超千单 is more than 1000 orders, but 每千元 is no amount: a bare 千 or 百 counts
		// only after a qualifier.
		if g.v[gQ1] == "" {
			return Result{}, fmt.Errorf("%q without a digit or a qualifier before it", num)
		}
	}
	if strings.HasSuffix(num, "兆") {
		// 五兆六十二亿 is 5×10^12 and more, but a closing 兆 is mega: 5兆瓦, 100兆.
		return Result{}, fmt.Errorf("%q: a closing 兆 is mega, not 10^12", num)
	}
	raw := g.v[gNum]
	if q := g.v[gQ2]; q == "多" || q == "余" {
		// 40余万元, 2亿多元: the qualifier bounds the value; read them together.
		raw += q
	}
	f, err := parseFigure(raw)
	if err != nil {
		return Result{}, err
	}
	v := f.v
	if m := g.v[gMult]; m != "" {
		// 40余万元: the multiplier comes after the qualifier.
		x, ok := numeral.Mult(squeeze(m))
		if m == "打" {
			x, ok = 12, true // 五十打: fifty dozen
		}
		if !ok {
			return Result{}, fmt.Errorf("unknown multiplier %q", m)
		}
		v *= x
		f.max *= x
	}
	if g.v[gHalf] != "" {
		// 一吨半, 三年半: half a unit more.
		if f.hasMax || v != math.Trunc(v) {
			return Result{}, fmt.Errorf("半 after %q", g.v[gNum])
		}
		v += 0.5
	}
	for _, p := range [...]struct {
		id    groupID
		scale float64
	}{{gJiao, 0.1}, {gFen, 0.01}} {
		// 50元6角三分: tenths and hundredths of the unit (角 first, then 分).
		part, scale := groupNames[p.id], p.scale
		if x := g.v[p.id]; x != "" {
			d, err := parseNum(squeeze(x))
			if err != nil || d < 0 || d >= 100 || (part == "jiao" && d >= 10) {
				return Result{}, fmt.Errorf("%s %q", part, x)
			}
			v += d * scale
		}
	}
	f.v = v
	res := r.figureResult(g, f, r.unit(g))
	if n2 := g.v[gNum2]; n2 != "" {
		f2, err := parseFigure(n2)
		if err != nil {
			return Result{}, err
		}
		v2 := f2.top()
		// 8至10亿元: the multiplier written once applies to both ends.
		if trailingMult(squeeze(g.v[gNum])) == 1 && g.v[gMult] == "" && !f.hasMax {
			if m := trailingMult(squeeze(n2)); m != 1 {
				*res.Value *= m
			}
		}
		if m := g.v[gMult]; m != "" {
			// 3至5万人: a multiplier after the range applies to both ends.
			x, _ := numeral.Mult(squeeze(m))
			v2 *= x
		}
		if v2 < *res.Value {
			return Result{}, fmt.Errorf("range %s..%s runs backwards", g.v[gNum], n2)
		}
		res.ValueMax = &v2
		res.Qualifier = "range"
	}
	return res, nil
}

// bareNumber is normNumber's error for a number that says nothing by itself; it is formatted
// only when read, since extraction drops these by the thousand without reading why.
type bareNumber string

func (n bareNumber) Error() string { return fmt.Sprintf("%q is a bare number", string(n)) }

// normNumber reads a bare number, one that no unit explains, as amount does, but only when
// the figure says something by itself: it has a sign, a qualifier, a second end, a 万/亿, a
// decimal or thousands separator, a Chinese unit (一百五十二), or is vague or a fraction. A
// bare 12 or 2023, a lone 五 and a digit string (五一, 三八) are noise in running text.
func normNumber(r *Rule, g *groups, ctx Context) (Result, error) {
	if !significant(g) {
		return Result{}, bareNumber(g.v[gNum])
	}
	if n2 := squeeze(g.v[gNum2]); n2 != "" && (phoneLike.MatchString(squeeze(g.v[gNum])) || phoneLike.MatchString(n2)) {
		return Result{}, fmt.Errorf("%s-%s is a telephone or serial number", g.v[gNum], n2)
	}
	res, err := normAmount(r, g, ctx)
	if err == nil && res.ValueMax != nil && *res.ValueMax == *res.Value {
		return Result{}, fmt.Errorf("%s-%s: a score, not a range", g.v[gNum], g.v[gNum2])
	}
	return res, err
}

// phoneLike: 010, 0731 (area codes) and runs of seven or more digits (8131988).
var phoneLike = regexp.MustCompile(`^(?:0[0-9]+|[0-9]{7,})$`)

func significant(g *groups) bool {
	num := squeeze(g.v[gNum])
	_, s := cutNeg(num)
	if c, size := utf8.DecodeRuneInString(s); size == len(s) && size > 0 && (c < '0' || c > '9') && g.v[gNum2] == "" && g.v[gMult] == "" {
		// 超过一定, 低于一些: a lone Chinese digit is a word more often than a figure.
		return false
	}
	if g.anyQual() || g.v[gNum2] != "" || g.v[gMult] != "" || g.v[gNeg] != "" {
		return true
	}
	if s != num {
		return true
	}
	if strings.ContainsAny(s, ".,/／eE^") {
		return true
	}
	return utf8.RuneCountInString(s) >= 2 && strings.ContainsAny(s, "十百千拾佰仟廿卅万亿萬億点點几幾数分")
}

func normPercent(r *Rule, g *groups, _ Context) (Result, error) {
	f, err := percentValue(g.v[gNum])
	if err != nil {
		return Result{}, err
	}
	return percentResult(r, g, f)
}

// normDiscount reads a discount in 折, the price as tenths of the full one: 八折 → 80%,
// 75折 → 75%, 9.9折 → 99%, 对折 → 50%.
func normDiscount(r *Rule, g *groups, _ Context) (Result, error) {
	s := squeeze(g.v[gNum])
	var v float64
	switch {
	case s == "对" || s == "對" || s == "半":
		v = 50
	case strings.ContainsAny(s, ".点點"):
		x, err := parseNum(s)
		if err != nil || x <= 0 || x >= 10 {
			return Result{}, fmt.Errorf("%q折 is no discount", s)
		}
		v = x * 10
	default:
		x, err := numeral.Parse(s)
		n := utf8.RuneCountInString(s)
		switch {
		case err != nil || x != math.Trunc(x) || x <= 0:
			return Result{}, fmt.Errorf("%q折 is no discount", s)
		case x < 10 && (n == 1 || s[0] >= '0' && s[0] <= '9'):
			v = x * 10 // 八折, 2折
		case x >= 10 && x < 100 && n == 2:
			v = x // 75折, 五五折, 三八折
		default:
			return Result{}, fmt.Errorf("%q折 is no discount", s)
		}
	}
	return percentResult(r, g, figure{v: v})
}

// yearLike: 1997, 一九九七, 07, 零八 — how a year is written, not a count of years.
var yearLike = regexp.MustCompile(`^(?:[12][0-9]{3}|[一二][〇零一二三四五六七八九]{3}|0[0-9]|[〇零][〇零一二三四五六七八九])$`)

// normDuration reads a duration as amount does, but refuses a year written as a year: 1997年
// is a date even after 高于; 约2000年 and 2000多年 are spans of time.
func normDuration(r *Rule, g *groups, ctx Context) (Result, error) {
	if r.unit(g) == "year" && yearLike.MatchString(squeeze(g.v[gNum])) && g.v[gQ2] == "" && g.v[gNum2] == "" {
		switch qualKey(g.v[gQ1]) {
		case "约", "大约", "近", "将近", "接近", "逾", "超过", "超", "长达", "不到", "不足":
		default:
			return Result{}, fmt.Errorf("%q年 is a year, not a duration", g.v[gNum])
		}
	}
	return normAmount(r, g, ctx)
}

// normOrdinal reads the number after 第: 第三 → 3, 第２５０ → 250, 第3万 → 30000; num2 makes
// a range (第十和第十五之间, 第3至5名).
func normOrdinal(r *Rule, g *groups, _ Context) (Result, error) {
	n, err := numeral.Ordinal("第" + squeeze(g.v[gNum]))
	if err != nil {
		return Result{}, err
	}
	v := float64(n)
	res := Result{Value: &v, Qualifier: r.qualifier(g)}
	if n2 := g.v[gNum2]; n2 != "" {
		m, err := numeral.Ordinal("第" + squeeze(n2))
		if err != nil {
			return Result{}, err
		}
		if m <= n {
			return Result{}, fmt.Errorf("range %s..%s runs backwards", g.v[gNum], n2)
		}
		v2 := float64(m)
		res.ValueMax = &v2
	}
	return res, nil
}

// figureResult builds the Result of a figure: its value, the upper bound its words give it
// (十几万, 五六百) with the qualifier they imply, and the sign of a 负 or 零下 (which turns a
// range around).
func (r *Rule) figureResult(g *groups, f figure, unit string) Result {
	if g.v[gNeg] != "" {
		if f.hasMax {
			f.v, f.max = -f.max, -f.v
		} else {
			f.v = -f.v
		}
	}
	v := f.v
	res := Result{Value: &v, Unit: unit, Qualifier: r.qualifier(g)}
	if f.hasMax {
		mx := f.max
		res.ValueMax = &mx
		if res.Qualifier == "exact" {
			res.Qualifier = f.qual
		}
	}
	return res
}

// top is the highest value a figure allows: its upper bound, else its value.
func (f figure) top() float64 {
	if f.hasMax {
		return f.max
	}
	return f.v
}

func percentResult(r *Rule, g *groups, f figure) (Result, error) {
	unit := r.Unit
	if unit == "" {
		unit = "%"
	}
	res := r.figureResult(g, f, unit)
	if n2 := g.v[gNum2]; n2 != "" {
		f2, err := percentValue(n2)
		if err != nil {
			return Result{}, err
		}
		v2 := f2.top()
		if v2 < *res.Value {
			return Result{}, fmt.Errorf("range %s..%s runs backwards", g.v[gNum], n2)
		}
		res.ValueMax = &v2
		res.Qualifier = "range"
	}
	return res, nil
}

// percentValue reads a percentage as written, in percent: 94%, 百分之十二点五, 百分之二三十
// (20 to 30), 千分之五 (0.5), 万分之三 (0.03), 四成 (40), 三成半 (35), 7.2成 (72), 半成 (5), 八九成
// (80 to 90), and the number before 个百分点. 15k is 15000.
func percentValue(raw string) (figure, error) {
	s := squeeze(raw)
	scale := 1.0
	if t := strings.TrimRight(s, "kK"); t != s && len(s)-len(t) == 1 && t != "" && t[len(t)-1] >= '0' && t[len(t)-1] <= '9' {
		s, scale = t, 1000
	}
	var f figure
	var err error
	switch {
	case strings.HasPrefix(s, "百分之") || strings.HasPrefix(s, "佰分之"):
		rest := s[len("百分之"):]
		if rest == "百" || rest == "佰" {
			return figure{v: 100}, nil
		}
		f, err = parseFigure(rest)
	case strings.Contains(s, "分之"):
		var v float64
		v, err = numeral.Fraction(s)
		f = figure{v: v * 100}
	case strings.Contains(s, "成"):
		f, err = chengValue(s)
	case strings.HasSuffix(s, "%"):
		var v float64
		v, err = numeral.Percent(s)
		f = figure{v: v}
	default:
		f, err = parseFigure(s)
	}
	if err != nil {
		return figure{}, err
	}
	f.v *= scale
	f.max *= scale
	return f, nil
}

// chengValue reads X成Y: tenths, with one more digit or 半 after 成.
func chengValue(s string) (figure, error) {
	x, y, _ := strings.Cut(s, "成")
	var f figure
	if x == "半" {
		f = figure{v: 0.5}
	} else {
		var err error
		if f, err = parseFigure(x); err != nil {
			return figure{}, err
		}
	}
	if f.v < 0 || f.v > 10 || (f.hasMax && f.max > 10) {
		return figure{}, fmt.Errorf("%q: 成 counts tenths, 0 to 10", s)
	}
	f.v *= 10
	f.max *= 10
	switch {
	case y == "":
	case y == "半" && f.v == math.Trunc(f.v) && !f.hasMax && f.v < 100:
		f.v += 5
	default:
		d, err := numeral.Parse(y)
		if err != nil || utf8.RuneCountInString(y) != 1 || d != math.Trunc(d) || d < 1 || d > 9 || f.v != math.Trunc(f.v) || f.hasMax || f.v >= 100 {
			return figure{}, fmt.Errorf("%q: one digit may follow 成", s)
		}
		f.v += d
	}
	return f, nil
}
