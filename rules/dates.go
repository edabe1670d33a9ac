package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsfacts/newsfacts/rules/numeral"
)

// The date normaliser's groups, each optional; a rule names the ones its pattern captures.
var dateGroups = []string{
	"year", "yy", "era", "eranum", "rel", "month", "relmonth", "day", "lday", "part",
	"year2", "yy2", "rel2", "month2", "day2",
	"relday", "relday2", "ago", "agounit", "week", "weekday", "nth", "nthunit", "firstn", "lastn", "nunit",
	"century", "decade", "holiday",
}

var relYears = map[string]int{"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "来年": 1, "后年": 2}

// parts of a year: the first and last month.
var yearParts = map[string][2]int{
	"上半年": {1, 6}, "下半年": {7, 12}, "前半年": {1, 6}, "后半年": {7, 12},
	"一季度": {1, 3}, "二季度": {4, 6}, "三季度": {7, 9}, "四季度": {10, 12},
	"第一季度": {1, 3}, "第二季度": {4, 6}, "第三季度": {7, 9}, "第四季度": {10, 12},
	"1季度": {1, 3}, "2季度": {4, 6}, "3季度": {7, 9}, "4季度": {10, 12},
	"第1季度": {1, 3}, "第2季度": {4, 6}, "第3季度": {7, 9}, "第4季度": {10, 12},
}

// isoShape: YYYY, YYYY-MM, YYYY-MM-DD with a year from 0001 to 9999.
var isoShape = regexp.MustCompile(`^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$`)

// relDays are days named relative to the reference date.
var relDays = map[string]int{
	"今天": 0, "今日": 0, "今晚": 0, "今晨": 0, "今早": 0, "今夜": 0, "当天": 0, "当日": 0,
	"昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1, "昨晨": -1,
	"前天": -2, "前晚": -2, "大前天": -3,
	"明天": 1, "明日": 1, "明晚": 1, "明早": 1, "明晨": 1,
	"后天": 2, "後天": 2, "大后天": 3,
}

// relMonths are months named relative to the reference date.
var relMonths = map[string]int{"本月": 0, "这个月": 0, "當月": 0, "当月": 0, "上月": -1, "上个月": -1, "上個月": -1, "下月": 1, "下个月": 1, "下個月": 1}

// relWeeks are weeks named relative to the reference date's week (Monday to Sunday).
var relWeeks = map[string]int{"": 0, "本": 0, "这": 0, "這": 0, "今": 0, "上": -1, "上上": -2, "下": 1, "下下": 2}

var weekdays = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}

func smallInt(s string) (int, error) {
	s = squeeze(s)
	switch s {
	case "":
		return 0, nil
	case "元", "正": // 元月, 正月, 元年: the first
		return 1, nil
	}
	s = strings.TrimPrefix(s, "初") // 初一: the first day of a (lunar) month
	f, err := numeral.Parse(s)
	if err != nil {
		return 0, err
	}
	if f != float64(int(f)) || f < 0 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int(f), nil
}

// inferYear gives a month written without a year the year a newspaper means: the reference
// date's, except that a paper of January or February still looks back on last year's second
// half (12月31日 in a January paper is the day before), a later paper only on the last
// months (11月 in March), and a paper of November or December looks ahead to January.
func inferYear(month int, ref time.Time) int {
	y, d := ref.Year(), month-int(ref.Month())
	switch {
	case d >= 6 && (ref.Month() <= time.February || d >= 8):
		return y - 1
	case d <= -10:
		return y + 1
	}
	return y
}

// twoDigitYear reads 07年, 98年, 零八年: the latest year with those last two digits no more
// than ten years after the reference date.
func twoDigitYear(s string, ref time.Time) (int, error) {
	n, err := smallInt(s)
	if err != nil || n > 99 {
		return 0, fmt.Errorf("two-digit year %q", s)
	}
	base := 2000
	if !ref.IsZero() {
		base = ref.Year() / 100 * 100
	}
	y := base + n
	limit := 2030
	if !ref.IsZero() {
		limit = ref.Year() + 10
	}
	for y > limit {
		y -= 100
	}
	return y, nil
}

// dateCtx is what the date normaliser works with: the rule's maps and the reference date.
type dateCtx struct {
	r   *Rule
	g   *groups
	ref time.Time
}

func (c *dateCtx) needRef(what string) error {
	if c.ref.IsZero() {
		return fmt.Errorf("%s needs a publication date (--pub-date)", what)
	}
	return nil
}

// year resolves the year a date names: written out (1997年, 一九九七年), in two digits (97年),
// an era's (康熙三年), or relative (今年, 去年). ok is false when none is written.
func (c *dateCtx) year(year, yy, rel string, first bool) (int, bool, error) {
	g := c.g
	switch {
	case year != "":
		y, err := smallInt(year)
		if err != nil {
			return 0, false, err
		}
		if y < 100 {
			return 0, false, fmt.Errorf("two-digit year %q", year)
		}
		return y, true, nil
	case yy != "":
		// 07年, 零八年, 18年10月: a two-digit year needs a leading zero or a month after it;
		// 20年 is twenty years.
		if first && g.v[gMonth] == "" && !strings.HasPrefix(yy, "0") && !strings.HasPrefix(yy, "零") && !strings.HasPrefix(yy, "〇") {
			return 0, false, fmt.Errorf("%q年 is a number of years", yy)
		}
		y, err := twoDigitYear(yy, c.ref)
		return y, err == nil, err
	case g.v[gEra] != "" && first:
		start, err := strconv.Atoi(c.r.set.Maps["eras"][g.v[gEra]])
		if err != nil {
			return 0, false, fmt.Errorf("unknown era %q", g.v[gEra])
		}
		n, err := smallInt(g.v[gEranum])
		if err != nil || n < 1 {
			return 0, false, fmt.Errorf("era year %q", g.v[gEranum])
		}
		return start + n - 1, true, nil
	case rel != "":
		off, ok := relYears[rel]
		if !ok {
			return 0, false, fmt.Errorf("unknown relative year %q", rel)
		}
		if err := c.needRef(rel); err != nil {
			return 0, false, err
		}
		return c.ref.Year() + off, true, nil
	}
	return 0, false, nil
}

// lastRef is the reference date parseRef read last: an article's dates all resolve against
// one, and time.Parse cost a tenth of the date normaliser.
var lastRef atomic.Pointer[parsedRef]

type parsedRef struct {
	s   string
	t   time.Time
	err error
}

// parseRef is time.Parse("2006-01-02", s), remembering the last answer.
func parseRef(s string) (time.Time, error) {
	if p := lastRef.Load(); p != nil && p.s == s {
		return p.t, p.err
	}
	t, err := time.Parse("2006-01-02", s)
	lastRef.Store(&parsedRef{s, t, err})
	return t, err
}

func normDate(r *Rule, g *groups, ctx Context) (Result, error) {
	c := &dateCtx{r: r, g: g}
	if ctx.RefDate != "" {
		t, err := parseRef(ctx.RefDate)
		if err != nil {
			return Result{}, fmt.Errorf("reference date %q: %v", ctx.RefDate, err)
		}
		c.ref = t
	}
	var res Result
	var err error
	switch {
	case g.v[gRelday] != "":
		res, err = c.relDay()
	case g.v[gAgo] != "":
		res, err = c.ago()
	case g.v[gWeekday] != "" || g.v[gWeek] != "":
		res, err = c.week()
	case g.v[gDecade] != "":
		res, err = c.decade()
	default:
		res, err = c.calendar()
	}
	if err != nil {
		return Result{}, err
	}
	for _, d := range []string{res.Date, res.DateEnd} {
		if d != "" && (!isoShape.MatchString(d) || strings.HasPrefix(d, "0000")) {
			return Result{}, fmt.Errorf("date %q out of range", d)
		}
	}
	if res.DateEnd != "" && res.DateEnd < res.Date {
		return Result{}, fmt.Errorf("period %s..%s runs backwards", res.Date, res.DateEnd)
	}
	if res.DateEnd == "" {
		if q := r.qualifier(g); q != "exact" && q != "range" {
			res.Qualifier = q
		}
	}
	return res, nil
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// relDay: 今天, 昨晚, 明天上午, and 从昨天…到明天.
func (c *dateCtx) relDay() (Result, error) {
	off, ok := relDays[c.g.v[gRelday]]
	if !ok {
		return Result{}, fmt.Errorf("unknown relative day %q", c.g.v[gRelday])
	}
	if err := c.needRef(c.g.v[gRelday]); err != nil {
		return Result{}, err
	}
	res := Result{Date: day(c.ref.AddDate(0, 0, off))}
	if rd2 := c.g.v[gRelday2]; rd2 != "" {
		off2, ok := relDays[rd2]
		if !ok {
			return Result{}, fmt.Errorf("unknown relative day %q", rd2)
		}
		if off2 != off {
			res.DateEnd = day(c.ref.AddDate(0, 0, off2))
		}
	}
	return res, nil
}

// ago: 5天前, 3个月前, 10年前 — a day, month or year back from the reference date, at the
// precision of the unit.
func (c *dateCtx) ago() (Result, error) {
	n, err := smallInt(c.g.v[gAgo])
	if err != nil {
		return Result{}, err
	}
	if yearLike.MatchString(squeeze(c.g.v[gAgo])) {
		return Result{}, fmt.Errorf("%q前 is a year", c.g.v[gAgo])
	}
	if err := c.needRef("a date counted back"); err != nil {
		return Result{}, err
	}
	switch u := c.g.v[gAgounit]; u {
	case "天", "日":
		return Result{Date: day(c.ref.AddDate(0, 0, -n))}, nil
	case "周", "星期", "个星期", "個星期", "礼拜", "个礼拜":
		return Result{Date: day(c.ref.AddDate(0, 0, -7*n))}, nil
	case "个月", "個月":
		t := time.Date(c.ref.Year(), c.ref.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -n, 0)
		return Result{Date: t.Format("2006-01")}, nil
	case "年":
		return Result{Date: isoDate(c.ref.Year()-n, 0, 0)}, nil
	default:
		return Result{}, fmt.Errorf("unknown unit %q", u)
	}
}

// monday returns the Monday of t's week.
func monday(t time.Time) time.Time {
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	return t.AddDate(0, 0, 1-wd)
}

// week: 上周三, 下下周, 上上个周末, 周三, 星期日 — the weeks run Monday to Sunday; a bare weekday
// is the one of the reference date's week.
func (c *dateCtx) week() (Result, error) {
	off, ok := relWeeks[c.g.v[gWeek]]
	if !ok {
		return Result{}, fmt.Errorf("unknown week %q", c.g.v[gWeek])
	}
	if err := c.needRef("a weekday"); err != nil {
		return Result{}, err
	}
	mon := monday(c.ref).AddDate(0, 0, 7*off)
	switch wd := c.g.v[gWeekday]; wd {
	case "":
		return Result{Date: day(mon), DateEnd: day(mon.AddDate(0, 0, 6))}, nil
	case "末":
		return Result{Date: day(mon.AddDate(0, 0, 5)), DateEnd: day(mon.AddDate(0, 0, 6))}, nil
	default:
		n, ok := weekdays[wd]
		if !ok {
			return Result{}, fmt.Errorf("unknown weekday %q", wd)
		}
		return Result{Date: day(mon.AddDate(0, 0, n-1))}, nil
	}
}

// decade: 九十年代 (the latest before the reference date), 20世纪90年代, 十九世纪七十年代,
// 上世纪80年代 → the ten years.
func (c *dateCtx) decade() (Result, error) {
	d, err := smallInt(c.g.v[gDecade])
	if err != nil || d%10 != 0 || d > 90 {
		return Result{}, fmt.Errorf("decade %q", c.g.v[gDecade])
	}
	var start int
	switch cen := c.g.v[gCentury]; cen {
	case "":
		base := 2000
		if !c.ref.IsZero() {
			base = c.ref.Year() / 100 * 100
		}
		start = base + d
		if !c.ref.IsZero() && start > c.ref.Year() {
			start -= 100
		}
	case "上":
		if err := c.needRef("上世纪"); err != nil {
			return Result{}, err
		}
		start = (c.ref.Year()/100-1)*100 + d
	default:
		n, err := smallInt(cen)
		if err != nil || n < 1 || n > 30 {
			return Result{}, fmt.Errorf("century %q", cen)
		}
		start = (n-1)*100 + d
	}
	return Result{Date: isoDate(start, 0, 0), DateEnd: isoDate(start+9, 0, 0)}, nil
}

func (c *dateCtx) calendar() (Result, error) {
	g := c.g
	year, hasYear, err := c.year(g.v[gYear], g.v[gYY], g.v[gRel], true)
	if err != nil {
		return Result{}, err
	}
	month, err := smallInt(g.v[gMonth])
	if err != nil {
		return Result{}, err
	}
	dayN, err := smallInt(g.v[gDay] + g.v[gLday])
	if err != nil {
		return Result{}, err
	}
	month2, err := smallInt(g.v[gMonth2])
	if err != nil {
		return Result{}, err
	}
	day2, err := smallInt(g.v[gDay2])
	if err != nil {
		return Result{}, err
	}
	if h := g.v[gHoliday]; h != "" {
		md := c.r.set.Maps["holidays"][h]
		if _, err := fmt.Sscanf(md, "%d-%d", &month, &dayN); err != nil {
			return Result{}, fmt.Errorf("unknown holiday %q", h)
		}
	}
	if rm := g.v[gRelmonth]; rm != "" {
		off, ok := relMonths[rm]
		if !ok {
			return Result{}, fmt.Errorf("unknown relative month %q", rm)
		}
		if err := c.needRef(rm); err != nil {
			return Result{}, err
		}
		t := time.Date(c.ref.Year(), c.ref.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, off, 0)
		year, month, hasYear = t.Year(), int(t.Month()), true
	}
	if !hasYear {
		if err := c.needRef("a date without a year"); err != nil {
			return Result{}, err
		}
		year = c.ref.Year()
		switch {
		case month != 0:
			// 1—11月份 in a January paper is last year's: the later month decides.
			year = inferYear(max(month, month2), c.ref)
		case dayN != 0 && g.v[gPart] == "":
			// A day without a month is in the reference month, or the month before when it
			// is more than a week ahead (30日 in a paper of 1 January).
			t := time.Date(c.ref.Year(), c.ref.Month(), 1, 0, 0, 0, 0, time.UTC)
			if dayN > c.ref.Day()+7 {
				t = t.AddDate(0, -1, 0)
			}
			year, month = t.Year(), int(t.Month())
		}
	}
	if month > 12 || month2 > 12 || (month2 != 0 && month == 0) {
		return Result{}, fmt.Errorf("no such month in %q", g.v[gMonth]+"~"+g.v[gMonth2])
	}
	if dayN != 0 && (month == 0 || !validDay(year, month, dayN)) {
		return Result{}, fmt.Errorf("no such day %d-%d-%d", year, month, dayN)
	}
	res := Result{Date: isoDate(year, month, dayN)}

	// Periods inside the year or month.
	switch {
	case g.v[gPart] != "":
		span, ok := yearParts[squeeze(g.v[gPart])]
		if !ok {
			return Result{}, fmt.Errorf("unknown part of a year %q", g.v[gPart])
		}
		return Result{Date: isoDate(year, span[0], 0), DateEnd: isoDate(year, span[1], 0)}, nil
	case g.v[gFirstn] != "" || g.v[gLastn] != "":
		return c.firstLast(year, month)
	case g.v[gNth] != "":
		return c.nth(year, month)
	}

	// Ranges.
	year2, hasYear2, err := c.year(g.v[gYear2], g.v[gYY2], g.v[gRel2], false)
	if err != nil {
		return Result{}, err
	}
	switch {
	case hasYear2:
		if month2 == 0 && month != 0 || year2 < year {
			return Result{}, fmt.Errorf("period %d..%d", year, year2)
		}
		if month2 == 0 && year2 == year {
			return Result{}, fmt.Errorf("year range %d..%d", year, year2)
		}
		if day2 != 0 && !validDay(year2, month2, day2) {
			return Result{}, fmt.Errorf("no such day %d-%d-%d", year2, month2, day2)
		}
		res.DateEnd = isoDate(year2, month2, day2)
	case month2 != 0:
		y2 := year
		if month2 < month {
			// 8月至2月: into the next year.
			y2++
		}
		if day2 != 0 && !validDay(y2, month2, day2) {
			return Result{}, fmt.Errorf("no such day %d-%d-%d", y2, month2, day2)
		}
		res.DateEnd = isoDate(y2, month2, day2)
	case day2 != 0:
		if !validDay(year, month, day2) {
			return Result{}, fmt.Errorf("no such day %d-%d-%d", year, month, day2)
		}
		res.DateEnd = isoDate(year, month, day2)
	}
	return res, nil
}

// firstLast: 前三季度, 今年前两个月, 前10天, 2021年的前2周, 最后4个月 — the first or last n units
// of the year (or of the month named).
func (c *dateCtx) firstLast(year, month int) (Result, error) {
	first := c.g.v[gFirstn] != ""
	nstr := c.g.v[gFirstn] + c.g.v[gLastn]
	n, err := smallInt(nstr)
	if err != nil || n < 2 {
		// 一九九七年的最后一天 is the year's last day, read as 一九九七年 and a phrase.
		return Result{}, fmt.Errorf("first/last %q", nstr)
	}
	unit := strings.TrimPrefix(strings.TrimPrefix(c.g.v[gNunit], "个"), "個")
	jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	dec31 := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	switch unit {
	case "月":
		if n > 12 {
			break
		}
		if first {
			return Result{Date: isoDate(year, 1, 0), DateEnd: isoDate(year, n, 0)}, nil
		}
		return Result{Date: isoDate(year, 13-n, 0), DateEnd: isoDate(year, 12, 0)}, nil
	case "季度":
		if n > 4 {
			break
		}
		if first {
			return Result{Date: isoDate(year, 1, 0), DateEnd: isoDate(year, 3*n, 0)}, nil
		}
		return Result{Date: isoDate(year, 13-3*n, 0), DateEnd: isoDate(year, 12, 0)}, nil
	case "天", "日":
		if first {
			return Result{Date: day(jan1), DateEnd: day(jan1.AddDate(0, 0, n-1))}, nil
		}
		return Result{Date: day(dec31.AddDate(0, 0, 1-n)), DateEnd: day(dec31)}, nil
	case "周", "星期", "週":
		if first {
			// The year's weeks start on its first Monday.
			mon := monday(jan1)
			if mon.Before(jan1) {
				mon = mon.AddDate(0, 0, 7)
			}
			return Result{Date: day(mon), DateEnd: day(mon.AddDate(0, 0, 7*n-1))}, nil
		}
		sun := monday(dec31).AddDate(0, 0, 6)
		if sun.After(dec31) {
			sun = sun.AddDate(0, 0, -7)
		}
		return Result{Date: day(sun.AddDate(0, 0, 1-7*n)), DateEnd: day(sun)}, nil
	}
	return Result{}, fmt.Errorf("first/last %s%s", nstr, c.g.v[gNunit])
}

// nth: 2021年的第三个月, 明年第九个月, 2021年的第一周, 十月的第一周.
func (c *dateCtx) nth(year, month int) (Result, error) {
	n, err := smallInt(c.g.v[gNth])
	if err != nil || n < 1 {
		return Result{}, fmt.Errorf("nth %q", c.g.v[gNth])
	}
	switch unit := strings.TrimPrefix(strings.TrimPrefix(c.g.v[gNunit], "个"), "個"); unit {
	case "月":
		if month != 0 || n > 12 {
			return Result{}, fmt.Errorf("the %dth month", n)
		}
		return Result{Date: isoDate(year, n, 0)}, nil
	case "周", "星期", "週":
		m := 1
		if month != 0 {
			m = month
		}
		start := time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		mon := monday(start)
		if mon.Before(start) {
			mon = mon.AddDate(0, 0, 7)
		}
		mon = mon.AddDate(0, 0, 7*(n-1))
		if month != 0 && int(mon.Month()) != month || mon.Year() != year {
			return Result{}, fmt.Errorf("no week %d", n)
		}
		return Result{Date: day(mon), DateEnd: day(mon.AddDate(0, 0, 6))}, nil
	}
	return Result{}, fmt.Errorf("the %s%s", c.g.v[gNth], c.g.v[gNunit])
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
