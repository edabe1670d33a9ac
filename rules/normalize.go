package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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
	fn       func(r *Rule, g map[string]string, ctx Context) (Result, error)
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
	"amount":  {groups: []string{"num", "mult", "num2", "unit"}, required: []string{"num"}, fn: normAmount},
	"percent": {groups: []string{"num", "num2"}, required: []string{"num"}, fn: normPercent},
	"date":    {groups: []string{"year", "month", "day", "year2", "month2", "day2", "rel", "part", "relday"}, fn: normDate},
}

func normalizerList() string {
	var ks []string
	for k := range normalizers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func (r *Rule) qualifier(g map[string]string) string {
	q := "exact"
	if g["num2"] != "" || g["month2"] != "" || g["day2"] != "" || g["year2"] != "" {
		return "range"
	}
	quals := r.set.Maps["qualifiers"]
	var names []string
	for name := range g {
		if strings.HasPrefix(name, "q") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if v, ok := quals[g[name]]; ok && v != "exact" {
			return v
		}
	}
	return q
}

func (r *Rule) unit(g map[string]string) string {
	if r.Unit != "" {
		return r.Unit
	}
	u := g["unit"]
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

func normAmount(r *Rule, g map[string]string, _ Context) (Result, error) {
	num := g["num"]
	if strings.HasPrefix(num, "千") || strings.HasPrefix(num, "百") {
		// 超千单 is more than 1000 orders, but 每千元 is no amount: a bare 千 or 百 counts
		// only after a qualifier.
		if g["q1"] == "" {
			return Result{}, fmt.Errorf("%q without a digit or a qualifier before it", num)
		}
	}
	v, err := parseNum(num)
	if err != nil {
		return Result{}, err
	}
	if m := g["mult"]; m != "" {
		// 40余万元: the multiplier comes after the qualifier.
		f, ok := numeral.Mult(m)
		if !ok {
			return Result{}, fmt.Errorf("unknown multiplier %q", m)
		}
		v *= f
	}
	res := Result{Value: &v, Unit: r.unit(g), Qualifier: r.qualifier(g)}
	if n2 := g["num2"]; n2 != "" {
		v2, err := parseNum(n2)
		if err != nil {
			return Result{}, err
		}
		// 8至10亿元: the multiplier written once applies to both ends.
		if trailingMult(g["num"]) == 1 {
			if m := trailingMult(n2); m != 1 {
				v *= m
			}
		}
		if v2 < v {
			return Result{}, fmt.Errorf("range %s..%s runs backwards", g["num"], n2)
		}
		res.ValueMax = &v2
	}
	return res, nil
}

func normPercent(r *Rule, g map[string]string, _ Context) (Result, error) {
	v, err := numeral.Percent(g["num"])
	if err != nil {
		return Result{}, err
	}
	unit := r.Unit
	if unit == "" {
		unit = "%"
	}
	res := Result{Value: &v, Unit: unit, Qualifier: r.qualifier(g)}
	if n2 := g["num2"]; n2 != "" {
		v2, err := numeral.Percent(n2)
		if err != nil {
			return Result{}, err
		}
		if v2 < v {
			return Result{}, fmt.Errorf("range %s..%s runs backwards", g["num"], n2)
		}
		res.ValueMax = &v2
	}
	return res, nil
}

var relYears = map[string]int{"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "后年": 2}

// parts of a year: the first and last month.
var yearParts = map[string][2]int{
	"上半年": {1, 6}, "下半年": {7, 12},
	"一季度": {1, 3}, "二季度": {4, 6}, "三季度": {7, 9}, "四季度": {10, 12},
	"第一季度": {1, 3}, "第二季度": {4, 6}, "第三季度": {7, 9}, "第四季度": {10, 12},
	"1季度": {1, 3}, "2季度": {4, 6}, "3季度": {7, 9}, "4季度": {10, 12},
}

// relDays are days named relative to the reference date.
var relDays = map[string]int{"今天": 0, "今日": 0, "今晚": 0, "当天": 0, "当日": 0, "昨天": -1, "昨日": -1, "昨晚": -1,
	"前天": -2, "明天": 1, "明日": 1, "明晚": 1, "后天": 2}

func smallInt(s string) (int, error) {
	switch s {
	case "":
		return 0, nil
	case "元", "正": // 元月, 正月: the first month
		return 1, nil
	}
	f, err := numeral.Parse(s)
	if err != nil {
		return 0, err
	}
	if f != float64(int(f)) || f < 0 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int(f), nil
}

func normDate(r *Rule, g map[string]string, ctx Context) (Result, error) {
	var ref time.Time
	if ctx.RefDate != "" {
		t, err := time.Parse("2006-01-02", ctx.RefDate)
		if err != nil {
			return Result{}, fmt.Errorf("reference date %q: %v", ctx.RefDate, err)
		}
		ref = t
	}
	if rd := g["relday"]; rd != "" {
		off, ok := relDays[rd]
		if !ok {
			return Result{}, fmt.Errorf("unknown relative day %q", rd)
		}
		if ref.IsZero() {
			return Result{}, fmt.Errorf("%s needs a publication date (--pub-date)", rd)
		}
		t := ref.AddDate(0, 0, off)
		return Result{Date: t.Format("2006-01-02")}, nil
	}
	year, err := smallInt(g["year"])
	if err != nil {
		return Result{}, err
	}
	year2, err := smallInt(g["year2"])
	if err != nil {
		return Result{}, err
	}
	if year != 0 && year < 100 {
		return Result{}, fmt.Errorf("two-digit year %q", g["year"])
	}
	month, err := smallInt(g["month"])
	if err != nil {
		return Result{}, err
	}
	day, err := smallInt(g["day"])
	if err != nil {
		return Result{}, err
	}
	month2, err := smallInt(g["month2"])
	if err != nil {
		return Result{}, err
	}
	day2, err := smallInt(g["day2"])
	if err != nil {
		return Result{}, err
	}
	if rel := g["rel"]; rel != "" && year == 0 {
		off, ok := relYears[rel]
		if !ok {
			return Result{}, fmt.Errorf("unknown relative year %q", rel)
		}
		if ref.IsZero() {
			return Result{}, fmt.Errorf("%s needs a publication date (--pub-date)", rel)
		}
		year = ref.Year() + off
	}
	if year == 0 {
		if ref.IsZero() {
			return Result{}, fmt.Errorf("a date without a year needs a publication date (--pub-date)")
		}
		year = ref.Year()
		// A month written without a year that lies far ahead of the reference date is last
		// year's: a paper of 1 January writing 12月31日 means the day before.
		if last := max(month, month2); last != 0 && last-int(ref.Month()) >= 6 {
			year--
		}
		// A day without a month is in the reference month, or the month before when it is
		// still to come (30日 in a paper of 1 January).
		if month == 0 && day != 0 && g["part"] == "" {
			t := time.Date(ref.Year(), ref.Month(), 1, 0, 0, 0, 0, time.UTC)
			if day > ref.Day() {
				t = t.AddDate(0, -1, 0)
			}
			year, month = t.Year(), int(t.Month())
		}
	}
	if p := g["part"]; p != "" {
		span, ok := yearParts[p]
		if !ok {
			return Result{}, fmt.Errorf("unknown part of a year %q", p)
		}
		month, month2 = span[0], span[1]
	}
	if month > 12 || month2 > 12 || (month2 != 0 && month == 0) {
		return Result{}, fmt.Errorf("no such month in %q", g["month"]+"~"+g["month2"])
	}
	if day != 0 && (month == 0 || !validDay(year, month, day)) {
		return Result{}, fmt.Errorf("no such day %d-%d-%d", year, month, day)
	}
	res := Result{Date: isoDate(year, month, day), Qualifier: r.qualifier(g)}
	if res.Qualifier == "exact" {
		res.Qualifier = ""
	}
	switch {
	case year2 != 0:
		if month != 0 || year2 <= year {
			return Result{}, fmt.Errorf("year range %d..%d", year, year2)
		}
		res.DateEnd = isoDate(year2, 0, 0)
	case month2 != 0:
		if day2 != 0 && !validDay(year, month2, day2) {
			return Result{}, fmt.Errorf("no such day %d-%d-%d", year, month2, day2)
		}
		res.DateEnd = isoDate(year, month2, day2)
	case day2 != 0:
		if !validDay(year, month, day2) {
			return Result{}, fmt.Errorf("no such day %d-%d-%d", year, month, day2)
		}
		res.DateEnd = isoDate(year, month, day2)
	}
	if res.DateEnd != "" && res.DateEnd < res.Date {
		return Result{}, fmt.Errorf("period %s..%s runs backwards", res.Date, res.DateEnd)
	}
	if g["part"] != "" || g["month2"] != "" || g["day2"] != "" || g["year2"] != "" {
		res.Qualifier = ""
	}
	return res, nil
}

func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

func isoDate(y, m, d int) string {
	s := strconv.Itoa(y)
	if len(s) < 4 {
		s = strings.Repeat("0", 4-len(s)) + s
	}
	if m == 0 {
		return s
	}
	s += fmt.Sprintf("-%02d", m)
	if d == 0 {
		return s
	}
	return s + fmt.Sprintf("-%02d", d)
}
